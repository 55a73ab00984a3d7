// What `startServer({ database })` runs on: the PostgreSQL store, the registry on the same database, and the
// server's synchronous user calls (`addUser`, `newLoginCode`, as the file registry has them) over it. Loaded with
// import() only when a database is given, so the file-store server never loads `pg`.
import { randomBytes } from "node:crypto";
import { validateUser } from "../../model/stackPath";
import type { PushSessionStoreFactory } from "../../protocol/pushSessionStore";
import {
  DEFAULT_LOGIN_CODE_TTL_MS,
  type MemoryUserRegistry,
  newToken,
  type UserRegistryState,
} from "../../protocol/users";
import { createPostgresStore, type PostgresStore, withoutPassword } from "./postgresStore";
import { openPostgresUserRegistry, type PostgresUserRegistry } from "./postgresUsers";
import { createPostgresPushSessions } from "./pushSessions";

/** The registry as the server hands it out: the file registry's calls, the database underneath. */
export interface ServerUserRegistry extends MemoryUserRegistry {
  readonly secret: string;
  /** Resolves when every change made through the synchronous calls is in the database. */
  flush(): Promise<void>;
  readonly database: PostgresUserRegistry;
}

export interface PostgresBackend {
  store: PostgresStore;
  users: ServerUserRegistry;
  token: string;
  loginCode: string;
  /** The database URL without its password, for the banner. */
  where: string;
  /** Unfinished pushes in the database, so any instance takes any request of one (the handler's `pushSessions`). */
  pushSessions: PushSessionStoreFactory;
  close(): Promise<void>;
}

const TOKEN_CACHE_MS = 2000;

/**
 * Opens the store and registry on `database`, applying migrations, and makes sure `defaultUser` exists: every
 * instance on the database prints the same token, and the same login code while it has half its life left.
 */
export async function openPostgresBackend(database: string, defaultUser: string): Promise<PostgresBackend> {
  const store = createPostgresStore({ connectionString: database, user: defaultUser });
  try {
    await store.ready();
    const registry = openPostgresUserRegistry(store.pool);
    const token = await registry.addUser(defaultUser);
    const loginCode = await registry.newLoginCode(defaultUser, { reuse: true });
    const secret = await registry.secret();
    const { rows } = await store.pool.query<{ name: string; token: string }>("SELECT name, token FROM dstack_users");
    const users = serverRegistry(registry, secret, new Map(rows.map((r) => [r.name, r.token])));
    return {
      store,
      users,
      token,
      loginCode,
      where: withoutPassword(database),
      pushSessions: (limits) => createPostgresPushSessions(store, limits),
      async close() {
        await users.flush().catch(() => {});
        await store.close();
      },
    };
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
}

/**
 * The synchronous calls answer at once from what this instance knows and write in the background; every read
 * waits for those writes first, so a token handed out is accepted by the next request. A user another instance
 * created meanwhile keeps its own token (the database's wins, as with two processes on one users.json).
 */
function serverRegistry(
  registry: PostgresUserRegistry,
  secret: string,
  known: Map<string, string>,
): ServerUserRegistry {
  let tail: Promise<unknown> = Promise.resolve();
  let failure: unknown;
  const recent = new Map<string, { user: string; until: number }>();
  const later = (write: () => Promise<unknown>) => {
    const next = tail.then(write);
    tail = next.catch((error: unknown) => {
      failure ??= error;
    });
  };
  const settled = () => tail;
  const after =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await settled();
      return call(...args);
    };
  return {
    secret,
    database: registry,
    // Every request authenticates: a token seen valid is trusted for a moment, saving a round trip per request.
    // Tokens are only ever replaced (addUser with a token), so the cost is a replaced token working that moment on.
    async authenticate(token) {
      const hit = typeof token === "string" ? recent.get(token) : undefined;
      if (hit && hit.until > Date.now()) return hit.user;
      await settled();
      const user = await registry.authenticate(token);
      if (user !== undefined) {
        if (recent.size >= 10_000) recent.clear();
        recent.set(token, { user, until: Date.now() + TOKEN_CACHE_MS });
      }
      return user;
    },
    verifyCode: after((user: string, code: string) => registry.verifyCode(user, code)),
    hasUser: after((user: string) => registry.hasUser(user)),
    sharedWith: after((resource) => registry.sharedWith(resource)),
    share: after((resource, user) => registry.share(resource, user)),
    unshare: after((resource, user) => registry.unshare(resource, user)),
    forget: after((resource) => registry.forget(resource)),
    revoke: after((resource) => registry.revoke(resource)),
    revokedAt: after((resource) => registry.revokedAt(resource)),
    addUser(name, addOptions = {}) {
      validateUser(name);
      const existing = known.get(name);
      if (existing !== undefined && addOptions.token === undefined) return existing;
      const token = addOptions.token ?? newToken();
      known.set(name, token);
      recent.clear();
      later(async () => {
        const stored = await registry.addUser(name, { token, keepExisting: addOptions.token === undefined });
        known.set(name, stored);
      });
      return token;
    },
    tokenOf: (name) => known.get(name),
    newLoginCode(name, codeOptions = {}) {
      const code = codeOptions.code ?? randomBytes(8).toString("hex");
      const expiresAt = codeOptions.expiresAt ?? Date.now() + DEFAULT_LOGIN_CODE_TTL_MS;
      later(() => registry.newLoginCode(name, { code, expiresAt }));
      return code;
    },
    snapshot(): UserRegistryState {
      const users: UserRegistryState["users"] = {};
      for (const [name, token] of known) users[name] = { token };
      return { users, shares: {}, revoked: {} };
    },
    async flush() {
      await tail;
      if (failure !== undefined) throw failure;
    },
  };
}

/** `dstack user add NAME --database URL`: creates the user (or keeps it) and answers its token. */
export async function addDatabaseUser(database: string, name: string): Promise<string> {
  const store = createPostgresStore({ connectionString: database });
  try {
    await store.ready();
    return await openPostgresUserRegistry(store.pool).addUser(name);
  } finally {
    await store.close();
  }
}
