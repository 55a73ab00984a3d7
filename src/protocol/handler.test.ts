// The handler on its own, called with Requests (no network): open mode for mocks, base paths, CORS, anonymous
// reads, unknown routes, and the change events stream.
import { describe, expect, it } from "vitest";
import { createMemoryStore } from "../storage/memoryStore";
import { createDstackHandler, type DstackHandlerOptions } from "./handler";
import { createUserRegistry } from "./users";

const origin = "http://example.test";

function client(options: DstackHandlerOptions) {
  const handler = createDstackHandler(options);
  const base = `${origin}${handler.basePath}`;
  return {
    handler,
    async call(method: string, path: string, body?: unknown, token?: string) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      const init: RequestInit = { method, headers };
      if (body !== undefined) init.body = JSON.stringify(body);
      const response = await handler(new Request(`${base}${path}`, init));
      return { status: response.status, body: (await response.json()) as Record<string, unknown>, response };
    },
  };
}

const push = (stack: string, id = "f1") => ({
  stack,
  id,
  attachments: [{ data: btoa("x"), content_type: "text/plain" }],
});

describe("protocol handler", () => {
  it("without a user registry, acts for the store's user on every request (the msw / test mode)", async () => {
    const { call } = client({ store: createMemoryStore({ user: "mock" }) });
    expect((await call("POST", "/stacks/push", push("mock/abc"))).status).toBe(200);
    expect((await call("GET", "/stacks/mock", undefined, "whatever")).body.stacks).toHaveLength(1);
    expect((await call("POST", "/dashboards/create", { title: "t" })).body.dashboard).toMatchObject({ user: "mock" });
    // Dashboards for other users need a store acting for them.
    const other = await call("POST", "/dashboards/create", { user: "else", title: "t" });
    expect(other.status).toBe(403);
    expect(other.body.message).toMatch(/keeps dashboards for mock only/);
  });

  it("serves under any base path and answers unknown routes with 404 {message}", async () => {
    for (const basePath of ["/v1/dstack", "/", ""]) {
      const { call, handler } = client({ store: createMemoryStore(), basePath });
      expect((await call("GET", "/stacks/dstack")).status).toBe(200);
      const missing = await call("GET", "/nope");
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ code: "not_found" });
      expect(handler.basePath).toBe(basePath === "/v1/dstack" ? "/v1/dstack" : "");
    }
    const { handler } = client({ store: createMemoryStore() });
    expect((await handler(new Request(`${origin}/elsewhere/stacks/dstack`))).status).toBe(404);
  });

  it("answers CORS preflights, so a browser app on another origin can send its token", async () => {
    const { handler } = client({ store: createMemoryStore() });
    const preflight = await handler(
      new Request(`${origin}/api/stacks/push`, {
        method: "OPTIONS",
        headers: {
          origin: "http://localhost:5173",
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type",
        },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    const off = createDstackHandler({ store: createMemoryStore(), cors: false });
    const plain = await off(new Request(`${origin}/api/stacks/dstack`, { headers: { origin: "http://x" } }));
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("with anonymousReads, lets requests without a token read public stacks only, and never write", async () => {
    const users = createUserRegistry();
    const token = users.addUser("owner");
    const store = createMemoryStore({ user: "owner" });
    const { call } = client({ store, users, anonymousReads: true });
    await call("POST", "/stacks/push", push("owner/public"), token);
    await call("POST", "/stacks/push", push("owner/hidden"), token);
    await call("POST", "/stacks/update", { stack: "owner/hidden", private: true }, token);
    expect(((await call("GET", "/stacks/owner")).body.stacks as unknown[]).length).toBe(1);
    expect((await call("GET", "/stacks/owner/public")).status).toBe(200);
    expect((await call("GET", "/stacks/owner/hidden")).status).toBe(404);
    expect((await call("GET", "/attachs/owner/public/f1/0")).status).toBe(200);
    expect((await call("POST", "/stacks/push", push("owner/public", "f2"))).status).toBe(403);
    // A wrong token is still refused, even for a read.
    expect((await call("GET", "/stacks/owner/public", undefined, "wrong")).status).toBe(403);
  });

  it("streams the change events a caller may see (an extension: GET /events, Server-Sent Events)", async () => {
    const users = createUserRegistry();
    const alice = users.addUser("alice");
    const bob = users.addUser("bob");
    const store = createMemoryStore({ user: "alice" });
    const { call, handler } = client({ store, users });
    await call("POST", "/stacks/push", push("alice/secret"), alice);
    await call("POST", "/stacks/update", { stack: "alice/secret", private: true }, alice);
    const controller = new AbortController();
    const stream = await handler(
      new Request(`${origin}/api/events`, { headers: { authorization: `Bearer ${bob}` }, signal: controller.signal }),
    );
    expect(stream.headers.get("content-type")).toBe("text/event-stream");
    const reader = stream.body?.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    const received: string[] = [];
    const decoder = new TextDecoder();
    /** Reads the stream until an event about `path` arrives (no sleeps: the stream is read in order). */
    async function readUntil(path: string): Promise<void> {
      while (!received.some((chunk) => chunk.includes(`"path":"${path}"`))) {
        const { done, value } = await reader.read();
        if (done) throw new Error(`the stream ended before an event about ${path}`);
        received.push(decoder.decode(value));
      }
    }
    await call("POST", "/stacks/push", push("alice/secret", "f2"), alice);
    await call("POST", "/stacks/push", push("alice/public"), alice);
    await readUntil("alice/public");
    // A later public change as a fence: the secret's visibility check, started first, has long finished.
    await call("POST", "/stacks/push", push("alice/fence"), alice);
    await readUntil("alice/fence");
    controller.abort();
    const events = received.filter((chunk) => chunk.startsWith("data: "));
    expect(events).toEqual(
      ["alice/public", "alice/fence"].map((path) => `data: ${JSON.stringify({ type: "stack", path })}\n\n`),
    );
  });

  it("drops unfinished pushes on close", async () => {
    const { call, handler } = client({ store: createMemoryStore() });
    const announced = await call("POST", "/stacks/push", {
      stack: "dstack/later",
      id: "f",
      attachments: [{ length: 2, content_type: "x/y" }],
    });
    const url = (announced.body.attachments as Array<{ upload_url: string }>)[0]?.upload_url as string;
    await handler.close();
    const late = await handler(new Request(url, { method: "PUT", body: new Uint8Array(2) }));
    expect(late.status).toBe(404);
  });
});

describe("unfinished pushes and download links over time (injected clock)", () => {
  const announce = (id: string, length = 10) => ({
    stack: "mock/slow",
    id,
    attachments: [{ length, content_type: "text/plain" }],
  });

  it("an abandoned push expires: its upload_url is gone and its place is free again", async () => {
    let clock = 1_000_000;
    const { call, handler } = client({
      store: createMemoryStore({ user: "mock" }),
      now: () => clock,
      uploadTtlMs: 60_000,
      maxOpenPushes: 1,
    });
    const first = await call("POST", "/stacks/push", announce("a"));
    const url = (first.body.attachments as Array<{ upload_url: string }>)[0]?.upload_url as string;
    expect((await call("POST", "/stacks/push", announce("b"))).status).toBe(429);
    clock += 60_001;
    const put = await handler(new Request(url, { method: "PUT", body: "0123456789" }));
    expect(put.status).toBe(404);
    expect((await call("POST", "/stacks/push", announce("b"))).status).toBe(200);
    expect((await call("GET", "/stacks/mock/slow")).status).toBe(404);
  });

  it("a download_url works until it expires, then never again", async () => {
    let clock = 5_000_000;
    const { call, handler } = client({
      store: createMemoryStore({ user: "mock" }),
      now: () => clock,
      inlineBytes: 1,
      downloadTtlMs: 1000,
    });
    await call("POST", "/stacks/push", push("mock/dls"));
    const attach = await call("GET", "/attachs/mock/dls/f1/0?download=true");
    expect(attach.status, JSON.stringify(attach.body)).toBe(200);
    const url = (attach.body.attachment as { download_url: string }).download_url;
    expect(url.startsWith(`${origin}/api/blobs/mock/dls/f1/0?`)).toBe(true);
    clock += 1000;
    expect((await handler(new Request(url))).status).toBe(200);
    clock += 1;
    expect((await handler(new Request(url))).status).toBe(403);
  });
});
