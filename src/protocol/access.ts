// Who is calling, and what they may see or change. One place for the rules, so no route can forget them
// (the 2020 server forgot /frames and /attachs).
import { BadCredentialsError, ForbiddenError } from "../model/errors";
import { CSRF_HEADER, readCookie, SESSION_COOKIE, type SessionCookies } from "./sessionCookies";
import type { Resource, UserRegistry } from "./users";

/** `user` undefined: an anonymous caller (only where anonymous reads are on). `superuser`: the open mock mode. */
export interface Caller {
  user?: string;
  superuser: boolean;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export interface AccessOptions {
  /** Without a registry every request acts as `openUser` with every right (msw mocks, local tests). */
  users?: UserRegistry;
  openUser: string;
  /** Let requests without a token read public stacks and dashboards. */
  anonymousReads: boolean;
  /** Browser sessions (the served app's cookie); without them only bearer tokens count. */
  sessions?: SessionCookies;
  /** The origins this server answers as (its public URL, its own address): a cookie counts only from them. */
  ownOrigins?: (request: Request) => string[];
}

export function createAccess(options: AccessOptions) {
  const { users, openUser, anonymousReads, sessions } = options;

  /**
   * The session cookie of `request`, when it may count: sent with the CSRF header (which a page elsewhere cannot
   * add: the CORS answer never allows credentials) and, when the browser names an Origin, from this server's own.
   */
  function sessionCookieOf(request: Request): string | undefined {
    const cookie = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
    if (!cookie || !sessions || request.headers.get(CSRF_HEADER) !== "1") return undefined;
    const origin = request.headers.get("origin");
    if (origin !== null && !(options.ownOrigins?.(request) ?? []).includes(origin)) return undefined;
    return cookie;
  }

  /** The caller of `request`; a bad token is always a 403, a missing one only where anonymous reads are off. */
  async function callerOf(request: Request, read: boolean): Promise<Caller> {
    if (!users) return { user: openUser, superuser: true };
    const header = request.headers.get("authorization");
    if (header === null || header.trim() === "") {
      const cookie = sessionCookieOf(request);
      if (cookie !== undefined) {
        const session = await sessions?.verify(cookie);
        if (session) return { user: session.user, superuser: false };
        throw new BadCredentialsError();
      }
      if (read && anonymousReads) return { superuser: false };
      throw new BadCredentialsError();
    }
    const match = BEARER.exec(header);
    const user = match ? await users.authenticate(match[1] as string) : undefined;
    if (user === undefined) throw new BadCredentialsError();
    return { user, superuser: false };
  }

  /** Owner, superuser, anyone for public resources, and users a private one is shared with. */
  async function canSee(caller: Caller, owner: string, isPrivate: boolean, resource: Resource): Promise<boolean> {
    if (caller.superuser || caller.user === owner || !isPrivate) return true;
    if (caller.user === undefined || !users) return false;
    return (await users.sharedWith(resource)).includes(caller.user);
  }

  /** Only the owner changes a stack or dashboard (pushes included). */
  function requireOwner(caller: Caller, owner: string, what: string): void {
    if (caller.superuser || caller.user === owner) return;
    if (caller.user === undefined) throw new BadCredentialsError();
    throw new ForbiddenError(`only ${owner} can change ${what}`);
  }

  return { callerOf, canSee, requireOwner, users, sessionCookieOf };
}

export type Access = ReturnType<typeof createAccess>;
