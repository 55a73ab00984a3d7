// HttpStore subscribers hear other clients' changes through the server's event stream, their own changes once,
// and nothing they may not see.
import { describe, expect, it } from "vitest";
import type { StoreEvent } from "../model/types";
import { setupTestServer } from "../node/testing/testServer";
import { createHttpStore } from "./httpStore";

const t = setupTestServer();
const part = { data: new TextEncoder().encode("x"), contentType: "text/plain" };
const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, ms = 3000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await settle(10);
  }
}

describe("HttpStore change events", () => {
  it("tells subscribers about another client's pushes and dashboards, and its own changes once", async () => {
    const watcher = t.store("watch");
    const other = createHttpStore({ server: t.server.apiUrl, user: "watch", token: t.server.addUser("watch") });
    const seen: StoreEvent[] = [];
    const off = watcher.subscribe((e) => seen.push(e));
    await settle();
    await other.push({ stack: "shared", attachments: [part] });
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual([{ type: "stack", path: "watch/shared" }]);
    const dashboard = await other.createDashboard({ title: "d" });
    await waitFor(() => seen.length === 2);
    expect(seen[1]).toEqual({ type: "dashboard", path: `watch/${dashboard.id}` });
    // Its own push: heard locally and over the stream, delivered once.
    await watcher.push({ stack: "own", attachments: [part] });
    await watcher.updateStack("own", { readme: "r" });
    await settle();
    expect(seen.slice(2)).toEqual([
      { type: "stack", path: "watch/own" },
      { type: "stack", path: "watch/own" },
    ]);
    off();
    await other.push({ stack: "shared", attachments: [part] });
    await settle();
    expect(seen).toHaveLength(4);
  });

  it("hears other users' public changes but not their private ones", async () => {
    const owner = t.store("owner");
    await owner.push({ stack: "secret", attachments: [part] });
    await owner.updateStack("secret", { private: true });
    const seen: StoreEvent[] = [];
    const off = t.store("stranger").subscribe((e) => seen.push(e));
    await settle();
    await owner.push({ stack: "secret", attachments: [part] });
    await owner.push({ stack: "open", attachments: [part] });
    await waitFor(() => seen.length > 0);
    await settle(100);
    expect(seen).toEqual([{ type: "stack", path: "owner/open" }]);
    off();
  });

  it("still announces its own changes where the server has no event stream", async () => {
    const calls: string[] = [];
    const store = createHttpStore({
      server: t.server.apiUrl,
      user: "plain",
      token: t.server.addUser("plain"),
      fetch: (input, init) => {
        calls.push(String(input));
        if (String(input).endsWith("/events")) return Promise.resolve(new Response("{}", { status: 404 }));
        return fetch(input, init);
      },
    });
    const seen: StoreEvent[] = [];
    const off = store.subscribe((e) => seen.push(e));
    await store.push({ stack: "plain", attachments: [part] });
    await settle();
    expect(seen).toEqual([{ type: "stack", path: "plain/plain" }]);
    off();
    store.subscribe(() => {})();
    expect(calls.filter((c) => c.endsWith("/events"))).toHaveLength(1);
  });
});
