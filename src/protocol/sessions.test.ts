// Browser sessions (a refused credential is a 403 in this protocol): a login code becomes an HttpOnly, SameSite=Strict cookie; the cookie counts only with the CSRF
// header and from the server's own origin; it cannot be forged, outlives nothing it should not, and logging out
// ends it on every instance sharing the registry and secret.
import { describe, expect, it } from "vitest";
import { createHttpStore } from "../storage/httpStore";
import { createMemoryStore } from "../storage/memoryStore";
import { createDstackHandler, type DstackHandlerOptions } from "./handler";
import { createUserRegistry, type MemoryUserRegistry } from "./users";

const origin = "http://app.test";
const DAY = 24 * 60 * 60 * 1000;

function setup(options: Partial<DstackHandlerOptions> = {}) {
  let time = 1_700_000_000_000;
  const now = () => time;
  const users: MemoryUserRegistry = options.users
    ? (options.users as MemoryUserRegistry)
    : createUserRegistry({}, undefined, { now });
  users.addUser("alice");
  users.addUser("bob");
  const store = createMemoryStore({ user: "alice" });
  const handler = createDstackHandler({ store, users, secret: "s3cret", now, ...options });
  const call = async (
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const request = new Request(`${origin}/api${path}`, {
      method,
      headers: init.headers ?? {},
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const response = await handler(request);
    return { status: response.status, body: (await response.json()) as Record<string, unknown>, response };
  };
  const login = async (user = "alice") => {
    const answer = await call("POST", "/auth/session", {
      body: { user, code: users.newLoginCode(user) },
      headers: { "x-dstack-csrf": "1" },
    });
    expect(answer.status).toBe(200);
    const setCookie = answer.response.headers.get("set-cookie") ?? "";
    return { setCookie, cookie: setCookie.split(";")[0] as string, body: answer.body };
  };
  return { users, store, handler, call, login, advance: (ms: number) => (time += ms) };
}

const withCookie = (cookie: string, extra: Record<string, string> = {}) => ({
  headers: { cookie, "x-dstack-csrf": "1", ...extra },
});

describe("browser sessions", () => {
  it("exchanges a login code for an HttpOnly SameSite=Strict cookie, never a token in the answer", async () => {
    const { login, users } = setup();
    const { setCookie, body } = await login();
    expect(body).toEqual({ user: "alice" });
    expect(JSON.stringify(body)).not.toContain(users.tokenOf("alice") as string);
    expect(setCookie).toMatch(/^dstack_session=[\w-]+\.[0-9a-f]{64}; /);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).toContain("Path=/api");
    expect(setCookie).toContain(`Max-Age=${(30 * DAY) / 1000}`);
    expect(setCookie).not.toContain("Secure"); // plain http on loopback; https origins get Secure
  });

  it("marks the cookie Secure behind an https public URL", async () => {
    const { login } = setup({ publicUrl: "https://dstack.example.com" });
    expect((await login()).setCookie).toContain("; Secure");
  });

  it("refuses a code exchange without the CSRF header, and a used or wrong code", async () => {
    const { call, users } = setup();
    const code = users.newLoginCode("alice");
    const bare = await call("POST", "/auth/session", { body: { user: "alice", code } });
    expect(bare.status).toBe(403);
    expect(bare.response.headers.get("set-cookie")).toBeNull();
    const csrf = { "x-dstack-csrf": "1" };
    expect((await call("POST", "/auth/session", { body: { user: "alice", code }, headers: csrf })).status).toBe(200);
    expect((await call("POST", "/auth/session", { body: { user: "alice", code }, headers: csrf })).status).toBe(403);
    const wrong = await call("POST", "/auth/session", { body: { user: "bob", code: "nope" }, headers: csrf });
    expect(wrong.status).toBe(403);
  });

  it("acts as the session's user with the CSRF header, and as nobody without it or from another origin", async () => {
    const { call, login, store } = setup();
    await store.push({ stack: "secret", attachments: [{ data: new Blob(["x"]), contentType: "text/plain" }] });
    await store.updateStack("secret", { private: true });
    const { cookie } = await login();
    expect((await call("GET", "/auth/session", withCookie(cookie))).body).toEqual({ user: "alice" });
    expect((await call("GET", "/stacks/alice/secret", withCookie(cookie))).status).toBe(200);
    // Same-origin requests may name the origin; it must be this server's
    expect((await call("GET", "/stacks/alice/secret", withCookie(cookie, { origin }))).status).toBe(200);
    expect((await call("GET", "/stacks/alice/secret", withCookie(cookie, { origin: "http://evil.test" }))).status).toBe(
      403,
    );
    expect((await call("GET", "/stacks/alice/secret", { headers: { cookie } })).status).toBe(403);
    expect((await call("GET", "/auth/session")).status).toBe(403);
  });

  it("refuses a forged, altered or expired cookie", async () => {
    const { call, login, advance } = setup();
    const { cookie } = await login("bob");
    const [name, value] = cookie.split("=") as [string, string];
    const [payload, signature] = value.split(".") as [string, string];
    const claim = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
    const asAlice = btoa(JSON.stringify({ ...claim, user: "alice" })).replace(/=+$/, "");
    expect((await call("GET", "/auth/session", withCookie(`${name}=${asAlice}.${signature}`))).status).toBe(403);
    expect((await call("GET", "/auth/session", withCookie(`${name}=${payload}.${"0".repeat(64)}`))).status).toBe(403);
    expect((await call("GET", "/auth/session", withCookie(cookie))).body).toEqual({ user: "bob" });
    advance(30 * DAY + 1);
    expect((await call("GET", "/auth/session", withCookie(cookie))).status).toBe(403);
  });

  it("logs out: clears the cookie, and the old value stops working on every instance of the registry", async () => {
    const first = setup();
    const second = setup({ users: first.users });
    const { cookie } = await first.login();
    expect((await second.call("GET", "/auth/session", withCookie(cookie))).status).toBe(200);
    expect((await first.call("POST", "/auth/logout", { headers: { cookie } })).status).toBe(403);
    const out = await first.call("POST", "/auth/logout", withCookie(cookie));
    expect(out.status).toBe(200);
    expect(out.response.headers.get("set-cookie")).toMatch(/^dstack_session=; Path=\/api; Max-Age=0; HttpOnly/);
    expect((await first.call("GET", "/auth/session", withCookie(cookie))).status).toBe(403);
    expect((await second.call("GET", "/auth/session", withCookie(cookie))).status).toBe(403);
    // A new login works again
    const again = await first.login();
    expect((await second.call("GET", "/auth/session", withCookie(again.cookie))).body).toEqual({ user: "alice" });
  });

  it("HttpStore in session mode sends the CSRF header and no Authorization, and acts as the session's user", async () => {
    const { handler, login } = setup();
    const { cookie } = await login();
    const seen: Headers[] = [];
    // What a browser does on a same-origin page: attach the cookie it holds.
    const browserFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      request.headers.set("cookie", cookie);
      seen.push(request.headers);
      return handler(request);
    }) as typeof fetch;
    const store = createHttpStore({
      server: `${origin}/api`,
      user: "alice",
      session: true,
      fetch: browserFetch,
      events: false,
    });
    const d = await store.createDashboard({ title: "From the app" });
    expect(d.user).toBe("alice");
    expect(seen.every((h) => h.get("x-dstack-csrf") === "1" && !h.has("authorization"))).toBe(true);
    expect(() => createHttpStore({ server: `${origin}/api`, user: "alice", session: true, token: "t" })).toThrow(
      /token or session/,
    );
  });
});
