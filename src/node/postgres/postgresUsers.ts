// Users, tokens, login codes, shares, revocations and the URL-signing secret in PostgreSQL, for servers on the
// database. Every instance reads and changes the same rows: a token added by `dstack user add` works at once on
// every instance, a login code works once across all of them (its check runs on the row locked), and a revocation
// recorded by one instance ends the download links every instance issued. The rules are the in-memory
// registry's (protocol/users.ts): the same limits, the same single use, revocation times that never go back.
import { randomBytes } from "node:crypto";
import type { Pool, PoolClient } from "pg";
import { InvalidRequestError } from "../../model/errors";
import { validateUser } from "../../model/stackPath";
import {
  DEFAULT_FAILED_LOGIN_WINDOW_MS,
  DEFAULT_LOGIN_CODE_TTL_MS,
  DEFAULT_MAX_FAILED_LOGINS,
  newToken,
  type Resource,
  resourceKey,
  type UserRegistry,
  type UserRegistryOptions,
  type UserRegistryState,
} from "../../protocol/users";
import { inTransaction, prepared } from "./sql";

export interface PostgresUserRegistry extends UserRegistry {
  /**
   * Creates `name` (or keeps it) and answers its token. `token` sets it, or with `keepExisting` only gives it to a
   * new user (an existing one keeps its own, which is answered).
   */
  addUser(name: string, options?: { token?: string; keepExisting?: boolean }): Promise<string>;
  tokenOf(name: string): Promise<string | undefined>;
  /**
   * A single-use login code for `name`. `reuse`: answer the current one while it has at least half its life left,
   * so instances starting together print the same login URL. `code` and `expiresAt` set a known code instead.
   */
  newLoginCode(name: string, options?: { reuse?: boolean; code?: string; expiresAt?: number }): Promise<string>;
  /** The URL-signing secret every instance shares (made on first use). */
  secret(): Promise<string>;
  /** Adds what a file registry holds (users, shares, revocations), keeping what the database has. */
  importState(state: Partial<UserRegistryState>, secret?: string): Promise<void>;
}

interface UserRow {
  name: string;
  token: string;
  login_code: string | null;
  login_expires_at: number | null;
  failed_count: number | null;
  failed_since: number | null;
}

/** Compares in time independent of where the texts differ. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const UNIQUE_VIOLATION = "23505";
const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === UNIQUE_VIOLATION;

/**
 * The registry on `pool` (whose schema is migrated: open a store on it first, or call `migratePostgresSchema`).
 * @example const users = openPostgresUserRegistry(store.pool); const token = await users.addUser("alice");
 */
