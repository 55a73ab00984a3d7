// A stack's frame log: one JSON line per frame ({id, timestamp, message?, seq}), oldest first in the order
// `newestFirst` reverses (timestamp, then seq). Only the first `end` bytes count: stack.json holds `end`, so a line
// written past it by a push that never committed is invisible, and the next push writes over it.
//
// Every read costs what it returns, not the length of the history: the newest frames are read backwards from the
// end, and a frame is found by a binary search on its timestamp (which its frame.json gives).
import { constants } from "node:fs";
import { copyFile, type FileHandle, open } from "node:fs/promises";
import { DstackError } from "../model/errors";
import { type FrameRecordLike, frameSummary } from "../model/frameRecords";
import { writeChunks } from "./atomicWrite";

/** One line of the log: a frame's summary and its push order. */
export type LogEntry = FrameRecordLike;

/** Where a frame's line is: its first byte, and the first byte of the next line. */
export interface LogHit {
  entry: LogEntry;
  start: number;
  next: number;
}

const NEWLINE = 0x0a;
/** Bytes read per step backwards: about 800 typical lines. */
const CHUNK = 64 * 1024;
const FIRST_CHUNK = 8 * 1024;
/** A binary search reads the rest in one go once the window is this small. */
const WINDOW = 16 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function entryLine(entry: LogEntry): Uint8Array {
  return encoder.encode(`${JSON.stringify({ ...frameSummary(entry), seq: entry.seq })}\n`);
}

/** Orders entries as the log keeps them: older first (timestamp, then seq). */
export function olderFirst(a: LogEntry, b: LogEntry): number {
  return a.timestamp - b.timestamp || a.seq - b.seq;
}

function parseLine(file: string, bytes: Uint8Array): LogEntry {
  try {
    const value = JSON.parse(decoder.decode(bytes)) as LogEntry;
    if (typeof value.id === "string" && typeof value.timestamp === "number" && typeof value.seq === "number") {
      return value;
    }
  } catch {
    // reported below
  }
  throw new DstackError(`corrupt frame log ${file}`, "corrupt_store", 500);
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw new DstackError("frame log shorter than its stack.json says", "corrupt_store", 500);
    done += bytesRead;
  }
  return buffer;
}

/** Opens the log for reading; `run` gets the handle, which is closed after. */
export async function withLog<T>(file: string, run: (handle: FileHandle) => Promise<T>): Promise<T> {
  const handle = await open(file, "r");
  try {
    return await run(handle);
  } finally {
    await handle.close();
  }
}

/**
 * Up to `count` entries that end at or before byte `from`, newest first, whether older ones remain, and where the
 * oldest one read starts. With `until`, stops before the first entry it accepts. Reads backwards in chunks, so the
 * cost is the entries read, whatever lies before them.
 */
export async function readBackward(
  file: string,
  handle: FileHandle,
  from: number,
  count: number,
  until?: (entry: LogEntry) => boolean,
): Promise<{ entries: LogEntry[]; more: boolean; start: number }> {
  const entries: LogEntry[] = [];
  let stopped = false;
  let lineEnd = from; // exclusive end of the next line to hand out (its newline excluded below)
  let carry = new Uint8Array(0); // bytes of a line cut by the chunk boundary: [position, lineEnd)
  let position = from;
  // Small first: a page of 50 lines is ~4 KB. Larger steps after, up to CHUNK.
  let step = FIRST_CHUNK;
  while (!stopped && entries.length < count && lineEnd > 0) {
    const start = Math.max(0, position - step);
    step = Math.min(CHUNK, step * 4);
    const chunk = await readAt(handle, start, position - start);
    const bytes = new Uint8Array(chunk.length + carry.length);
    bytes.set(chunk);
    bytes.set(carry, chunk.length);
    position = start;
    // Lines in `bytes`, last first: each ends with a newline at lineEnd - 1 - position.
    let end = lineEnd - position;
    while (end > 0 && entries.length < count) {
      // The newline before this line (-1: the line starts at the chunk's first byte, or earlier).
      const i = end >= 2 ? bytes.lastIndexOf(NEWLINE, end - 2) : -1;
      if (i < 0 && position > 0) break; // the line starts in an earlier chunk
      const entry = parseLine(file, bytes.subarray(i + 1, end - 1));
      if (until?.(entry)) {
        stopped = true;
        break;
      }
      entries.push(entry);
      end = i + 1;
      lineEnd = position + end;
    }
    carry = bytes.slice(0, lineEnd - position);
  }
  return { entries, more: lineEnd > 0, start: lineEnd };
}

