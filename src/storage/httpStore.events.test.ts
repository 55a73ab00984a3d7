// HttpStore subscribers hear other clients' changes through the server's event stream, their own changes once,
// and nothing they may not see. No fixed waits: a test goes on once the stream is open (from then on the server
// sends every change), and checks that something did not arrive behind a later change on the same, ordered stream.
import { describe, expect, it } from "vitest";
import type { StoreEvent } from "../model/types";
import { setupTestServer } from "../node/testing/testServer";
import { createHttpStore, type HttpStore } from "./httpStore";

const t = setupTestServer();
const part = { data: new TextEncoder().encode("x"), contentType: "text/plain" };
const stackEvent = (path: string): StoreEvent => ({ type: "stack", path });

/** A store of `user`; `open` resolves once its event stream is open, i.e. the server has registered it. */
function streaming(user: string): { store: HttpStore; open: Promise<void> } {
  let opened = () => {};
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  const store = createHttpStore({
    server: t.server.apiUrl,
    user,
    token: t.server.addUser(user),
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).endsWith("/events") && response.ok) opened();
      return response;
    },
  });
  return { store, open };
}

/** Subscribes to `store`; `until(path)` resolves once an event for `path` has arrived. */
function record(store: HttpStore) {
  const seen: StoreEvent[] = [];
  const waiters: Array<() => void> = [];
  const off = store.subscribe((event) => {
    seen.push(event);
    for (const wake of waiters.splice(0)) wake();
  });
  const until = (path: string) =>
    new Promise<void>((resolve) => {
      const check = () => (seen.some((e) => e.path === path) ? resolve() : waiters.push(check));
      check();
    });
  return { seen, off, until };
}

describe("HttpStore change events", () => {
  it("tells subscribers about another client's pushes and dashboards, and its own changes once", async () => {
    const watcher = streaming("watch");
    const other = createHttpStore({ server: t.server.apiUrl, user: "watch", token: t.server.addUser("watch") });
    const w = record(watcher.store);
    await watcher.open;
    await other.push({ stack: "shared", attachments: [part] });
    await w.until("watch/shared");
    expect(w.seen).toEqual([stackEvent("watch/shared")]);
    const dashboard = await other.createDashboard({ title: "d" });
    await w.until(`watch/${dashboard.id}`);
    expect(w.seen[1]).toEqual({ type: "dashboard", path: `watch/${dashboard.id}` });
    // Its own changes are heard locally and over the stream, and delivered once. The other client's push behind
    // them is the fence: once it arrives, the stream copies of the own changes have arrived too.
    await watcher.store.push({ stack: "own", attachments: [part] });
    await watcher.store.updateStack("own", { readme: "r" });
    await other.push({ stack: "fence", attachments: [part] });
    await w.until("watch/fence");
    expect(w.seen.slice(2)).toEqual([stackEvent("watch/own"), stackEvent("watch/own"), stackEvent("watch/fence")]);
    // Unsubscribed: the next push reaches a store that still listens, but not this one.
    w.off();
    const probe = streaming("watch");
    const p = record(probe.store);
    await probe.open;
    await other.push({ stack: "shared", attachments: [part] });
    await p.until("watch/shared");
    expect(w.seen).toHaveLength(5);
    p.off();
  });

  it("hears other users' public changes but not their private ones", async () => {
    const owner = t.store("owner");
    await owner.push({ stack: "secret", attachments: [part] });
    await owner.updateStack("secret", { private: true });
    const stranger = streaming("stranger");
    const s = record(stranger.store);
    await stranger.open;
    await owner.push({ stack: "secret", attachments: [part] });
    await owner.push({ stack: "open", attachments: [part] });
    await s.until("owner/open");
    expect(s.seen).toEqual([stackEvent("owner/open")]);
    s.off();
  });

  it("still announces its own changes where the server has no event stream", async () => {
    const calls: string[] = [];
    let declined = () => {};
    const refused = new Promise<void>((resolve) => {
      declined = resolve;
    });
    const store = createHttpStore({
      server: t.server.apiUrl,
      user: "plain",
      token: t.server.addUser("plain"),
      fetch: (input, init) => {
        calls.push(String(input));
        if (String(input).endsWith("/events")) {
          // The store drops the body of the 404 once it has read the status.
          return Promise.resolve(new Response(new ReadableStream({ cancel: () => declined() }), { status: 404 }));
        }
        return fetch(input, init);
      },
    });
    const seen: StoreEvent[] = [];
    const off = store.subscribe((e) => seen.push(e));
    await store.push({ stack: "plain", attachments: [part] });
    expect(seen).toEqual([stackEvent("plain/plain")]);
    await refused;
    // One turn of the event loop, so the store has finished with that answer (ordering, not a wait for time).
    await new Promise((resolve) => setImmediate(resolve));
    off();
    store.subscribe(() => {})();
    expect(calls.filter((c) => c.endsWith("/events"))).toHaveLength(1);
  });
});
