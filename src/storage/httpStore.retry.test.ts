// HttpStore against servers that fail: retries with backoff for reads on network errors and 5xx, never for
// other writes; pushes retried safely (a lost answer never makes a second frame); timeouts and cancellation.
// Time comes from a test clock: the tests check the waits and time limits the store asked for, and the moments a
// time limit passes are chosen by the test, so a busy machine cannot change the outcome.
import { afterEach, describe, expect, it } from "vitest";
import { AbortError, DstackError } from "../model/errors";
import type { AttachmentPush } from "../model/types";
import { type Fault, type FlakyServer, freePort, startFlakyServer } from "../node/testing/flakyServer";
import { type Clock, systemClock } from "./clock";
import { createHttpStoreWithClock, type HttpStoreOptions } from "./httpStore";

const servers: FlakyServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function flaky(plan: Parameters<typeof startFlakyServer>[0], port?: number) {
  const server = await startFlakyServer(plan, port);
  servers.push(server);
  return server;
}

/**
 * A clock that never waits: `waits` are the backoff delays asked for (each ends at once), `limits` the time limit
 * of each request. A time limit passes only when the test calls `expire()`; `random` gives the jitter, in turn.
 */
function testClock(randoms: number[] = [0.5]) {
  const waits: number[] = [];
  const limits: number[] = [];
  const pending: AbortController[] = [];
  let draws = 0;
  const clock: Partial<Clock> = {
    random: () => randoms[Math.min(draws++, randoms.length - 1)] as number,
    sleep: async (ms) => {
      waits.push(ms);
    },
    timeout: (ms) => {
      limits.push(ms);
      const controller = new AbortController();
      pending.push(controller);
      return controller.signal;
    },
  };
  /** The time limit of the latest request passes. */
  const expire = () => pending.at(-1)?.abort(new DOMException("time limit", "TimeoutError"));
  return { clock, waits, limits, expire };
}

const storeOn = (apiUrl: string, clock: Partial<Clock>, extra: Partial<HttpStoreOptions> = {}) =>
  createHttpStoreWithClock({ server: apiUrl, user: "dstack", token: "any", retryDelayMs: 50, ...extra }, clock);

const text = (s: string): AttachmentPush => ({ data: new TextEncoder().encode(s), contentType: "text/plain" });
const attempts = (s: FlakyServer, method: string, prefix: string) =>
  s.seen.filter((r) => r.method === method && r.path.startsWith(prefix));
const stackReads =
  (n: number) =>
  (method: string, path: string, count: number): Fault =>
    method === "GET" && path.startsWith("/api/stacks/") && count <= n ? "503" : "ok";

