// Which store the app reads: this browser's IndexedDB, or a dstack server (by the session cookie when the app is
// served by that server, or by a token typed in settings for another server).
import { createHttpStore, createIndexedDBStore, type StackStore } from "dstack-kit";

/** What settings remember (localStorage). A session is never remembered: the cookie is the server's. */
export type StoreChoice =
  | { kind: "auto" }
  | { kind: "browser" }
  | { kind: "server"; server: string; user: string; token: string };

/** What GET /api/auth/session said about the origin that served the app. */
export type Served = { kind: "none" } | { kind: "signed-out" } | { kind: "signed-in"; user: string };

export type LiveState = "connecting" | "live" | "offline";

export interface Connection {
  store: StackStore;
  /** "browser", "session" (this server, signed in by cookie) or "token" (a server named in settings). */
  mode: "browser" | "session" | "token";
  user: string;
  /** API base of a server, with no trailing slash. */
  server?: string;
  /** Whether store changes from elsewhere reach the page now; IndexedDB hears other tabs at all times. */
  live: LiveStatus;
}

const CHOICE_KEY = "dstack-app.store";
/** sessionStorage: the page a signed-out visitor opened, to return to after the login URL. */
export const RETURN_KEY = "dstack-app.return";
export const CSRF_HEADER = { "x-dstack-csrf": "1" } as const;

export function readChoice(): StoreChoice {
  try {
    const value = JSON.parse(localStorage.getItem(CHOICE_KEY) ?? "null") as StoreChoice | null;
    if (value?.kind === "browser" || value?.kind === "auto") return value;
    if (value?.kind === "server" && typeof value.server === "string" && typeof value.user === "string") {
      return { kind: "server", server: value.server, user: value.user, token: String(value.token ?? "") };
    }
  } catch {
    // A value another version wrote: fall back to the default.
  }
  return { kind: "auto" };
}

export function writeChoice(choice: StoreChoice): void {
  localStorage.setItem(CHOICE_KEY, JSON.stringify(choice));
}

/** Asks the origin that served the page whether it is a dstack server and who is signed in. */
export async function probeSession(): Promise<Served> {
  try {
    const response = await fetch("/api/auth/session", { headers: CSRF_HEADER, credentials: "same-origin" });
    const json = (response.headers.get("content-type") ?? "").includes("application/json");
    if (!json) return { kind: "none" }; // a dev server or static host answers with the app's index.html
    if (response.ok) {
      const body = (await response.json()) as { user?: unknown };
      if (typeof body.user === "string") return { kind: "signed-in", user: body.user };
    }
    if (response.status === 401 || response.status === 403) return { kind: "signed-out" };
  } catch {
    // No server behind this origin.
  }
  return { kind: "none" };
}

/** A small observable for the live-updates indicator. */
export class LiveStatus {
  private listeners = new Set<() => void>();
  constructor(public state: LiveState) {}
  set(state: LiveState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.listeners) listener();
  }
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

/**
 * The kit's HttpStore says nothing about its event stream, so the app watches the stream's fetch: an answered
 * GET /events is live until its body ends or fails.
 */
function watchEvents(live: LiveStatus): typeof fetch {
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!new URL(url, location.href).pathname.endsWith("/events")) return fetch(input, init);
    live.set("connecting");
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (error) {
      live.set("offline");
      throw error;
    }
    if (!response.ok || !response.body) {
      live.set("offline");
      return response;
    }
    live.set("live");
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            live.set("offline");
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          live.set("offline");
          controller.error(error);
        }
      },
      cancel(reason) {
        live.set("offline");
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

export function browserConnection(): Connection {
  const store = createIndexedDBStore();
  return { store, mode: "browser", user: store.user, live: new LiveStatus("live") };
}

export function tokenConnection(server: string, user: string, token: string): Connection {
  const live = new LiveStatus("connecting");
  const base = server.replace(/\/+$/, "");
  const store = createHttpStore({ server: base, user, token, fetch: watchEvents(live) });
  return { store, mode: "token", user, server: base, live };
}

export function sessionConnection(user: string): Connection {
  const live = new LiveStatus("connecting");
  const server = `${location.origin}/api`;
  // `session: true`: the store sends the HttpOnly cookie and the CSRF header; the page never holds a token.
  const store = createHttpStore({ server, user, session: true, fetch: watchEvents(live) });
  return { store, mode: "session", user, server, live };
}

export async function logOut(): Promise<void> {
  await fetch("/api/auth/logout", { method: "POST", headers: CSRF_HEADER, credentials: "same-origin" });
}

/** Exchanges the printed login code for the session cookie; the user it signed in, or an error message. */
export async function exchangeCode(user: string, code: string): Promise<{ user: string } | { error: string }> {
  try {
    const response = await fetch("/api/auth/session", {
      method: "POST",
      headers: { ...CSRF_HEADER, "content-type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ user, code }),
    });
    const json = (response.headers.get("content-type") ?? "").includes("application/json");
    if (!json) return { error: "This page is not served by a dstack server, so there is nothing to sign in to." };
    const body = (await response.json()) as { user?: string; message?: string };
    if (response.ok && typeof body.user === "string") return { user: body.user };
    if (response.status === 401 || response.status === 403) {
      return { error: "This login link was already used or is not valid. Restart the server for a new one." };
    }
    return { error: body.message ?? `The server answered ${response.status}.` };
  } catch (error) {
    return { error: `Could not reach the server: ${(error as Error).message}` };
  }
}
