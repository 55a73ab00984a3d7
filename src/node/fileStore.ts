// Stacks and dashboards as files under HOME/.dstack/data:
//
//   stacks/<user>/<folder>/stack.json                 the stack: head, flags, frame count, where its log ends
//   stacks/<user>/<folder>/frames.<n>.log             the frame log: one line per frame, oldest first
//   stacks/<user>/<folder>/frames/<id>/frame.json     one frame's metadata
//   stacks/<user>/<folder>/frames/<id>/<index>.bin    its attachments' bytes
//   dashboards/<user>/<id>.json
//   tmp/                                              frames being written, stacks being deleted
//
// <folder> is a readable start of the name plus a hash of `user/name` (see fileStoreFolders.ts). On first use in
// a process, the store renames folders older versions wrote, and removes what dead processes left in tmp/.
//
// A push writes its frame into tmp/, renames the finished directory into frames/, appends its line to the log
// past the end stack.json records, then replaces stack.json (temp file + rename). stack.json is the only commit
// point: a frame directory the log does not list within that end is invisible, so a crash at any moment leaves
// the previous state, never a partial frame. stack.json stays small and the log only grows at its end, so a push
// and a read of the head cost the same at frame 100,000 as at frame 10 (see fileStoreLog.ts). A push older than
// the newest frame (by timestamp) copies the log to frames.<n+1>.log with its line in its place: the kernel copies
// the bytes before it and only the newer lines are rewritten, but the copy still grows with the history. Stacks written by 0.2 (every frame listed in stack.json, version 1) are converted on first use.

