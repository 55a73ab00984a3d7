// Who may call the server (bearer tokens), and with whom private stacks and dashboards are shared. The handler
// asks this registry only; the Node server persists it to a file, tests and msw keep it in memory.
import { InvalidRequestError } from "../model/errors";
import { validateUser } from "../model/stackPath";

/** Something that can be shared: a stack (`user/name`) or a dashboard. */
export type Resource = { type: "stack"; path: string } | { type: "dashboard"; user: string; id: string };

export interface UserRegistry {
  /** The user a bearer token belongs to, if any. */
  authenticate(token: string): Promise<string | undefined>;
  /** Exchanges a login code (printed by `dstack server start`) for that user's token. */
  verifyCode(user: string, code: string): Promise<string | undefined>;
  hasUser(user: string): Promise<boolean>;
  /** Users a private resource is shared with (its owner aside). */
  sharedWith(resource: Resource): Promise<string[]>;
  share(resource: Resource, user: string): Promise<void>;
  unshare(resource: Resource, user: string): Promise<void>;
  /** Drops every share of a deleted resource, so a new one with the same name starts private to its owner. */
  forget(resource: Resource): Promise<void>;
}

/** Plain-JSON state of a registry, for persistence. */
export interface UserRegistryState {
  users: Record<string, { token: string; code?: string }>;
  /** Resource key → users it is shared with. */
  shares: Record<string, string[]>;
}

/** The in-memory registry, with the synchronous management calls the CLI and tests use. */
export interface MemoryUserRegistry extends UserRegistry {
  /** Creates `name` (or keeps it) and returns its token. */
  addUser(name: string, options?: { token?: string }): string;
  tokenOf(name: string): string | undefined;
  /** A fresh one-time login code for `name` (replacing the previous one). */
  newLoginCode(name: string): string;
  snapshot(): UserRegistryState;
}

export function resourceKey(resource: Resource): string {
  return resource.type === "stack" ? `stack:${resource.path}` : `dashboard:${resource.user}/${resource.id}`;
}

function randomToken(bytes: number): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(raw, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A new bearer token: 128 random bits as a UUID, the shape 2020 dstack tokens had. */
export const newToken = (): string => crypto.randomUUID();

/**
 * A registry held in memory; `onChange` gets every new state (the Node server writes it to disk).
 * @example const users = createUserRegistry(); const token = users.addUser("alice");
 */
export function createUserRegistry(
  initial: Partial<UserRegistryState> = {},
  onChange?: (state: UserRegistryState) => void,
): MemoryUserRegistry {
  const users = new Map<string, { token: string; code?: string }>();
  const byToken = new Map<string, string>();
  const shares = new Map<string, Set<string>>();
  for (const [name, entry] of Object.entries(initial.users ?? {})) {
    if (typeof entry?.token !== "string" || entry.token.length === 0) continue;
    users.set(validateUser(name), { ...entry });
    byToken.set(entry.token, name);
  }
  for (const [key, list] of Object.entries(initial.shares ?? {})) {
    if (Array.isArray(list)) shares.set(key, new Set(list.filter((u) => typeof u === "string")));
  }

  const snapshot = (): UserRegistryState => ({
    users: Object.fromEntries([...users].map(([name, entry]) => [name, { ...entry }])),
    shares: Object.fromEntries([...shares].map(([key, set]) => [key, [...set]])),
  });
  const changed = () => onChange?.(snapshot());

  return {
    async authenticate(token) {
      return typeof token === "string" ? byToken.get(token) : undefined;
    },
    async verifyCode(user, code) {
      const entry = users.get(user);
      if (!entry?.code || typeof code !== "string" || code !== entry.code) return undefined;
      return entry.token;
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
      if (shares.get(key)?.delete(user)) {
        if (shares.get(key)?.size === 0) shares.delete(key);
        changed();
      }
    },
    async forget(resource) {
      if (shares.delete(resourceKey(resource))) changed();
    },
    addUser(name, options = {}) {
      validateUser(name);
      const existing = users.get(name);
      if (existing && options.token === undefined) return existing.token;
      const token = options.token ?? newToken();
      const owner = byToken.get(token);
      if (owner !== undefined && owner !== name) throw new InvalidRequestError("that token belongs to another user");
      if (existing) byToken.delete(existing.token);
      users.set(name, { ...existing, token });
      byToken.set(token, name);
      changed();
      return token;
    },
    tokenOf(name) {
      return users.get(name)?.token;
    },
    newLoginCode(name) {
      const entry = users.get(name);
      if (!entry) throw new InvalidRequestError(`no such user: ${name}`);
      entry.code = randomToken(8);
      changed();
      return entry.code;
    },
    snapshot,
  };
}
