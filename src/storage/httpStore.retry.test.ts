// HttpStore against servers that fail: retries with backoff for reads on network errors and 5xx, never for
// other writes; pushes retried safely (a lost answer never makes a second frame); timeouts and cancellation.
import { afterEach, describe, expect, it } from "vitest";
import { AbortError, DstackError } from "../model/errors";
import type { AttachmentPush } from "../model/types";
import { type FlakyServer, freePort, startFlakyServer } from "../node/testing/flakyServer";
import { createHttpStore, type HttpStoreOptions } from "./httpStore";

const servers: FlakyServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function flaky(plan: Parameters<typeof startFlakyServer>[0], port?: number) {
  const server = await startFlakyServer(plan, port);
  servers.push(server);
  return server;
}

const storeOn = (apiUrl: string, extra: Partial<HttpStoreOptions> = {}) =>
  createHttpStore({ server: apiUrl, user: "dstack", token: "any", retryDelayMs: 50, ...extra });

const text = (s: string): AttachmentPush => ({ data: new TextEncoder().encode(s), contentType: "text/plain" });
const attempts = (s: FlakyServer, method: string, prefix: string) =>
  s.seen.filter((r) => r.method === method && r.path.startsWith(prefix));

describe("HttpStore retries", () => {
  it("retries a read on 503 until it succeeds, with growing delays", async () => {
    const server = await flaky((method, path, n) =>
      method === "GET" && path.startsWith("/api/stacks/") && n <= 3 ? "503" : "ok",
    );
    await server.store.push({ stack: "report", attachments: [text("x")] });
    const stack = await storeOn(server.apiUrl).getStack("report");
    expect(stack.frames).toHaveLength(1);
    const tries = attempts(server, "GET", "/api/stacks/dstack/report");
    expect(tries).toHaveLength(4);
    const gaps = tries.slice(1).map((t, i) => t.at - (tries[i] as { at: number }).at);
    // 50 ms doubled each time, ±25% jitter: each wait is longer than the one before.
    expect(gaps[0]).toBeGreaterThanOrEqual(30);
    expect(gaps[1]).toBeGreaterThan(gaps[0] as number);
    expect(gaps[2]).toBeGreaterThan(gaps[1] as number);
  });

  it("gives up after `retries` with the server's error, typed by status", async () => {
    const server = await flaky(() => "503");
    const error = await storeOn(server.apiUrl, { retries: 2 })
      .listStacks()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DstackError);
    expect(error).toMatchObject({ status: 503, message: "busy, try later" });
    expect(attempts(server, "GET", "/api/stacks/dstack")).toHaveLength(3);
  });

  it("waits for a server that is down and comes up", async () => {
    const port = await freePort();
    const store = storeOn(`http://127.0.0.1:${port}/api`, { retries: 6 });
    const started = Date.now();
    const reading = store.listStacks();
    await new Promise((r) => setTimeout(r, 300));
    const server = await flaky(() => "ok", port);
    expect(await reading).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(attempts(server, "GET", "/api/stacks/dstack")).toHaveLength(1);
    // Down for good: a network error, after the retries.
    await server.close();
    const down = await storeOn(`http://127.0.0.1:${port}/api`, { retries: 1 })
      .listStacks()
      .catch((e: unknown) => e);
    expect(down).toMatchObject({ code: "network_error" });
  });

  it("does not retry writes that are not idempotent (update, delete, dashboards)", async () => {
    const server = await flaky((method) => (method === "POST" ? "503" : "ok"));
    const store = storeOn(server.apiUrl);
    await expect(store.updateStack("report", { readme: "x" })).rejects.toMatchObject({ status: 503 });
    await expect(store.createDashboard({ title: "t" })).rejects.toMatchObject({ status: 503 });
    expect(attempts(server, "POST", "/api/stacks/update")).toHaveLength(1);
    expect(attempts(server, "POST", "/api/dashboards/create")).toHaveLength(1);
  });

  it("retries a push whose answer was lost: the server answers the repeat as a success, one frame is stored", async () => {
    const server = await flaky((method, path, n) =>
      method === "POST" && path === "/api/stacks/push" && n === 1 ? "drop-after" : "ok",
    );
    const result = await storeOn(server.apiUrl).push({ stack: "once", attachments: [text("a"), text("b")] });
    expect(attempts(server, "POST", "/api/stacks/push")).toHaveLength(2);
    const stack = await server.store.getStack("once");
    expect(stack.frames.map((f) => f.id)).toEqual([result.frameId]);
  });

  it("retries a push refused with 503 before it was stored", async () => {
    const server = await flaky((method, path, n) =>
      method === "POST" && path === "/api/stacks/push" && n <= 2 ? "503" : "ok",
    );
    await storeOn(server.apiUrl).push({ stack: "later", attachments: [text("a")] });
    expect((await server.store.getStack("later")).frames).toHaveLength(1);
  });

  it("retries uploads: a lost answer to the PUT that completed the frame still ends in one frame", async () => {
    const server = await flaky((method, _path, n) => (method === "PUT" && n === 1 ? "drop-after" : "ok"));
    const big = new Uint8Array(4000).fill(1);
    const store = storeOn(server.apiUrl, { inlineLimit: 1000 });
    const result = await store.push({
      stack: "uploaded",
      attachments: [text("small"), { data: big, contentType: "application/octet-stream" }],
    });
    expect(attempts(server, "PUT", "/api/uploads/")).toHaveLength(2);
    expect(attempts(server, "POST", "/api/stacks/push")).toHaveLength(1);
    const stack = await server.store.getStack("uploaded");
    expect(stack.frames.map((f) => f.id)).toEqual([result.frameId]);
    expect((await server.store.getAttachment("uploaded", result.frameId, 1)).size).toBe(4000);
  });
});

describe("HttpStore timeouts and cancellation", () => {
  it("times out a request that gets no answer, after retrying it", async () => {
    const server = await flaky((method) => (method === "GET" ? "hang" : "ok"));
    const started = Date.now();
    const error = await storeOn(server.apiUrl, { timeoutMs: 150, retries: 1 })
      .getStack("slow")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DstackError);
    expect(error).toMatchObject({ code: "timeout", status: 504 });
    expect((error as Error).message).toMatch(/timed out after 150 ms: GET/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(attempts(server, "GET", "/api/stacks/")).toHaveLength(2);
  });

  it("cancels a read through its AbortSignal: AbortError at once, no retries after", async () => {
    const server = await flaky((method) => (method === "GET" ? "hang" : "ok"));
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const error = await storeOn(server.apiUrl)
      .getStack("slow", { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 200));
    expect(attempts(server, "GET", "/api/stacks/")).toHaveLength(1);
    await expect(storeOn(server.apiUrl).listStacks(undefined, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      AbortError,
    );
  });

  it("cancels a push between uploads: AbortError, and the frame never appears", async () => {
    const server = await flaky(() => "ok");
    const controller = new AbortController();
    const parts = Array.from({ length: 4 }, () => ({
      data: new Uint8Array(3000).fill(2),
      contentType: "application/octet-stream",
    }));
    const store = storeOn(server.apiUrl, { inlineLimit: 1000 });
    const error = await store
      .push(
        { stack: "cancelled", id: "cancelled-1", attachments: parts },
        {
          signal: controller.signal,
          onProgress: (done) => {
            if (done === 2) controller.abort();
          },
        },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(attempts(server, "PUT", "/api/uploads/")).toHaveLength(2);
    await expect(server.store.getStack("cancelled")).rejects.toMatchObject({ code: "stack_not_found" });
  });
});
