// The server's users, tokens, shares and URL-signing secret in HOME/.dstack/server/users.json (mode 0600),
// rewritten atomically on every change. Tokens are kept as they are: `dstack server start` prints the default
// user's token on every start, as the 2020 server did.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { DstackError } from "../model/errors";
import { createUserRegistry, type MemoryUserRegistry, type UserRegistryState } from "../protocol/users";
import { writeFileAtomic } from "./atomicWrite";

interface UsersFile extends UserRegistryState {
  /** Signs download URLs, so links stay valid across restarts. */
  secret: string;
}

export interface FileUserRegistry extends MemoryUserRegistry {
  readonly secret: string;
  /** Resolves when every change so far is on disk. */
  flush(): Promise<void>;
}

function load(file: string): Partial<UsersFile> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  try {
    return JSON.parse(text) as Partial<UsersFile>;
  } catch (cause) {
    throw new DstackError(`cannot read ${file}: not valid JSON`, "corrupt_store", 500, { cause });
  }
}

/** Opens (or creates) the registry stored in `file`. */
export function openFileUserRegistry(file: string): FileUserRegistry {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const initial = load(file);
  const secret =
    typeof initial.secret === "string" && initial.secret ? initial.secret : randomBytes(32).toString("hex");
  let writes: Promise<void> = Promise.resolve();
  let failure: unknown;
  const save = (state: UserRegistryState) => {
    const text = JSON.stringify({ ...state, secret } satisfies UsersFile, null, 2);
    // Writes are chained, so the file always ends with the latest state.
    writes = writes
      .then(() => writeFileAtomic(file, text, true))
      .catch((error: unknown) => {
        failure = error;
      });
  };
  const registry = createUserRegistry(initial, save);
  if (initial.secret !== secret) save(registry.snapshot());
  const flush = async () => {
    await writes;
    if (failure !== undefined) throw failure;
  };
  return Object.assign(registry, { secret, flush });
}
