// Where a stack lives in the file store: stacks/<user>/<folder>, one flat folder per stack.
//
// The folder name is a readable, lower-cased start of the name plus a hash of the exact `user/name`, so:
// - every name the rules accept fits (at most 48 + 1 + 32 characters, far under the 255 a folder name may have,
//   whatever the name's length or number of '/');
// - names differing only in case (Plot, plot) get different hashes, hence folders that differ on a
//   case-insensitive file system (macOS, Windows) too, as do users differing only in case;
// - a/b and a/b/c are siblings, neither inside the other.
// The exact name is in the folder's stack.json; the folder name is never parsed back.
import { createHash } from "node:crypto";
import { readdir, rename } from "node:fs/promises";
import { join } from "node:path";
import { parseStackPath } from "../model/stackPath";

const READABLE_CHARS = 48;
const HASH_CHARS = 32;

/**
 * The folder name of stack `user/name` (valid names only: callers check them first).
 * @example stackFolderName("dstack", "reports/Sales") // "reports+sales~" + 32 hex digits
 */
export function stackFolderName(user: string, name: string): string {
  const readable = name.slice(0, READABLE_CHARS).toLowerCase().replaceAll("/", "+");
  const hash = createHash("sha256").update(`${user}/${name}`).digest("hex").slice(0, HASH_CHARS);
  return `${readable}~${hash}`;
}

/** The folder name versions before 0.2 used: the whole name, each '/' as %2F (too long for deep names). */
export const legacyStackFolderName = (name: string): string => encodeURIComponent(name);

/** Legacy names are made of [A-Za-z0-9_%-]: never a '~'. */
const isLegacy = (folder: string) => !folder.includes("~");

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException)?.code;

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (codeOf(error) === "ENOENT" || codeOf(error) === "ENOTDIR") return [];
    throw error;
  }
}

/**
 * Renames the stack folders of older versions under `stacksDir` (stacks/) to their current names. Safe to run
 * from several processes at once: each rename moves a whole folder or fails, and never replaces a stack.
 * Returns how many folders it moved.
 */
export async function migrateLegacyStackFolders(stacksDir: string): Promise<number> {
  let moved = 0;
  for (const user of await list(stacksDir)) {
    for (const folder of await list(join(stacksDir, user))) {
      if (!isLegacy(folder)) continue;
      let name: string;
      try {
        name = parseStackPath(`/${user}/${decodeURIComponent(folder)}`, user).name;
      } catch {
        continue; // not a stack folder of ours
      }
      if (legacyStackFolderName(name) !== folder) continue;
      try {
        await rename(join(stacksDir, user, folder), join(stacksDir, user, stackFolderName(user, name)));
        moved++;
      } catch (error) {
        // ENOENT: another process moved it first. ENOTEMPTY/EEXIST: the new folder exists; both are kept, and
        // the new one is the stack.
        if (!["ENOENT", "ENOTEMPTY", "EEXIST"].includes(codeOf(error) ?? "")) throw error;
      }
    }
  }
  return moved;
}
