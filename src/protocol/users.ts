// Who may call the server (bearer tokens), and with whom private stacks and dashboards are shared. The handler
// asks this registry only; the Node server persists it to a file, tests and msw keep it in memory.
import { InvalidRequestError } from "../model/errors";
import { validateUser } from "../model/stackPath";

/**
 * Something that can be shared: a stack (`user/name`) or a dashboard; or, for revocation only, a browser session
 * (ended by logging out).
 */
export type Resource =
  | { type: "stack"; path: string }
  | { type: "dashboard"; user: string; id: string }
  | { type: "session"; id: string };

export interface UserRegistry {
  /** The user a bearer token belongs to, if any. */
  authenticate(token: string): Promise<string | undefined>;
  /**
   * Exchanges a login code (printed by `dstack server start`) for that user's token. A code works once and only
   * until it expires; after too many failed attempts every attempt for that user is refused for a while.
   */
  verifyCode(user: string, code: string): Promise<string | undefined>;
  hasUser(user: string): Promise<boolean>;
  /** Users a private resource is shared with (its owner aside). */
  sharedWith(resource: Resource): Promise<string[]>;
  share(resource: Resource, user: string): Promise<void>;
  /** Stops sharing with `user`, and records a revocation of the resource (see `revoke`). */
  unshare(resource: Resource, user: string): Promise<void>;
  /**
   * Drops every share of a deleted resource, so a new one with the same name starts private to its owner, and
   * records a revocation of it.
   */
  forget(resource: Resource): Promise<void>;
  /** Records now as the latest revocation of `resource`: what was handed out for it before (download URLs) ends. */
  revoke(resource: Resource): Promise<void>;
  /** Epoch ms of the latest revocation of `resource` (by revoke, unshare or forget), if it ever had one. */
  revokedAt(resource: Resource): Promise<number | undefined>;
}

/** A login code waiting to be used. */
export interface LoginCode {
  code: string;
  /** Epoch ms after which the code is refused. */
  expiresAt: number;
}

export interface UserEntry {
  token: string;
  /** The user's login code, until it is used or replaced (an expired one is dropped at the next attempt). */
  login?: LoginCode;
  /** Failed login attempts in the window that started at `since` (epoch ms). */
  failedLogins?: { count: number; since: number };
}

/** Plain-JSON state of a registry, for persistence. */
export interface UserRegistryState {
  users: Record<string, UserEntry>;
  /** Resource key → users it is shared with. */
  shares: Record<string, string[]>;
  /** Resource key → epoch ms of its latest revocation. */
  revoked: Record<string, number>;
}

export interface UserRegistryOptions {
  /** The clock (epoch ms); tests inject one. */
  now?: () => number;
  /** How long a login code works; default 24 hours. */
  loginCodeTtlMs?: number;
  /** Failed login attempts a user may have within `failedLoginWindowMs`; default 5. */
  maxFailedLogins?: number;
  /** Default 15 minutes. Once the limit is reached, every attempt is refused until the window ends. */
  failedLoginWindowMs?: number;
}

/**
 * A day: the code is printed when the server starts, and is meant to be opened that day. It is single-use and the
 * token it gives is printed next to it, so a longer life adds nothing, while a code left in an old log or
 * scrollback stops working.
 */
export const DEFAULT_LOGIN_CODE_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_MAX_FAILED_LOGINS = 5;
export const DEFAULT_FAILED_LOGIN_WINDOW_MS = 15 * 60 * 1000;

/** The in-memory registry, with the synchronous management calls the CLI and tests use. */
export interface MemoryUserRegistry extends UserRegistry {
  /** Creates `name` (or keeps it) and returns its token. */
  addUser(name: string, options?: { token?: string }): string;
  tokenOf(name: string): string | undefined;
  /**
   * A fresh single-use login code for `name`, valid for the registry's `loginCodeTtlMs` (replacing the previous
   * one). `code` and `expiresAt` restore a known code instead (the file registry replays its changes this way).
   */
  newLoginCode(name: string, options?: { code?: string; expiresAt?: number }): string;
  snapshot(): UserRegistryState;
}

export function resourceKey(resource: Resource): string {
  if (resource.type === "stack") return `stack:${resource.path}`;
  if (resource.type === "session") return `session:${resource.id}`;
  return `dashboard:${resource.user}/${resource.id}`;
}