export function openPostgresUserRegistry(pool: Pool, options: UserRegistryOptions = {}): PostgresUserRegistry {
  const now = options.now ?? Date.now;
  const ttl = options.loginCodeTtlMs ?? DEFAULT_LOGIN_CODE_TTL_MS;
  const maxFailed = options.maxFailedLogins ?? DEFAULT_MAX_FAILED_LOGINS;
  const failedWindow = options.failedLoginWindowMs ?? DEFAULT_FAILED_LOGIN_WINDOW_MS;

  async function markRevoked(db: Pool | PoolClient, resource: Resource): Promise<void> {
    // Never backwards, so a clock step back (or a slower instance's clock) cannot revive what was revoked.
    await db.query(
      `INSERT INTO dstack_revocations (resource, at) VALUES ($1, $2)
       ON CONFLICT (resource) DO UPDATE SET at = greatest(dstack_revocations.at, EXCLUDED.at)`,
      [resourceKey(resource), now()],
    );
  }

  async function addUser(name: string, addOptions: { token?: string; keepExisting?: boolean } = {}): Promise<string> {
    validateUser(name);
    const wanted = addOptions.token;
    if (wanted !== undefined && (typeof wanted !== "string" || wanted.length === 0))
      throw new InvalidRequestError("a token must be a non-empty string");
    try {
      if (wanted === undefined || addOptions.keepExisting) {
        // Two instances creating the same user at once: one insert wins, both answer its token.
        await pool.query("INSERT INTO dstack_users (name, token) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", [
          name,
          wanted ?? newToken(),
        ]);
      } else {
        await pool.query(
          "INSERT INTO dstack_users (name, token) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET token = EXCLUDED.token",
          [name, wanted],
        );
      }
    } catch (error) {
      if (isUniqueViolation(error)) throw new InvalidRequestError("that token belongs to another user");
      throw error;
    }
    return (await tokenOf(name)) as string;
  }

  async function tokenOf(name: string): Promise<string | undefined> {
    const { rows } = await pool.query<{ token: string }>("SELECT token FROM dstack_users WHERE name = $1", [name]);
    return rows[0]?.token;
  }

  let secret: Promise<string> | undefined;

  return {
    async authenticate(token) {
      if (typeof token !== "string") return undefined;
      const { rows } = await prepared<{ name: string }>(pool, "SELECT name FROM dstack_users WHERE token = $1", [
        token,
      ]);
      return rows[0]?.name;
    },
    verifyCode(user, code) {
      if (typeof user !== "string") return Promise.resolve(undefined);
      return inTransaction(pool, async (client) => {
        const { rows } = await client.query<UserRow>("SELECT * FROM dstack_users WHERE name = $1 FOR UPDATE", [user]);
        const row = rows[0];
        // Unknown users have nothing to guess, and recording their attempts would let anyone grow the state.
        if (!row) return undefined;
        const t = now();
        let failed =
          row.failed_count !== null && row.failed_since !== null && t - row.failed_since < failedWindow
            ? { count: row.failed_count, since: row.failed_since }
            : undefined;
        // Locked out: refused without a change, so a flood of attempts writes nothing.
        if (failed && failed.count >= maxFailed) return undefined;
        const live = row.login_code !== null && row.login_expires_at !== null && t < row.login_expires_at;
        if (live && typeof code === "string" && sameText(code, row.login_code as string)) {
          await client.query(
            "UPDATE dstack_users SET login_code = NULL, login_expires_at = NULL, failed_count = NULL, failed_since = NULL WHERE name = $1",
            [user],
          );
          return row.token;
        }
        failed = failed ? { count: failed.count + 1, since: failed.since } : { count: 1, since: t };
        await client.query(
          `UPDATE dstack_users SET failed_count = $2, failed_since = $3,
                  login_code = CASE WHEN $4 THEN login_code END,
                  login_expires_at = CASE WHEN $4 THEN login_expires_at END WHERE name = $1`,
          [user, failed.count, failed.since, live],
        );
        return undefined;
      });
    },
    async hasUser(user) {
      const { rowCount } = await prepared(pool, "SELECT 1 FROM dstack_users WHERE name = $1", [user]);
      return (rowCount ?? 0) > 0;
    },
    async sharedWith(resource) {
      const { rows } = await prepared<{ username: string }>(
        pool,
        "SELECT username FROM dstack_shares WHERE resource = $1 ORDER BY username",
        [resourceKey(resource)],
      );
      return rows.map((r) => r.username);
    },
    async share(resource, user) {
      validateUser(user);
      const { rowCount } = await pool.query(
        `INSERT INTO dstack_shares (resource, username) SELECT $1, name FROM dstack_users WHERE name = $2
         ON CONFLICT DO NOTHING`,
        [resourceKey(resource), user],
      );
      if (!rowCount && !(await this.hasUser(user))) throw new InvalidRequestError(`no such user: ${user}`);
    },
    async unshare(resource, user) {
      await inTransaction(pool, async (client) => {
        await client.query("DELETE FROM dstack_shares WHERE resource = $1 AND username = $2", [
          resourceKey(resource),
          user,
        ]);
        // Even when `user` was not listed: the owner means to cut access, and a URL may outlive a share.
        await markRevoked(client, resource);
      });
    },
    async forget(resource) {
      await inTransaction(pool, async (client) => {
        await client.query("DELETE FROM dstack_shares WHERE resource = $1", [resourceKey(resource)]);
        await markRevoked(client, resource);
      });
    },
    revoke: (resource) => markRevoked(pool, resource),
    async revokedAt(resource) {
      const { rows } = await prepared<{ at: number }>(pool, "SELECT at FROM dstack_revocations WHERE resource = $1", [
        resourceKey(resource),
      ]);
      return rows[0]?.at;
    },
    addUser,
    tokenOf,
    async newLoginCode(name, codeOptions = {}) {
      const t = now();
      const fresh = codeOptions.code ?? randomBytes(8).toString("hex");
      const expiresAt = codeOptions.expiresAt ?? t + ttl;
      // A new code (a restart) ends a lockout the old one caused; a reused one is left as it is.
      const { rows } = await pool.query<{ login_code: string }>(
        `UPDATE dstack_users SET
           login_code = CASE WHEN $4 AND login_code IS NOT NULL AND login_expires_at - $3 >= $5 THEN login_code ELSE $2 END,
           failed_count = CASE WHEN $4 AND login_code IS NOT NULL AND login_expires_at - $3 >= $5 THEN failed_count END,
           failed_since = CASE WHEN $4 AND login_code IS NOT NULL AND login_expires_at - $3 >= $5 THEN failed_since END,
           login_expires_at = CASE WHEN $4 AND login_code IS NOT NULL AND login_expires_at - $3 >= $5
                                   THEN login_expires_at ELSE $6 END
         WHERE name = $1 RETURNING login_code`,
        [name, fresh, t, codeOptions.reuse === true, ttl / 2, expiresAt],
      );
      const row = rows[0];
      if (!row) throw new InvalidRequestError(`no such user: ${name}`);
      return row.login_code;
    },
    secret() {
      secret ??= (async () => {
        // The first instance makes it; every other one reads that one.
        await pool.query("INSERT INTO dstack_settings (key, value) VALUES ('url_secret', $1) ON CONFLICT DO NOTHING", [
          randomBytes(32).toString("hex"),
        ]);
        const { rows } = await pool.query<{ value: string }>(
          "SELECT value FROM dstack_settings WHERE key = 'url_secret'",
        );
        return (rows[0] as { value: string }).value;
      })();
      secret.catch(() => {
        secret = undefined;
      });
      return secret;
    },
    async importState(state, fileSecret) {
      await inTransaction(pool, async (client) => {
        for (const [name, entry] of Object.entries(state.users ?? {})) {
          if (typeof entry?.token !== "string" || entry.token.length === 0) continue;
          validateUser(name);
          const login = entry.login;
          const hasLogin = login && typeof login.code === "string" && Number.isFinite(login.expiresAt);
          await client.query(
            `INSERT INTO dstack_users (name, token, login_code, login_expires_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (name) DO NOTHING`,
            [name, entry.token, hasLogin ? login.code : null, hasLogin ? login.expiresAt : null],
          );
        }
        for (const [key, users] of Object.entries(state.shares ?? {})) {
          for (const user of Array.isArray(users) ? users : []) {
            await client.query(
              `INSERT INTO dstack_shares (resource, username) SELECT $1, name FROM dstack_users WHERE name = $2
               ON CONFLICT DO NOTHING`,
              [key, user],
            );
          }
        }
        for (const [key, at] of Object.entries(state.revoked ?? {})) {
          if (!Number.isFinite(at)) continue;
          await client.query(
            `INSERT INTO dstack_revocations (resource, at) VALUES ($1, $2)
             ON CONFLICT (resource) DO UPDATE SET at = greatest(dstack_revocations.at, EXCLUDED.at)`,
            [key, at],
          );
        }
        // Links the old server signed keep working when the database has no secret yet.
        if (fileSecret) {
          await client.query(
            "INSERT INTO dstack_settings (key, value) VALUES ('url_secret', $1) ON CONFLICT DO NOTHING",
            [fileSecret],
          );
        }
      });
      secret = undefined;
    },
  };
}
