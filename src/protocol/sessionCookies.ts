// Browser sessions for the app a server serves: the printed login code is exchanged for an HttpOnly,
// SameSite=Strict cookie, so no script on the page (the app's, or one a hostile stack smuggled in) can read
// the credential. The cookie is a signed claim (user, session id, issue and expiry time), so every instance
// that shares the signing secret accepts it; logging out records a revocation of the session id in the registry.
import type { UrlSigner } from "./signedUrl";
import type { UserRegistry } from "./users";

export const SESSION_COOKIE = "dstack_session";
/** Asked of every cookie-authenticated request: a page on another origin cannot send it with the cookie. */
export const CSRF_HEADER = "x-dstack-csrf";
const DAY = 24 * 60 * 60 * 1000;
export const DEFAULT_SESSION_TTL_MS = 30 * DAY;

export interface Session {
  user: string;
  id: string;
  issuedAt: number;
  expires: number;
}

const toBase64Url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

function fromBase64Url(text: string): string | undefined {
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** The value of `name` in a Cookie header, if any. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function createSessionCookies(
  signer: UrlSigner,
  users: UserRegistry | undefined,
  now: () => number,
  ttlMs = DEFAULT_SESSION_TTL_MS,
) {
  const message = (payload: string) => `session\n${payload}`;
  return {
    ttlMs,
    /** A new session of `user`: the cookie value and the session. */
    async issue(user: string): Promise<{ value: string; session: Session }> {
      const issuedAt = now();
      const session: Session = { user, id: crypto.randomUUID(), issuedAt, expires: issuedAt + ttlMs };
      const payload = toBase64Url(JSON.stringify(session));
      return { value: `${payload}.${await signer.sign(message(payload), session.expires)}`, session };
    },
    /** The session a cookie value stands for; undefined when forged, expired, revoked or its user is gone. */
    async verify(value: string | undefined): Promise<Session | undefined> {
      if (!value || value.length > 1024) return undefined;
      const dot = value.indexOf(".");
      if (dot < 0) return undefined;
      const payload = value.slice(0, dot);
      const text = fromBase64Url(payload);
      let session: Session;
      try {
        session = JSON.parse(text ?? "null") as Session;
      } catch {
        return undefined;
      }
      if (!session || typeof session.user !== "string" || typeof session.id !== "string") return undefined;
      if (!Number.isSafeInteger(session.issuedAt) || session.issuedAt > now()) return undefined;
      if (!(await signer.verify(message(payload), session.expires, value.slice(dot + 1), now()))) return undefined;
      if (!users || !(await users.hasUser(session.user))) return undefined;
      if ((await users.revokedAt({ type: "session", id: session.id })) !== undefined) return undefined;
      return session;
    },
    /** Ends a session for good (every instance on the same registry refuses its cookie from now on). */
    async revoke(session: Session): Promise<void> {
      await users?.revoke({ type: "session", id: session.id });
    },
  };
}

export type SessionCookies = ReturnType<typeof createSessionCookies>;

/** The Set-Cookie header of a session (or, with `value` empty and `maxAgeMs` 0, of its removal). */
export function sessionCookieHeader(value: string, maxAgeMs: number, path: string, secure: boolean): string {
  const parts = [
    `${SESSION_COOKIE}=${value}`,
    `Path=${path || "/"}`,
    `Max-Age=${Math.floor(maxAgeMs / 1000)}`,
    "HttpOnly",
    "SameSite=Strict",
  ];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}