function randomToken(bytes: number): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(raw, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A new bearer token: 128 random bits as a UUID, the shape 2020 dstack tokens had. */
export const newToken = (): string => crypto.randomUUID();

/** Compares in time independent of where the texts differ. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const isTime = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/** A user entry as read from a file: unknown fields dropped (a 0.1 `code` string had no expiry, so it goes too). */
function cleanEntry(raw: UserEntry): UserEntry {
  const entry: UserEntry = { token: raw.token };
  const login = raw.login;
  if (login && typeof login.code === "string" && login.code && isTime(login.expiresAt)) {
    entry.login = { code: login.code, expiresAt: login.expiresAt };
  }
  const failed = raw.failedLogins;
  if (failed && isTime(failed.count) && isTime(failed.since)) {
    entry.failedLogins = { count: failed.count, since: failed.since };
  }
  return entry;
}

function copyEntry(entry: UserEntry): UserEntry {
  const out: UserEntry = { token: entry.token };
  if (entry.login) out.login = { ...entry.login };
  if (entry.failedLogins) out.failedLogins = { ...entry.failedLogins };
  return out;
}

/**
 * A registry held in memory; `onChange` gets every new state (the Node server writes it to disk).
 * @example const users = createUserRegistry(); const token = users.addUser("alice");
 */
export function createUserRegistry(
  initial: Partial<UserRegistryState> = {},
  onChange?: (state: UserRegistryState) => void,
  options: UserRegistryOptions = {},
): MemoryUserRegistry {
  const now = options.now ?? Date.now;
  const ttl = options.loginCodeTtlMs ?? DEFAULT_LOGIN_CODE_TTL_MS;
  const maxFailed = options.maxFailedLogins ?? DEFAULT_MAX_FAILED_LOGINS;
  const failedWindow = options.failedLoginWindowMs ?? DEFAULT_FAILED_LOGIN_WINDOW_MS;
  const users = new Map<string, UserEntry>();
  const byToken = new Map<string, string>();
  const shares = new Map<string, Set<string>>();
  const revoked = new Map<string, number>();
  for (const [name, entry] of Object.entries(initial.users ?? {})) {
    if (typeof entry?.token !== "string" || entry.token.length === 0) continue;
    users.set(validateUser(name), cleanEntry(entry));
    byToken.set(entry.token, name);
  }
  for (const [key, list] of Object.entries(initial.shares ?? {})) {
    if (Array.isArray(list)) shares.set(key, new Set(list.filter((u) => typeof u === "string")));
  }
  for (const [key, at] of Object.entries(initial.revoked ?? {})) if (isTime(at)) revoked.set(key, at);

  const snapshot = (): UserRegistryState => ({
    users: Object.fromEntries([...users].map(([name, entry]) => [name, copyEntry(entry)])),
    shares: Object.fromEntries([...shares].map(([key, set]) => [key, [...set]])),
    revoked: Object.fromEntries(revoked),
  });
  const changed = () => onChange?.(snapshot());

  /** Records a revocation without announcing it (callers announce their whole change once). */
  const markRevoked = (resource: Resource) => {
    const key = resourceKey(resource);
    // Never backwards, so a clock step back cannot revive what was revoked.
    revoked.set(key, Math.max(now(), revoked.get(key) ?? 0));
  };

  return {
    async authenticate(token) {
      return typeof token === "string" ? byToken.get(token) : undefined;
    },
    async verifyCode(user, code) {
      const entry = typeof user === "string" ? users.get(user) : undefined;
      // Unknown users have nothing to guess, and recording their attempts would let anyone grow the state.
      if (!entry) return undefined;
      const t = now();
      if (entry.failedLogins && t - entry.failedLogins.since >= failedWindow) delete entry.failedLogins;
      // Locked out: refused without a change, so a flood of attempts writes nothing.
      if (entry.failedLogins && entry.failedLogins.count >= maxFailed) return undefined;
      const login = entry.login;
      if (login && t < login.expiresAt && typeof code === "string" && sameText(code, login.code)) {
        delete entry.login; // single use
        delete entry.failedLogins;
        changed();
        return entry.token;
      }
      if (login && t >= login.expiresAt) delete entry.login;
      if (entry.failedLogins) entry.failedLogins.count++;
      else entry.failedLogins = { count: 1, since: t };
      changed();
      return undefined;
    },
    async hasUser(user) {
      return users.has(user);
    },
    async sharedWith(resource) {
      return [...(shares.get(resourceKey(resource)) ?? [])];
    },
    async share(resource, user) {
      validateUser(user);
      if (!users.has(user)) throw new InvalidRequestError(`no such user: ${user}`);
      const key = resourceKey(resource);
      const set = shares.get(key) ?? new Set<string>();
      set.add(user);
      shares.set(key, set);
      changed();
    },
    async unshare(resource, user) {
      const key = resourceKey(resource);
      if (shares.get(key)?.delete(user) && shares.get(key)?.size === 0) shares.delete(key);
      // Even when `user` was not listed: the owner means to cut access, and a URL may outlive a share.
      markRevoked(resource);
      changed();
    },
    async forget(resource) {
      shares.delete(resourceKey(resource));
      markRevoked(resource);
      changed();
    },
    async revoke(resource) {
      markRevoked(resource);
      changed();
    },
    async revokedAt(resource) {
      return revoked.get(resourceKey(resource));
    },
    addUser(name, addOptions = {}) {
      validateUser(name);
      const existing = users.get(name);
      if (existing && addOptions.token === undefined) return existing.token;
      const token = addOptions.token ?? newToken();
      const owner = byToken.get(token);
      if (owner !== undefined && owner !== name) throw new InvalidRequestError("that token belongs to another user");
      if (existing) byToken.delete(existing.token);
      users.set(name, { ...(existing ?? {}), token });
      byToken.set(token, name);
      changed();
      return token;
    },
    tokenOf(name) {
      return users.get(name)?.token;
    },
    newLoginCode(name, codeOptions = {}) {
      const entry = users.get(name);
      if (!entry) throw new InvalidRequestError(`no such user: ${name}`);
      entry.login = { code: codeOptions.code ?? randomToken(8), expiresAt: codeOptions.expiresAt ?? now() + ttl };
      // A new code (a restart) ends a lockout the old one caused.
      delete entry.failedLogins;
      changed();
      return entry.login.code;
    },
    snapshot,
  };
}