import { randomUUID } from "node:crypto";
import { openAsBlob, statSync } from "node:fs";
import { type FileHandle, mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { newDashboard } from "../model/dashboard";
import { dashboardChanges } from "../model/dashboardChanges";
import {
  DashboardNotFoundError,
  DstackError,
  FrameNotFoundError,
  StackNotFoundError,
  throwIfAborted,
} from "../model/errors";
import {
  attachmentNotFoundError,
  frameCountOption,
  frameExistsError,
  frameInfoOf,
  framePageOptions,
  frameSummary,
  newestHeadFirst,
  pushedFrame,
  stackInfoOf,
  stackSummaryOf,
} from "../model/frameRecords";
import { FRAME_ID, normalizePush } from "../model/normalizePush";
import { checkStackPatch } from "../model/stackPatch";
import { parseStackPath, type StackPath, validateUser } from "../model/stackPath";
import type { FramePageOptions, ReadOptions, StackReadOptions, StackStore } from "../model/stackStore";
import type {
  Dashboard,
  DashboardPatch,
  FrameInfo,
  FramePage,
  FramePush,
  FrameSummary,
  PushOptions,
  PushResult,
  StackInfo,
  StackPatch,
  StackSummary,
} from "../model/types";
import { abortable } from "../storage/abortable";
import { createEmitter } from "../storage/emitter";
import { chunksOf, syncDir, writeChunks, writeFileAtomic } from "./atomicWrite";
import { migrateLegacyStackFolders, stackFolderName } from "./fileStoreFolders";
import {
  appendLine,
  entryLine,
  findEntry,
  insertInCopy,
  type LogEntry,
  olderFirst,
  readBackward,
  withLog,
  writeLog,
} from "./fileStoreLog";
import { removeDeadWritersTemp, tempEntryName } from "./fileStoreTemp";
import { createKeyedMutex } from "./keyedMutex";

export interface FileStoreOptions {
  /** Data goes under `HOME/.dstack/data`. */
  home: string;
  /** Default user for relative stack names and new dashboards; "dstack" when omitted. */
  user?: string;
  /** fsync files and directories before renames make them visible (survives power loss); default true. */
  fsync?: boolean;
}

/** A file-system store; `forUser` gives a view of the same data acting for another user. */
export interface FileStore extends StackStore {
  /** The data folder (`HOME/.dstack/data`). */
  readonly root: string;
  forUser(user: string): FileStore;
  /**
   * Renames stack folders older versions wrote and removes what dead processes left in tmp/, once per folder
   * and process. Every stack call waits for it; a server awaits it at start to do it (and fail) early.
   */
  ready(): Promise<void>;
}

interface StackFile {
  version: 2;
  user: string;
  name: string;
  private: boolean;
  readme?: string;
  /** The head frame's log line. */
  head: LogEntry;
  /** The newest frame's line, the log's last: a push newer than it appends, an older one copies the log. */
  newest: LogEntry;
  /** Bumped by every change. */
  seq: number;
  /** Frames in the log. */
  count: number;
  /** The log is frames.<log>.log ... */
  log: number;
  /** ... and its first logEnd bytes are committed. */
  logEnd: number;
  /** Random, per creation of the stack: what is cached about its frames never outlives a delete. */
  created: string;
}

/** stack.json as 0.2 wrote it: every frame listed, newest first. */
interface StackFileV1 {
  version: 1;
  user: string;
  name: string;
  private: boolean;
  readme?: string;
  head: string;
  seq: number;
  frames: Array<FrameSummary & { seq: number }>;
}

/** frame.json: the frame as getFrame answers it. */
type FrameFile = FrameInfo;

interface DashboardFile {
  seq: number;
  dashboard: Dashboard;
}

// Frame and dashboard ids become directory and file names: checked with FRAME_ID (letters, digits, '_', '-'), so
// nothing can climb out of the folder.
/** Bytes above this are returned as file-backed Blobs instead of being read into memory. */
const READ_INTO_MEMORY = 1_000_000;

/** Locks and change events shared by every store opened on the same folder in this process. */
const shared = new Map<
  string,
  {
    locks: ReturnType<typeof createKeyedMutex>;
    emitter: ReturnType<typeof createEmitter>;
    cleaned: Promise<void> | undefined;
  }
>();
let lastSeq = 0;
/** Increasing across restarts (wall clock in µs), strictly increasing within a process. */
function nextSeq(): number {
  lastSeq = Math.max(Date.now() * 1000, lastSeq + 1);
  return lastSeq;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/** The entries of a folder; none when it does not exist (a user with nothing stored yet). */
async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/**
 * Texts of metadata files read before, keyed by path and checked against the file's inode, size and mtime: every
 * write renames a new file into place (a new inode), so a changed file is never served from here, whichever
 * process wrote it. Saves the four thread-pool round trips of a read on the hot path (one stat instead).
 */
const textCache = new Map<string, { ino: number; size: number; mtimeMs: number; text: string }>();
const TEXT_CACHE_ENTRIES = 10_000;

async function readText(file: string): Promise<string | undefined> {
  let info: ReturnType<typeof statSync>;
  try {
    info = statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  if (!info) {
    textCache.delete(file);
    return undefined;
  }
  const cached = textCache.get(file);
  if (cached && cached.ino === info.ino && cached.size === info.size && cached.mtimeMs === info.mtimeMs) {
    return cached.text;
  }
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  if (textCache.size >= TEXT_CACHE_ENTRIES) textCache.delete(textCache.keys().next().value as string);
  textCache.set(file, { ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, text });
  return text;
}

/** Replaces a metadata file atomically, and forgets its cached text (the inode check covers other processes). */
async function writeJson(file: string, value: unknown, fsync: boolean): Promise<void> {
  textCache.delete(file);
  await writeFileAtomic(file, JSON.stringify(value), fsync);
  textCache.delete(file);
}

/** A fresh object each call (callers may change what they get). */
async function readJson<T>(file: string): Promise<T | undefined> {
  const text = await readText(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new DstackError(`corrupt store file ${file}`, "corrupt_store", 500, { cause });
  }
}

const copy = <T>(value: T): T => structuredClone(value);

/**
 * Frames found committed, by stack creation and id, with their log lines: a frame stays committed until its stack
 * is deleted (which changes `created`), so getFrame and getAttachment search the log once per frame.
 */
const committedCache = new Map<string, LogEntry>();
const COMMITTED_CACHE_ENTRIES = 10_000;

function rememberCommitted(key: string, entry: LogEntry): void {
  if (committedCache.size >= COMMITTED_CACHE_ENTRIES) {
    committedCache.delete(committedCache.keys().next().value as string);
  }
  committedCache.set(key, entry);
}

/** The head summary of a stack.json of either version (a 0.2 one is read as it is, not converted, by listings). */
function headOf(file: StackFile | StackFileV1): LogEntry | undefined {
  return file.version === 1 ? file.frames.find((f) => f.id === file.head) : file.head;
}

/**
 * A store in files under `HOME/.dstack/data`: atomic pushes (temp directory + rename, stack.json replaced by
 * temp file + rename), names that can never leave the folder, locks shared by every store of the same folder in
 * this process (their subscribers hear each other's changes; other processes' changes are not announced).
 * @example const store = createFileStore({ home: os.homedir() });
 */
export function createFileStore(options: FileStoreOptions): FileStore {
  const user = validateUser(options.user ?? "dstack");
  const fsync = options.fsync ?? true;
  const root = resolve(options.home, ".dstack", "data");
  let state = shared.get(root);
  if (!state) {
    state = { locks: createKeyedMutex(), emitter: createEmitter(), cleaned: undefined };
    shared.set(root, state);
  }
  const { locks, emitter } = state;
  const tmpRoot = join(root, "tmp");
  // Before this process writes to tmp/ (so entries with its own pid are an earlier process's), and before any
  // stack is looked up (so old folders have their new names).
  const ready = () => {
    const s = state as NonNullable<typeof state>;
    if (!s.cleaned) {
      const attempt = (async () => {
        await mkdir(tmpRoot, { recursive: true });
        await removeDeadWritersTemp(tmpRoot);
        await migrateLegacyStackFolders(join(root, "stacks"));
      })();
      s.cleaned = attempt;
      // A failure is not kept: the next call tries again.
      attempt.catch(() => {
        if (s.cleaned === attempt) s.cleaned = undefined;
      });
    }
    return s.cleaned;
  };

  /** Every path goes through here: it must stay inside the data folder, whatever the input was. */
  function inside(...parts: string[]): string {
    const full = resolve(root, ...parts);
    if (!full.startsWith(root + sep))
      throw new DstackError(`path escapes the data folder: ${full}`, "unsafe_path", 400);
    return full;
  }
  const resolveStack = async (stack: string) => {
    const s = parseStackPath(stack, user);
    await ready();
    return s;
  };
  const stackDir = (s: StackPath) => inside("stacks", s.user, stackFolderName(s.user, s.name));
  const frameDir = (s: StackPath, id: string) =>
    inside("stacks", s.user, stackFolderName(s.user, s.name), "frames", id);
  const dashboardFile = (owner: string, id: string) => inside("dashboards", validateUser(owner), `${id}.json`);

  const stackJson = (s: StackPath) => join(stackDir(s), "stack.json");
  const logFile = (s: StackPath, log: number) => join(stackDir(s), `frames.${log}.log`);

  /** Converts a 0.2 stack.json (every frame inline) to a log and a small stack.json; the caller holds the lock. */
  async function upgradeLocked(s: StackPath): Promise<StackFile | undefined> {
    const file = await readJson<StackFile | StackFileV1>(stackJson(s));
    if (file?.version !== 1) return file;
    const entries = [...file.frames].sort(olderFirst);
    const newest = entries.at(-1);
    if (!newest) throw new DstackError(`stack ${s.path} has no frames`, "corrupt_store", 500);
    const log = 1;
    await rm(logFile(s, log), { force: true });
    const logEnd = await writeLog(logFile(s, log), entries, fsync);
    const { frames: _, head, ...rest } = file;
    const next: StackFile = {
      ...rest,
      version: 2,
      head: entries.find((e) => e.id === head) ?? newest,
      newest,
      count: entries.length,
      log,
      logEnd,
      created: randomUUID(),
    };
    await writeStack(s, next);
    return next;
  }

  /** The stack's current stack.json, converted first if 0.2 wrote it; undefined when there is no stack. */
  async function readStackFile(s: StackPath, locked: boolean): Promise<StackFile | undefined> {
    const file = await readJson<StackFile | StackFileV1>(stackJson(s));
    if (!file || file.version === 2) return file;
    return locked ? upgradeLocked(s) : locks.run(stackDir(s), () => upgradeLocked(s));
  }

  async function readStack(s: StackPath, locked = false): Promise<StackFile> {
    const file = await readStackFile(s, locked);
    if (!file) throw new StackNotFoundError(s.path);
    return file;
  }

  /**
   * Runs `read` on the stack's current stack.json and open log. A push that rewrote the log between the two reads
   * removed the old one: read both again.
   */
  async function onLog<T>(
    s: StackPath,
    read: (file: StackFile, log: { path: string; handle: FileHandle }) => Promise<T>,
    locked = false,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const file = await readStack(s, locked);
      const path = logFile(s, file.log);
      try {
        return await withLog(path, (handle) => read(file, { path, handle }));
      } catch (error) {
        if (!isMissing(error) || attempt >= 5 || locked) throw error;
      }
    }
  }

  /**
   * Frame `id` if it is committed: its frame.json and its log line. A frame directory alone (left by a push that
   * never committed) does not count.
   */
  async function findFrame(
    s: StackPath,
    id: string,
    locked = false,
  ): Promise<{ file: StackFile; meta: FrameFile; entry: LogEntry } | undefined> {
    if (typeof id !== "string" || !FRAME_ID.test(id)) {
      await readStack(s, locked);
      return undefined;
    }
    for (let attempt = 0; ; attempt++) {
      const file = await readStack(s, locked);
      const meta = await readJson<FrameFile>(join(frameDir(s, id), "frame.json"));
      if (!meta) return undefined;
      const known =
        id === file.head.id
          ? file.head
          : id === file.newest.id
            ? file.newest
            : committedCache.get(`${file.created}/${id}`);
      if (known) return { file, meta, entry: known };
      try {
        const hit = await withLog(logFile(s, file.log), (handle) =>
          findEntry(logFile(s, file.log), handle, file.logEnd, meta.timestamp, id),
        );
        if (!hit) return undefined;
        rememberCommitted(`${file.created}/${id}`, hit.entry);
        return { file, meta, entry: hit.entry };
      } catch (error) {
        if (!isMissing(error) || attempt >= 5 || locked) throw error;
      }
    }
  }

  /** A committed frame's metadata (see findFrame). */
  async function readFrame(s: StackPath, id: string): Promise<FrameFile> {
    const found = await findFrame(s, id);
    if (!found) throw new FrameNotFoundError(s.path, String(id));
    return found.meta;
  }

  async function writeStack(s: StackPath, file: StackFile): Promise<void> {
    await writeJson(stackJson(s), file, fsync);
  }

  async function readDashboard(owner: string, id: string): Promise<DashboardFile> {
    if (typeof id !== "string" || !FRAME_ID.test(id)) throw new DashboardNotFoundError(owner, String(id));
    const file = await readJson<DashboardFile>(dashboardFile(owner, id));
    if (!file) throw new DashboardNotFoundError(owner, id);
    return file;
  }

  // Each change reads the dashboard's file, applies the model's rule and replaces the file, under its lock.
  const changes = dashboardChanges(user, async (owner, id, apply) => {
    const file = dashboardFile(owner, id);
    const next = await locks.run(file, async () => {
      const current = await readDashboard(owner, id);
      const dashboard = apply(current.dashboard);
      await writeJson(file, { seq: current.seq, dashboard }, fsync);
      return dashboard;
    });
    emitter.emit({ type: "dashboard", path: `${owner}/${id}` });
    return copy(next);
  });

  async function push(frame: FramePush, pushOptions?: PushOptions): Promise<PushResult> {
    const p = normalizePush(frame, user, pushOptions);
    const s = p.stack;
    await ready();
    // Cheap early refusal of a taken id, before any byte is written (checked again under the lock).
    if ((await readStackFile(s, false)) && (await findFrame(s, p.id))) throw frameExistsError(s.path, p.id);
    const temp = inside("tmp", tempEntryName("frame"));
    await mkdir(temp);
    let oldLog: string | undefined;
    try {
      const total = p.attachments.length;
      for (let i = 0; i < total; i++) {
        const blob = (p.attachments[i] as (typeof p.attachments)[number]).blob;
        await writeChunks(join(temp, `${i}.bin`), chunksOf(blob.stream()), fsync);
        pushOptions?.onProgress?.(i + 1, total);
        throwIfAborted(pushOptions?.signal);
      }
      const meta: FrameFile = pushedFrame(p);
      await writeChunks(join(temp, "frame.json"), [new TextEncoder().encode(JSON.stringify(meta))], fsync);
      if (fsync) await syncDir(temp);
      throwIfAborted(pushOptions?.signal);
      const dir = stackDir(s);
      await locks.run(dir, async () => {
        const current = await readStackFile(s, true);
        if (current && (await findFrame(s, p.id, true))) throw frameExistsError(s.path, p.id);
        const frames = join(dir, "frames");
        await mkdir(frames, { recursive: true });
        const target = frameDir(s, p.id);
        await rm(target, { recursive: true, force: true }); // a directory a crash left uncommitted
        await rename(temp, target);
        if (fsync) await syncDir(frames);
        const entry: LogEntry = { ...frameSummary(meta), seq: nextSeq() };
        let next: StackFile;
        if (!current) {
          // A first push (a crash before an earlier first commit may have left a log: it is replaced).
          await rm(logFile(s, 1), { force: true });
          const logEnd = await writeLog(logFile(s, 1), [entry], fsync);
          const fresh = { user: s.user, name: s.name, private: false, head: entry, newest: entry };
          next = { version: 2, ...fresh, seq: entry.seq, count: 1, log: 1, logEnd, created: randomUUID() };
        } else if (olderFirst(current.newest, entry) < 0) {
          // The usual push, newer than every frame: one line at the end of the log.
          const logEnd = await appendLine(logFile(s, current.log), current.logEnd, entryLine(entry), fsync);
          next = { ...current, head: entry, newest: entry, seq: entry.seq, count: current.count + 1, logEnd };
        } else {
          // Older than the newest frame: a new log, copied, with the line in its place.
          const log = current.log + 1;
          await rm(logFile(s, log), { force: true });
          const logEnd = await insertInCopy(logFile(s, current.log), current.logEnd, entry, logFile(s, log), fsync);
          next = { ...current, head: entry, seq: entry.seq, count: current.count + 1, log, logEnd };
          oldLog = logFile(s, current.log);
        }
        // The access the push names goes into the same stack.json as the frame.
        if (p.private !== undefined) next.private = p.private;
        // The commit point: until this rename the frame does not exist for any reader.
        await writeStack(s, next);
        if (oldLog) await rm(oldLog, { force: true });
      });
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
    emitter.emit({ type: "stack", path: s.path });
    return { url: `file:${stackDir(s)}`, stack: s.path, frameId: p.id };
  }

  async function listStacks(owner: string): Promise<StackSummary[]> {
    validateUser(owner);
    await ready();
    const names = await namesIn(inside("stacks", owner));
    const files = await Promise.all(
      names.map((n) =>
        readJson<StackFile | StackFileV1>(join(inside("stacks", owner, n), "stack.json")).catch(() => undefined),
      ),
    );
    // Only folders getStack finds: not another user's that a case-insensitive file system put here (Alice,
    // alice), nor an old folder that could not take its new name.
    const found = files.filter(
      (f, i): f is StackFile | StackFileV1 =>
        f !== undefined && f.user === owner && stackFolderName(f.user, f.name) === names[i],
    );
    return found
      .map((f) => ({ f, head: headOf(f) }))
      .sort((a, b) => newestHeadFirst(a.head, b.head))
      .map(({ f, head }): StackSummary => stackSummaryOf(f, `${f.user}/${f.name}`, head));
  }

  async function getStack(stack: string, count: number): Promise<StackInfo> {
    const s = await resolveStack(stack);
    const [file, newest] =
      count === 0
        ? [await readStack(s), []]
        : await onLog(s, async (file, log) => {
            const { entries } = await readBackward(log.path, log.handle, file.logEnd, count);
            return [file, entries] as const;
          });
    const head = await readJson<FrameFile>(join(frameDir(s, file.head.id), "frame.json"));
    return stackInfoOf(file, s.path, head && frameInfoOf(head), newest.map(frameSummary), file.count);
  }

  async function listFrames(stack: string, before: string | undefined, limit: number): Promise<FramePage> {
    const s = await resolveStack(stack);
    // Where the page ends: before the line of `before`, or at the end of the log.
    const start = before === undefined ? undefined : await findFrame(s, before);
    if (before !== undefined && !start) throw new FrameNotFoundError(s.path, before);
    return onLog(s, async (file, log) => {
      let from = file.logEnd;
      if (start) {
        const hit = await findEntry(log.path, log.handle, file.logEnd, start.entry.timestamp, start.entry.id);
        if (!hit) throw new FrameNotFoundError(s.path, start.entry.id);
        from = hit.start;
      }
      const { entries, more } = await readBackward(log.path, log.handle, from, limit);
      return { frames: entries.map(frameSummary), more };
    });
  }

  async function getAttachment(
    stack: string,
    frameId: string,
    index: number,
    signal: AbortSignal | undefined,
  ): Promise<Blob> {
    const s = await resolveStack(stack);
    const frame = await readFrame(s, frameId);
    const info = Number.isInteger(index) && index >= 0 ? frame.attachments[index] : undefined;
    if (!info) throw attachmentNotFoundError(s.path, frameId, index, frame.attachments.length);
    const file = join(frameDir(s, frameId), `${index}.bin`);
    if (info.length > READ_INTO_MEMORY) return openAsBlob(file, { type: info.contentType });
    return new Blob([await readFile(file, signal ? { signal } : {})], { type: info.contentType });
  }

  async function listDashboards(owner: string): Promise<Dashboard[]> {
    validateUser(owner);
    const names = await namesIn(inside("dashboards", owner));
    const files = await Promise.all(
      names
        .filter((n) => n.endsWith(".json") && FRAME_ID.test(n.slice(0, -5)))
        .map((n) => readJson<DashboardFile>(inside("dashboards", owner, n)).catch(() => undefined)),
    );
    return files
      .filter((f): f is DashboardFile => f !== undefined && f.dashboard.user === owner)
      .sort((a, b) => b.seq - a.seq)
      .map((f) => f.dashboard);
  }

  const store: FileStore = {
    user,
    root,
    forUser(other) {
      return createFileStore({ ...options, user: other });
    },
    ready,
    // Reads check the signal before they start and drop a result that lands after an abort (see abortable); an
    // attachment read into memory also stops reading the file.
    listStacks: (owner = user, read?: ReadOptions) => abortable(read?.signal, () => listStacks(owner)),
    getStack: (stack, read?: StackReadOptions) =>
      abortable(read?.signal, () => getStack(stack, frameCountOption(read?.frames))),
    listFrames: (stack, page?: FramePageOptions) =>
      abortable(page?.signal, () => {
        const { before, limit } = framePageOptions(page);
        return listFrames(stack, before, limit);
      }),
    getFrame: (stack, frameId, read?: ReadOptions) =>
      abortable(read?.signal, async () => frameInfoOf(await readFrame(await resolveStack(stack), frameId))),
    getAttachment: (stack, frameId, index, read?: ReadOptions) =>
      abortable(read?.signal, (signal) => getAttachment(stack, frameId, index, signal)),
    push,
    async updateStack(stack, patch: StackPatch) {
      const fields = checkStackPatch(patch);
      const s = await resolveStack(stack);
      await locks.run(stackDir(s), async () => {
        const file = await readStack(s, true);
        const head = fields.head === undefined ? undefined : await findFrame(s, fields.head, true);
        if (fields.head !== undefined && !head) throw new FrameNotFoundError(s.path, fields.head);
        const next = { ...file, seq: nextSeq() };
        if (head) next.head = head.entry;
        if (fields.private !== undefined) next.private = fields.private;
        if (fields.readme !== undefined) next.readme = fields.readme;
        await writeStack(s, next);
      });
      emitter.emit({ type: "stack", path: s.path });
    },
    async deleteStack(stack) {
      const s = await resolveStack(stack);
      const dir = stackDir(s);
      await locks.run(dir, async () => {
        await readStack(s, true);
        // One rename makes the whole stack disappear at once; the bytes are removed after.
        const trash = inside("tmp", tempEntryName("deleted"));
        await rename(dir, trash);
        await rm(trash, { recursive: true, force: true });
      });
      emitter.emit({ type: "stack", path: s.path });
    },
    listDashboards: (owner = user, read?: ReadOptions) => abortable(read?.signal, () => listDashboards(owner)),
    getDashboard: (owner, id, read?: ReadOptions) =>
      abortable(read?.signal, async () => (await readDashboard(owner, id)).dashboard),
    async createDashboard(init: DashboardPatch = {}) {
      const dashboard = newDashboard(user, init);
      const file = dashboardFile(user, dashboard.id);
      await mkdir(inside("dashboards", user), { recursive: true });
      await writeJson(file, { seq: nextSeq(), dashboard }, fsync);
      emitter.emit({ type: "dashboard", path: `${user}/${dashboard.id}` });
      return copy(dashboard);
    },
    async deleteDashboard(owner, id) {
      const file = dashboardFile(owner, id);
      await locks.run(file, async () => {
        await readDashboard(owner, id);
        await rm(file);
      });
      emitter.emit({ type: "dashboard", path: `${owner}/${id}` });
    },
    ...changes,
    subscribe: emitter.subscribe,
  };
  return store;
}