describe("HttpStore retries", () => {
  it("retries a read on 503 until it succeeds, waiting 50, 100, then 200 ms", async () => {
    const server = await flaky(stackReads(3));
    await server.store.push({ stack: "report", attachments: [text("x")] });
    const { clock, waits } = testClock([0.5]);
    const stack = await storeOn(server.apiUrl, clock).getStack("report");
    expect(stack.frames).toHaveLength(1);
    expect(attempts(server, "GET", "/api/stacks/dstack/report")).toHaveLength(4);
    // random() = 0.5 is the middle of the jitter range: the plain doubling sequence.
    expect(waits).toEqual([50, 100, 200]);
  });

  it("jitters each wait within ±25% of the doubled delay", async () => {
    const server = await flaky(() => "503");
    const { clock, waits } = testClock([0, 0.5, 0.99]);
    await expect(storeOn(server.apiUrl, clock).listStacks()).rejects.toMatchObject({ status: 503 });
    expect(waits[0]).toBeCloseTo(37.5, 9); // 50 × 0.75
    expect(waits[1]).toBeCloseTo(100, 9); // 100 × 1
    expect(waits[2]).toBeCloseTo(249, 9); // 200 × 1.245
    // The store's own jitter (Math.random) stays within the bounds.
    const real = testClock();
    delete real.clock.random;
    await expect(storeOn(server.apiUrl, real.clock, { retries: 5 }).listStacks()).rejects.toMatchObject({
      status: 503,
    });
    expect(real.waits).toHaveLength(5);
    real.waits.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(50 * 2 ** i * 0.75);
      expect(ms).toBeLessThanOrEqual(50 * 2 ** i * 1.25);
    });
  });

  it("gives up after `retries` with the server's error, typed by status", async () => {
    const server = await flaky(() => "503");
    const { clock, waits } = testClock();
    const error = await storeOn(server.apiUrl, clock, { retries: 2 })
      .listStacks()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DstackError);
    expect(error).toMatchObject({ status: 503, message: "busy, try later" });
    expect(attempts(server, "GET", "/api/stacks/dstack")).toHaveLength(3);
    expect(waits).toEqual([50, 100]);
  });

  it("waits for a server that is down and comes up", async () => {
    const port = await freePort();
    let server: FlakyServer | undefined;
    const { clock, waits } = testClock();
    // The server comes up during the second wait: two attempts are refused, the third is answered.
    clock.sleep = async (ms) => {
      waits.push(ms);
      if (waits.length === 2) server = await flaky(() => "ok", port);
    };
    const store = storeOn(`http://127.0.0.1:${port}/api`, clock, { retries: 6 });
    expect(await store.listStacks()).toEqual([]);
    expect(waits).toEqual([50, 100]);
    expect(attempts(server as FlakyServer, "GET", "/api/stacks/dstack")).toHaveLength(1);
    // Down for good: a network error, after the retries.
    await (server as FlakyServer).close();
    const again = testClock();
    const down = await storeOn(`http://127.0.0.1:${port}/api`, again.clock, { retries: 1 })
      .listStacks()
      .catch((e: unknown) => e);
    expect(down).toMatchObject({ code: "network_error" });
    expect(again.waits).toEqual([50]);
  });

  it("does not retry writes that are not idempotent (update, delete, dashboards)", async () => {
    const server = await flaky((method) => (method === "POST" ? "503" : "ok"));
    const { clock, waits } = testClock();
    const store = storeOn(server.apiUrl, clock);
    await expect(store.updateStack("report", { readme: "x" })).rejects.toMatchObject({ status: 503 });
    await expect(store.createDashboard({ title: "t" })).rejects.toMatchObject({ status: 503 });
    expect(attempts(server, "POST", "/api/stacks/update")).toHaveLength(1);
    expect(attempts(server, "POST", "/api/dashboards/create")).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("retries a push whose answer was lost: the server answers the repeat as a success, one frame is stored", async () => {
    const server = await flaky((method, path, n) =>
      method === "POST" && path === "/api/stacks/push" && n === 1 ? "drop-after" : "ok",
    );
    const { clock, waits } = testClock();
    const result = await storeOn(server.apiUrl, clock).push({ stack: "once", attachments: [text("a"), text("b")] });
    expect(attempts(server, "POST", "/api/stacks/push")).toHaveLength(2);
    expect(waits).toEqual([50]);
    const stack = await server.store.getStack("once");
    expect(stack.frames.map((f) => f.id)).toEqual([result.frameId]);
  });

  it("retries a push refused with 503 before it was stored", async () => {
    const server = await flaky((method, path, n) =>
      method === "POST" && path === "/api/stacks/push" && n <= 2 ? "503" : "ok",
    );
    const { clock, waits } = testClock();
    await storeOn(server.apiUrl, clock).push({ stack: "later", attachments: [text("a")] });
    expect(waits).toEqual([50, 100]);
    expect((await server.store.getStack("later")).frames).toHaveLength(1);
  });

  it("retries uploads: a lost answer to the PUT that completed the frame still ends in one frame", async () => {
    const server = await flaky((method, _path, n) => (method === "PUT" && n === 1 ? "drop-after" : "ok"));
    const big = new Uint8Array(4000).fill(1);
    const { clock, waits } = testClock();
    const store = storeOn(server.apiUrl, clock, { inlineLimit: 1000 });
    const result = await store.push({
      stack: "uploaded",
      attachments: [text("small"), { data: big, contentType: "application/octet-stream" }],
    });
    expect(attempts(server, "PUT", "/api/uploads/")).toHaveLength(2);
    expect(attempts(server, "POST", "/api/stacks/push")).toHaveLength(1);
    expect(waits).toEqual([50]);
    const stack = await server.store.getStack("uploaded");
    expect(stack.frames.map((f) => f.id)).toEqual([result.frameId]);
    expect((await server.store.getAttachment("uploaded", result.frameId, 1)).size).toBe(4000);
  });
});

