// The file store's temp area (data/tmp): frames being written, and stacks being deleted. Entries carry the pid of
// the process writing them, so a store opening the folder removes those of dead processes at once, and never
// those of a live writer (a second server or script on the same folder, a push in flight).
import { randomUUID } from "node:crypto";
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { isProcessAlive } from "./fileLock";

/** Leftovers of versions that did not name the pid are removed once this old, as those versions did. */
const LEGACY_STALE_MS = 60 * 60 * 1000;

const CURRENT = /^(?:frame|deleted)-(\d+)-[0-9a-f-]{36}$/;
const LEGACY = /^(?:frame|deleted)-[0-9a-f-]{36}$/;

/** A name for a new entry of this process in the temp area. */
export function tempEntryName(kind: "frame" | "deleted"): string {
  return `${kind}-${process.pid}-${randomUUID()}`;
}

/**
 * Removes from `tmpDir` what dead processes left there. Entries named with this process's pid are leftovers
 * too (a restarted container's server has the same pid), so call this before this process writes there.
 * Returns the names removed.
 */
export async function removeDeadWritersTemp(tmpDir: string, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(tmpDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of names) {
    const entry = join(tmpDir, name);
    const pid = CURRENT.exec(name)?.[1];
    let dead: boolean;
    if (pid !== undefined) dead = Number(pid) === process.pid || !isProcessAlive(Number(pid));
    else if (LEGACY.test(name)) {
      const info = await stat(entry).catch(() => undefined);
      dead = info !== undefined && now - info.mtimeMs > LEGACY_STALE_MS;
    } else dead = false; // not ours: leave it
    if (!dead) continue;
    await rm(entry, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
