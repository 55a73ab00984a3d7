// A lock shared by processes on one machine: a file created with O_EXCL next to what it guards, holding the
// owner's pid and a nonce. A lock whose pid is dead, or that is older than any real hold (its pid reused by
// another process), is moved aside and taken over. Used around read-modify-write of users.json, which the
// server and `dstack user add` both change.
import { randomUUID } from "node:crypto";
import { link, open, readFile, rename, rm, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { DstackError } from "../model/errors";
import { createKeyedMutex } from "./keyedMutex";

export interface FileLockOptions {
  /** A lock older than this is abandoned whatever its pid; default 10 s (a hold lasts milliseconds). */
  staleMs?: number;
  /** Waiting longer than this throws; default 30 s (longer than `staleMs`, so a stale lock never times out). */
  timeoutMs?: number;
}

/** Locks this process holds: one naming our pid but not listed is from an earlier process with the same pid. */
const held = new Set<string>();
/** Callers in this process queue here, so the lock file only ever sees one contender per process. */
const local = createKeyedMutex();

/** True unless `pid` surely names no process (EPERM: it exists, owned by someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException)?.code;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function tryCreate(lockFile: string, owner: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(lockFile, "wx", 0o600);
  } catch (error) {
    if (codeOf(error) === "EEXIST") return false;
    throw error;
  }
  held.add(owner);
  try {
    await handle.writeFile(owner);
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(lockFile, { force: true });
    held.delete(owner);
    throw error;
  }
  return true;
}

/** Removes the lock if it is abandoned; true when the caller should try again at once. */
async function breakIfStale(lockFile: string, staleMs: number): Promise<boolean> {
  let text: string;
  let age: number;
  try {
    age = Date.now() - (await stat(lockFile)).mtimeMs;
    text = await readFile(lockFile, "utf8");
  } catch (error) {
    if (codeOf(error) === "ENOENT") return true;
    throw error;
  }
  // An empty file is a lock being created: its owner is alive until the age says otherwise.
  const pid = text === "" ? undefined : Number(text.split(" ")[0]);
  const alive = pid === undefined || (pid === process.pid ? held.has(text) : isProcessAlive(pid));
  if (age <= staleMs && alive) return false;
  // Moved aside first: of several processes judging the same lock stale, one rename wins, and the winner can
  // check that what it moved is the lock it judged (not one taken meanwhile).
  const aside = `${lockFile}.${randomUUID()}.stale`;
  try {
    await rename(lockFile, aside);
  } catch (error) {
    if (codeOf(error) === "ENOENT") return true;
    throw error;
  }
  const moved = await readFile(aside, "utf8").catch(() => "");
  if (moved !== text) await link(aside, lockFile).catch(() => {}); // a live lock: put it back unless retaken
  await rm(aside, { force: true });
  return true;
}

/** Runs `task` holding the lock `lockFile`, waiting for other holders (in any process) to finish. */
export function withFileLock<T>(lockFile: string, task: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  return local.run(resolve(lockFile), () => holding(lockFile, task, options));
}

async function holding<T>(lockFile: string, task: () => Promise<T>, options: FileLockOptions): Promise<T> {
  const staleMs = options.staleMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const owner = `${process.pid} ${randomUUID()}`;
  const started = Date.now();
  for (let attempt = 0; !(await tryCreate(lockFile, owner)); attempt++) {
    if (await breakIfStale(lockFile, staleMs)) continue;
    if (Date.now() - started > timeoutMs) {
      const holder = await readFile(lockFile, "utf8").catch(() => "");
      throw new DstackError(
        `${lockFile} is held by process ${holder.split(" ")[0] || "?"}; remove it if that process is gone`,
        "locked",
        503,
      );
    }
    // Short, growing, jittered waits: holds last milliseconds, and contenders should not retry in step.
    await sleep(Math.min(2 + attempt * 2, 25) * (0.5 + Math.random()));
  }
  try {
    return await task();
  } finally {
    // Only our own lock: if it was judged stale and taken over, the file is someone else's now.
    const text = await readFile(lockFile, "utf8").catch(() => "");
    if (text === owner) await rm(lockFile, { force: true });
    held.delete(owner);
  }
}