describe("HttpStore timeouts and cancellation", () => {
  it("times out a request that gets no answer, after retrying it", async () => {
    const { clock, waits, limits, expire } = testClock();
    // The server sits on every read; the test lets its time limit pass once it has arrived.
    const server = await flaky((method) => {
      if (method !== "GET") return "ok";
      expire();
      return "hang";
    });
    const error = await storeOn(server.apiUrl, clock, { timeoutMs: 150, retries: 1 })
      .getStack("slow")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DstackError);
    expect(error).toMatchObject({ code: "timeout", status: 504 });
    expect((error as Error).message).toMatch(/timed out after 150 ms: GET/);
    expect(attempts(server, "GET", "/api/stacks/")).toHaveLength(2);
    expect(limits).toEqual([150, 150]);
    expect(waits).toEqual([50]);
  });

  it("ends a request that hangs with the real time limit", async () => {
    const server = await flaky((method) => (method === "GET" ? "hang" : "ok"));
    const error = await storeOn(server.apiUrl, {}, { timeoutMs: 100, retries: 1, retryDelayMs: 10 })
      .getStack("slow")
      .catch((e: unknown) => e);
    // However late the timers fire on a busy machine, the outcome is a timeout (no assertion on elapsed time).
    expect(error).toMatchObject({ code: "timeout", status: 504 });
  });

  it("cancels a read through its AbortSignal: AbortError at once, no retries after", async () => {
    const controller = new AbortController();
    // The caller gives up while the server sits on the request. The test clock's time limits never pass, so
    // only the signal can end this read.
    const server = await flaky((method) => {
      if (method !== "GET") return "ok";
      controller.abort();
      return "hang";
    });
    const { clock, waits } = testClock();
    const error = await storeOn(server.apiUrl, clock)
      .getStack("slow", { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    // A retry would have asked for a wait first.
    expect(waits).toEqual([]);
    expect(attempts(server, "GET", "/api/stacks/")).toHaveLength(1);
    await expect(
      storeOn(server.apiUrl, clock).listStacks(undefined, { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(AbortError);
  });

  it("cancels a read during a backoff wait: the real wait ends at once with AbortError", async () => {
    const server = await flaky(() => "503");
    const controller = new AbortController();
    const waits: number[] = [];
    // The real sleep, but the caller gives up as soon as it starts; a sleep that ignored the signal would outlast
    // the test's time limit (the wait asked for is 45 s or more).
    const sleep: Clock["sleep"] = (ms, signal) => {
      waits.push(ms);
      const waiting = systemClock.sleep(ms, signal);
      controller.abort();
      return waiting;
    };
    const error = await storeOn(server.apiUrl, { sleep }, { retryDelayMs: 60_000 })
      .getStack("busy", { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(45_000);
    expect(attempts(server, "GET", "/api/stacks/")).toHaveLength(1);
  });

  it("cancels a push between uploads: AbortError, and the frame never appears", async () => {
    const server = await flaky(() => "ok");
    const controller = new AbortController();
    const parts = Array.from({ length: 4 }, () => ({
      data: new Uint8Array(3000).fill(2),
      contentType: "application/octet-stream",
    }));
    const store = storeOn(server.apiUrl, testClock().clock, { inlineLimit: 1000 });
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
