// Several server instances on one PostgreSQL database act as one server: the same default token and login code,
// upload and download URLs that work on any instance, pushes from every instance landing whole, live updates on
// every instance (filtered by privacy), and an instance killed mid-upload costing nothing: its push is finished
// by the others.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoreEvent } from "../model/types";
import { createHttpStore } from "../storage/httpStore";
import { startKillableServer } from "./postgres/testing/killableServer";
import { postgresForTests } from "./postgres/testing/testDatabase";
import { type DstackServer, startServer } from "./server";
import { tempHomes } from "./testing/tempHome";
import { call } from "./testing/testServer";

const pg = postgresForTests();
const newHome = tempHomes();
let database = "";
let a: DstackServer;
let b: DstackServer;

beforeAll(async () => {
  database = await pg.newDatabase();
  // Started together: both apply the migrations (one waits for the other's lock) and create the default user.
  [a, b] = (await Promise.all(
    [0, 1].map(() => startServer({ database, home: newHome(), port: 0, host: "127.0.0.1", fsync: false })),
  )) as [DstackServer, DstackServer];
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);
/** `url` with the other instance's origin: the same path on another host:port. */
const onOther = (url: string, other: DstackServer) => url.replace(/^http:\/\/[^/]+/, other.url);

describe("two instances on one database", () => {
  it("print the same token and login code; a code used on one is spent on the other", async () => {
    expect(b.token).toBe(a.token);
    expect(b.loginCode).toBe(a.loginCode);
    const used = await call(b.apiUrl, "GET", `/auth/verify?user=dstack&code=${a.loginCode}`);
    expect(used.body).toEqual({ user: "dstack", token: a.token });
    const again = await call(a.apiUrl, "GET", `/auth/verify?user=dstack&code=${a.loginCode}`);
    expect(again.status).not.toBe(200);
    // A user added on one instance is known to the other at once.
    const token = a.addUser("carol");
    await a.users.flush();
    expect((await call(b.apiUrl, "GET", "/stacks/carol", { token })).status).toBe(200);
  });

  it("accept a browser session made on the other instance, until a logout on either", async () => {
    const code = a.users.newLoginCode("dstack");
    await a.users.flush();
    const csrf = { "x-dstack-csrf": "1" };
    const made = await fetch(`${b.apiUrl}/auth/session`, {
      method: "POST",
      headers: { ...csrf, "content-type": "application/json" },
      body: JSON.stringify({ user: "dstack", code }),
    });
    expect(made.status).toBe(200);
    const cookie = (made.headers.get("set-cookie") ?? "").split(";")[0] as string;
    expect(cookie).toMatch(/^dstack_session=./);
    const asked = (server: DstackServer) =>
      call(server.apiUrl, "GET", "/auth/session", { headers: { ...csrf, cookie } });
    expect((await asked(a)).body).toEqual({ user: "dstack" });
    expect((await call(a.apiUrl, "POST", "/auth/logout", { headers: { ...csrf, cookie } })).status).toBe(200);
    expect((await asked(b)).status).toBe(403);
    expect((await asked(a)).status).toBe(403);
  });

  it("take an upload URL and a download URL issued by the other instance", async () => {
    const token = a.token;
    const announced = await call(a.apiUrl, "POST", "/stacks/push", {
      token,
      json: {
        stack: "dstack/uploaded",
        id: "up-1",
        attachments: [
          { length: 300_000, content_type: "application/octet-stream" },
          { length: 2_000_000, content_type: "application/octet-stream" },
        ],
      },
    });
    expect(announced.status).toBe(200);
    const uploads = announced.body.attachments as Array<{ index: number; upload_url: string }>;
    expect(uploads.map((u) => u.upload_url.startsWith(a.apiUrl))).toEqual([true, true]);
    // One upload on each instance, the same paths.
    expect(
      (await call(b.apiUrl, "PUT", onOther(uploads[0]?.upload_url as string, b), { body: bytes(300_000, 7) })).status,
    ).toBe(200);
    expect((await call(a.apiUrl, "PUT", uploads[1]?.upload_url as string, { body: bytes(2_000_000, 9) })).status).toBe(
      200,
    );
    const stack = await call(b.apiUrl, "GET", "/stacks/dstack/uploaded", { token });
    expect(stack.body.stack).toMatchObject({ head: { id: "up-1" } });

    const link = await call(b.apiUrl, "GET", "/attachs/dstack/uploaded/up-1/1?download=true", { token });
    const url = (link.body.attachment as { download_url: string }).download_url;
    expect(url.startsWith(b.apiUrl)).toBe(true);
    const fetched = await fetch(onOther(url, a));
    expect(fetched.status).toBe(200);
    const body = new Uint8Array(await fetched.arrayBuffer());
    expect(body.length).toBe(2_000_000);
    expect(body.every((x) => x === 9)).toBe(true);
    // An unknown upload id is a 404 on every instance.
    const unknown = `${b.apiUrl}/uploads/${"0".repeat(32)}`;
    expect((await call(b.apiUrl, "PUT", unknown, { body: bytes(10, 1) })).status).toBe(404);
  });

  it("land 50 concurrent pushes to one stack split over both, the head being the last committed", async () => {
    const token = a.addUser("many");
    await a.users.flush();
    const clients = Array.from({ length: 50 }, (_, i) =>
      createHttpStore({ server: (i % 2 ? b : a).apiUrl, user: "many", token }),
    );
    const completed: string[] = [];
    await Promise.all(
      clients.map((store, i) =>
        store
          .push({
            stack: "race",
            id: `push-${i}`,
            timestamp: 1000,
            attachments: [
              { data: new TextEncoder().encode(`client ${i}`), contentType: "text/plain", params: { i } },
              { data: bytes(20_000, i), contentType: "application/octet-stream" },
            ],
          })
          .then((result) => completed.push(result.frameId)),
      ),
    );
    const stack = await clients[1]?.getStack("race", { frames: Number.POSITIVE_INFINITY });
    expect(stack?.frameCount).toBe(50);
    expect(new Set(stack?.frames.map((f) => f.id))).toEqual(new Set(completed));
    expect(stack?.head?.id).toBe(stack?.frames[0]?.id);
    expect(completed).toContain(stack?.head?.id);
    for (const i of [0, 17, 49]) {
      expect(await (await clients[(i + 1) % 50]?.getAttachment("race", `push-${i}`, 0))?.text()).toBe(`client ${i}`);
    }
  });

  it("report a push made on one instance to /events on the other, filtered by privacy", async () => {
    const alice = a.addUser("alice");
    const bob = a.addUser("bob");
    await a.users.flush();
    const heard: StoreEvent[] = [];
    const listener = createHttpStore({ server: b.apiUrl, user: "bob", token: bob });
    let wake: () => void = () => {};
    const off = listener.subscribe((event) => {
      heard.push(event);
      wake();
    });
    try {
      const until = (path: string) =>
        new Promise<void>((resolve) => {
          const check = () => {
            if (heard.some((e) => e.path === path)) resolve();
            else wake = check;
          };
          check();
        });
      const writer = createHttpStore({ server: a.apiUrl, user: "alice", token: alice });
      // The stream is open once a change made on b itself arrives.
      const own = createHttpStore({ server: b.apiUrl, user: "bob", token: bob });
      for (;;) {
        await own.push({ stack: "ping", attachments: [{ data: bytes(1, 1), contentType: "x/y" }] });
        const seen = heard.some((e) => e.path === "bob/ping");
        if (seen) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await writer.push({ stack: "hidden", private: true, attachments: [{ data: bytes(1, 1), contentType: "x/y" }] });
      await writer.push({ stack: "shown", attachments: [{ data: bytes(1, 2), contentType: "x/y" }] });
      await until("alice/shown");
      expect(heard.some((e) => e.path === "alice/hidden")).toBe(false);
    } finally {
      off();
    }
  });
});

describe("an instance killed mid-upload", () => {
  it("leaves no partial frame; the other instances keep serving and finish its push", {
    timeout: 60_000,
  }, async () => {
    const killed = await startKillableServer(database, newHome());
    try {
      expect(killed.token).toBe(a.token);
      const token = a.token;
      const announced = await call(killed.apiUrl, "POST", "/stacks/push", {
        token,
        json: {
          stack: "dstack/crash",
          id: "in-flight",
          attachments: [0, 1, 2].map(() => ({ length: 100_000, content_type: "application/octet-stream" })),
        },
      });
      const uploads = (announced.body.attachments as Array<{ upload_url: string }>).map((u) => u.upload_url);
      expect((await call(killed.apiUrl, "PUT", uploads[0] as string, { body: bytes(100_000, 1) })).status).toBe(200);
      // Staged in the database by a.
      expect((await call(a.apiUrl, "PUT", onOther(uploads[1] as string, a), { body: bytes(100_000, 2) })).status).toBe(
        200,
      );
      await killed.kill();
      expect((await call(b.apiUrl, "GET", "/frames/dstack/crash/in-flight", { token })).status).toBe(404);
      expect((await call(b.apiUrl, "GET", "/stacks/dstack/crash", { token })).status).toBe(404);
      const { rows } = await (b.store as unknown as { pool: import("pg").Pool }).pool.query(
        "SELECT count(*)::int AS n FROM dstack_frames WHERE id = 'in-flight'",
      );
      expect(rows[0]).toEqual({ n: 0 });
      // The last upload, on a survivor, completes the frame with the bytes the dead instance took.
      expect((await call(a.apiUrl, "PUT", onOther(uploads[2] as string, a), { body: bytes(100_000, 3) })).status).toBe(
        200,
      );
      const store = createHttpStore({ server: b.apiUrl, user: "dstack", token });
      for (const i of [0, 1, 2]) {
        const got = new Uint8Array(await (await store.getAttachment("crash", "in-flight", i)).arrayBuffer());
        expect(got.length).toBe(100_000);
        expect(got.every((x) => x === i + 1)).toBe(true);
      }
      // Both survivors still take pushes.
      await store.push({ stack: "crash", id: "after", attachments: [{ data: bytes(10, 4), contentType: "x/y" }] });
      expect((await call(a.apiUrl, "GET", "/stacks/dstack/crash", { token })).body.stack).toMatchObject({
        head: { id: "after" },
      });
    } finally {
      await killed.kill();
    }
  });
});
