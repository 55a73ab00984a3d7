// The server's users, tokens, login codes, shares, revocations and URL-signing secret in
// HOME/.dstack/server/users.json (mode 0600), replaced atomically on every change. Tokens are kept as they are:
// `dstack server start` prints the default user's token on every start, as the 2020 server did.
//
// The server and `dstack user add` (another process) both change the file, so no writer trusts its copy: every
// change runs under a lock file (users.json.lock), on the state read from the file right then, and writes the
// result. The synchronous management calls (addUser, newLoginCode) change the copy in memory at once and the file
// in the background (`flush` waits for it); reads use the copy in memory, reloaded when the file has changed and
// a token or user is not found in it.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { DstackError } from "../model/errors";
import {
  createUserRegistry,
  DEFAULT_LOGIN_CODE_TTL_MS,
  type MemoryUserRegistry,
  type UserRegistryOptions,
  type UserRegistryState,
} from "../protocol/users";
import { writeFileAtomic } from "./atomicWrite";
import { type FileLockOptions, withFileLock } from "./fileLock";

interface UsersFile extends UserRegistryState {
  /** Signs download URLs, so links stay valid across restarts. */
  secret: string;
}

export interface FileUserRegistryOptions extends UserRegistryOptions {
  /** How long to wait for, and when to break, the lock of another process. */
  lock?: FileLockOptions;
}

export interface FileUserRegistry extends MemoryUserRegistry {
  /** The URL-signing secret: the one in the file (a new one is written there when it has none). */
  readonly secret: string;
  /** Resolves when every change so far is on disk; throws the first one that failed. */
  flush(): Promise<void>;
}

function parse(file: string, text: string): Partial<UsersFile> {
  try {
    return JSON.parse(text) as Partial<UsersFile>;
  } catch (cause) {
    throw new DstackError(`cannot read ${file}: not valid JSON`, "corrupt_store", 500, { cause });
  }
}

function loadSync(file: string): Partial<UsersFile> {
  try {
    return parse(file, readFileSync(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
}

async function load(file: string): Promise<Partial<UsersFile>> {
  try {
    return parse(file, await readFile(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
}

const validSecret = (value: unknown): string | undefined =>
  typeof value === "string" && value.length > 0 ? value : undefined;

/** Changes with every write: each one renames a new file (a new inode) into place. */
function stampOf(file: string): string {
  const info = statSync(file, { throwIfNoEntry: false });
  return info ? `${info.ino}:${info.size}:${info.mtimeMs}` : "";
}

type Change = (registry: MemoryUserRegistry) => void;

/** Opens (or creates) the registry stored in `file`. */
export function openFileUserRegistry(file: string, options: FileUserRegistryOptions = {}): FileUserRegistry {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const lockFile = `${file}.lock`;
  const now = options.now ?? Date.now;
  const ttl = options.loginCodeTtlMs ?? DEFAULT_LOGIN_CODE_TTL_MS;
  /** The state last read from or written to the file, and the file's stamp then. */
  let base = loadSync(file);
  let baseStamp = stampOf(file);
  let secret = validSecret(base.secret) ?? randomBytes(32).toString("hex");
  /** Changes made in memory whose write has not finished: replayed on every newer state read from the file. */
  const pending: Change[] = [];
  const build = () => {
    const registry = createUserRegistry(base, undefined, options);
    for (const change of pending) {
      try {
        change(registry);
      } catch {
        // Refused on the newer state (the write will fail the same way and report it).
      }
    }
    return registry;
  };
  let current = build();
  let tail: Promise<unknown> = Promise.resolve();
  let failure: unknown;

  /**
   * Runs `change` on the state in the file, holding the lock, and writes the result when it changed anything.
   * One at a time in this process; the lock orders it with other processes.
   */
  function transact<T>(change: (fresh: MemoryUserRegistry) => T | Promise<T>, queued?: Change): Promise<T> {
    const run = () =>
      withFileLock(
        lockFile,
        async () => {
          try {
            const loaded = await load(file);
            let dirty = false;
            const fresh = createUserRegistry(
              loaded,
              () => {
                dirty = true;
              },
              options,
            );
            const result = await change(fresh);
            const fileSecret = validSecret(loaded.secret);
            if (fileSecret === undefined) dirty = true;
            else secret = fileSecret;
            const state: UsersFile = { ...fresh.snapshot(), secret };
            if (dirty) await writeFileAtomic(file, JSON.stringify(state, null, 2), true);
            base = state;
            baseStamp = stampOf(file);
            return result;
          } finally {
            if (queued) pending.splice(pending.indexOf(queued), 1);
            current = build();
          }
        },
        options.lock,
      );
    const result = tail.then(run);
    tail = result.catch(() => undefined);
    return result;
  }

  /** A change made in memory now and written in the background. */
  function later(change: Change): void {
    pending.push(change);
    transact(change, change).catch((error: unknown) => {
      failure ??= error;
    });
  }

  /** Picks up what another process (the CLI) wrote since the last read. */
  function reloadIfChanged(): boolean {
    const stamp = stampOf(file);
    if (stamp === baseStamp) return false;
    base = loadSync(file);
    baseStamp = stamp;
    secret = validSecret(base.secret) ?? secret;
    current = build();
    return true;
  }

  // A new file (or one without a secret) gets the secret at once, unless another process wrote one first.
  if (validSecret(base.secret) === undefined) later(() => {});

  const registry: FileUserRegistry = {
    get secret() {
      return secret;
    },
    async authenticate(token) {
      const user = await current.authenticate(token);
      if (user !== undefined || !reloadIfChanged()) return user;
      return current.authenticate(token);
    },
    // Under the lock on the file's state: a code is used once across every process, failures add up.
    verifyCode: (user, code) => transact((fresh) => fresh.verifyCode(user, code)),
    async hasUser(user) {
      return (await current.hasUser(user)) || (reloadIfChanged() && current.hasUser(user));
    },
    sharedWith: (resource) => current.sharedWith(resource),
    share: (resource, user) => transact((fresh) => fresh.share(resource, user)),
    unshare: (resource, user) => transact((fresh) => fresh.unshare(resource, user)),
    forget: (resource) => transact((fresh) => fresh.forget(resource)),
    revoke: (resource) => transact((fresh) => fresh.revoke(resource)),
    revokedAt: (resource) => current.revokedAt(resource),
    addUser(name, addOptions = {}) {
      if (current.tokenOf(name) === undefined) reloadIfChanged();
      const existing = current.tokenOf(name);
      const token = current.addUser(name, addOptions);
      if (addOptions.token !== undefined) later((r) => r.addUser(name, { token }));
      // Kept if another process created the same user meanwhile: the file's token wins (see tokenOf after flush).
      else if (existing === undefined) later((r) => r.tokenOf(name) ?? r.addUser(name, { token }));
      return token;
    },
    tokenOf(name) {
      return current.tokenOf(name) ?? (reloadIfChanged() ? current.tokenOf(name) : undefined);
    },
    newLoginCode(name, codeOptions = {}) {
      if (current.tokenOf(name) === undefined) reloadIfChanged();
      const expiresAt = codeOptions.expiresAt ?? now() + ttl;
      const code = current.newLoginCode(name, { ...codeOptions, expiresAt });
      later((r) => r.newLoginCode(name, { code, expiresAt }));
      return code;
    },
    snapshot: () => current.snapshot(),
    async flush() {
      await tail;
      if (failure !== undefined) throw failure;
    },
  };
  return registry;
}
