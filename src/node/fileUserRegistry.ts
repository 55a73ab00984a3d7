// The server's users, tokens, shares and URL-signing secret in HOME/.dstack/server/users.json (mode 0600),
// rewritten atomically on every change. Tokens are kept as they are: `dstack server start` prints the default
// user's token on every start, as the 2020 server did. `dstack user add` writes the same file from another
// process; a running server reloads it when a token it does not know shows up and the file has changed.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, statSync } from "node:fs";
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

const modified = (file: string) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;

/** Opens (or creates) the registry stored in `file`. */
export function openFileUserRegistry(file: string): FileUserRegistry {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const initial = load(file);
  const secret =
    typeof initial.secret === "string" && initial.secret ? initial.secret : randomBytes(32).toString("hex");
  let writes: Promise<void> = Promise.resolve();
  let failure: unknown;
  let pending = 0;
  const save = (state: UserRegistryState) => {
    const text = JSON.stringify({ ...state, secret } satisfies UsersFile, null, 2);
    pending++;
    // Writes are chained, so the file always ends with the latest state.
    writes = writes
      .then(() => writeFileAtomic(file, text, true))
      .catch((error: unknown) => {
        failure = error;
      })
      .finally(() => {
        pending--;
        loadedAt = modified(file);
      });
  };
  let current = createUserRegistry(initial, save);
  let loadedAt = modified(file);
  if (initial.secret !== secret) save(current.snapshot());

  /** Picks up users another process (the CLI) added since the last load. */
  function reloadIfChanged(): boolean {
    if (pending > 0) return false;
    const now = modified(file);
    if (now === loadedAt) return false;
    loadedAt = now;
    current = createUserRegistry(load(file), save);
    return true;
  }

  const registry: FileUserRegistry = {
    secret,
    async authenticate(token) {
      const user = await current.authenticate(token);
      if (user !== undefined || !reloadIfChanged()) return user;
      return current.authenticate(token);
    },
    verifyCode: (user, code) => current.verifyCode(user, code),
    async hasUser(user) {
      return (await current.hasUser(user)) || (reloadIfChanged() && current.hasUser(user));
    },
    sharedWith: (resource) => current.sharedWith(resource),
    async share(resource, user) {
      if (!(await current.hasUser(user))) reloadIfChanged();
      return current.share(resource, user);
    },
    unshare: (resource, user) => current.unshare(resource, user),
    forget: (resource) => current.forget(resource),
    addUser: (name, options) => current.addUser(name, options),
    tokenOf: (name) => current.tokenOf(name),
    newLoginCode: (name) => current.newLoginCode(name),
    snapshot: () => current.snapshot(),
    async flush() {
      await writes;
      if (failure !== undefined) throw failure;
    },
  };
  return registry;
}