/** The line that starts at `start` (less than `end`), and where the next one starts. */
async function lineAt(file: string, handle: FileHandle, start: number, end: number): Promise<LogHit> {
  let size = 512;
  for (;;) {
    const length = Math.min(size, end - start);
    const bytes = await readAt(handle, start, length);
    const newline = bytes.indexOf(NEWLINE);
    if (newline >= 0) return { entry: parseLine(file, bytes.subarray(0, newline)), start, next: start + newline + 1 };
    if (length === end - start) throw new DstackError(`corrupt frame log ${file}`, "corrupt_store", 500);
    size *= 4;
  }
}

/**
 * The line of frame `id`, pushed with `timestamp`, in the first `end` bytes; undefined when the log has no such
 * line (the frame was never committed). A binary search on the timestamp: O(log n) small reads.
 */
export async function findEntry(
  file: string,
  handle: FileHandle,
  end: number,
  timestamp: number,
  id: string,
): Promise<LogHit | undefined> {
  // Invariant: lo is a line start, and every line before lo has a smaller timestamp; the first line with this
  // timestamp starts in [lo, hi].
  let lo = 0;
  let hi = end;
  while (hi - lo > WINDOW) {
    const mid = Math.floor((lo + hi) / 2);
    // The first line that starts after mid.
    const probe = await readAt(handle, mid, Math.min(4096, end - mid));
    const newline = probe.indexOf(NEWLINE);
    const start = newline < 0 ? hi : mid + newline + 1;
    if (start >= hi) {
      hi = mid; // no line starts in [mid, hi): the first line at or after hi is not needed to decide
      continue;
    }
    const hit = await lineAt(file, handle, start, end);
    if (hit.entry.timestamp < timestamp) lo = hit.next;
    else hi = start;
  }
  // Forwards from lo over the lines with this timestamp: the window in one read, then line by line if needed.
  const bytes = await readAt(handle, lo, Math.min(end - lo, 2 * WINDOW));
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== NEWLINE) continue;
    const entry = parseLine(file, bytes.subarray(start, i));
    if (entry.timestamp > timestamp) return undefined;
    if (entry.timestamp === timestamp && entry.id === id) return { entry, start: lo + start, next: lo + i + 1 };
    start = i + 1;
  }
  for (let at = lo + start; at < end; ) {
    const hit = await lineAt(file, handle, at, end);
    if (hit.entry.timestamp > timestamp) return undefined;
    if (hit.entry.timestamp === timestamp && hit.entry.id === id) return hit;
    at = hit.next;
  }
  return undefined;
}

/**
 * Writes `line` at byte `at` of the log (which exists: a stack's first push writes it whole), dropping whatever a push that never committed
 * left after `at`. Returns the new end. The caller commits it by writing stack.json.
 */
export async function appendLine(file: string, at: number, line: Uint8Array, fsync: boolean): Promise<number> {
  const handle = await open(file, "r+");
  try {
    await handle.truncate(at);
    let done = 0;
    while (done < line.length) {
      const { bytesWritten } = await handle.write(line, done, line.length - done, at + done);
      done += bytesWritten;
    }
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
  return at + line.length;
}

/**
 * A copy of the log at `from` (its first `end` bytes) with `entry` in its place, written to `to` (which must not
 * exist) for a push older than the newest frame. Only the lines newer than `entry` are read and written again;
 * the bytes before them are copied by the kernel. Returns the new log's length.
 */
export async function insertInCopy(
  from: string,
  end: number,
  entry: LogEntry,
  to: string,
  fsync: boolean,
): Promise<number> {
  const { entries: newer, start } = await withLog(from, (handle) =>
    readBackward(from, handle, end, Number.POSITIVE_INFINITY, (e) => olderFirst(e, entry) < 0),
  );
  await copyFile(from, to, constants.COPYFILE_EXCL);
  const lines = [entry, ...newer.reverse()].map(entryLine);
  const bytes = new Uint8Array(lines.reduce((sum, line) => sum + line.length, 0));
  let offset = 0;
  for (const line of lines) {
    bytes.set(line, offset);
    offset += line.length;
  }
  const handle = await open(to, "r+");
  try {
    await handle.truncate(start);
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, start + done);
      done += bytesWritten;
    }
    if (fsync) await handle.sync();
    return start + bytes.length;
  } finally {
    await handle.close();
  }
}

/** Writes a whole new log (oldest first) at `file`, which must not exist. Returns its length. */
export function writeLog(file: string, entries: readonly LogEntry[], fsync: boolean): Promise<number> {
  return writeChunks(file, entries.map(entryLine), fsync);
}
