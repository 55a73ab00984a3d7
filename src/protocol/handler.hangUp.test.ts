// A client that hangs up stops the server's work: every store read a route makes runs under the request's signal.
// A store double holds one read open until its signal aborts, then fails it as a store would (AbortError).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { AbortError } from "../model/errors";
import type { StackStore } from "../model/stackStore";
import { nodeListener } from "../node/nodeHttp";
import { createMemoryStore } from "../storage/memoryStore";
import { createDstackHandler } from "./handler";

type ReadMethod = "listStacks" | "getStack" | "getFrame" | "getAttachment" | "listDashboards" | "getDashboard";
const READS = new Set<string>([
  "listStacks",
  "getStack",
  "getFrame",
  "getAttachment",
  "listDashboards",
  "getDashboard",
]);

/** `inner`, except that the next call of `hold`'s method waits for its signal (resolving `reached` with it). */
function holdingStore(inner: StackStore) {
  let held: { method: ReadMethod; reach: (signal: AbortSignal | undefined) => void } | undefined;
  const store = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof key !== "string" || !READS.has(key) || typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (held?.method !== key) return value.apply(target, args);
        const last = args.at(-1);
        const signal =
          typeof last === "object" && last !== null ? (last as { signal?: AbortSignal }).signal : undefined;
        held.reach(signal);
        held = undefined;
        if (!signal) return Promise.reject(new Error(`${key} was called without a signal`));
        return new Promise((_, reject) => {
          if (signal.aborted) reject(new AbortError());
          signal.addEventListener("abort", () => reject(new AbortError()), { once: true });
        });
      };
    },
  });
  return {
    store,
    /** The signal of the next `method` call, once it is made. */
    hold(method: ReadMethod): Promise<AbortSignal | undefined> {
      return new Promise((reach) => {
        held = { method, reach };
      });
    },
  };
}

async function seeded() {
  const inner = createMemoryStore({ user: "mock" });
  await inner.push({
    stack: "/mock/abc",
    id: "f1",
    timestamp: 1,
    params: {},
    attachments: [{ data: new TextEncoder().encode("hello"), contentType: "text/plain", params: {} }],
  });
  const dashboard = await inner.createDashboard({ title: "d" });
  const double = holdingStore(inner);
  // inlineBytes 1: /attachs hands out a download_url, so /blobs can be tried too.
  const handler = createDstackHandler({ store: double.store, inlineBytes: 1 });
  return { ...double, handler, dashboard };
}

const origin = "http://example.test";

/** The URL of a route, given the seeded dashboard's id and the handler (a download_url is asked for first). */
type UrlOf = (dashboardId: string, handler: (request: Request) => Promise<Response>) => Promise<string>;
function at(path: string): UrlOf {
  return async (id) => `${origin}/api${path.replace("{dashboard}", id)}`;
}
const downloadUrl: UrlOf = async (_id, handler) => {
  const answer = await handler(new Request(`${origin}/api/attachs/mock/abc/f1/0?download=true`));
  return ((await answer.json()) as { attachment: { download_url: string } }).attachment.download_url;
};

describe("a client hang-up aborts the store read the server is waiting for", () => {
  it.each<[string, ReadMethod, UrlOf]>([
    ["/stacks/mock", "listStacks", at("/stacks/mock")],
    ["/stacks/mock/abc", "getStack", at("/stacks/mock/abc")],
    ["/frames/mock/abc/f1", "getFrame", at("/frames/mock/abc/f1")],
    ["/attachs/mock/abc/f1/0", "getFrame", at("/attachs/mock/abc/f1/0")],
    ["/attachs/mock/abc/f1/0", "getAttachment", at("/attachs/mock/abc/f1/0")],
    ["/dashboards/mock", "listDashboards", at("/dashboards/mock")],
    ["/dashboards/mock/{id}", "getDashboard", at("/dashboards/mock/{dashboard}")],
    ["/blobs/... (a download_url)", "getAttachment", downloadUrl],
  ])("GET %s: %s", async (_route, method, urlOf) => {
    const { hold, handler, dashboard } = await seeded();
    const url = await urlOf(dashboard.id, handler);
    const controller = new AbortController();
    const reached = hold(method);
    const answer = handler(new Request(url, { signal: controller.signal }));
    const signal = await reached;
    expect(signal?.aborted).toBe(false);
    controller.abort();
    const response = await answer;
    expect(signal?.aborted).toBe(true);
    expect(response.status).toBe(499);
    expect(await response.json()).toMatchObject({ code: "aborted" });
  });

  it("a retried push checks the stored frame under its request's signal", async () => {
    const { hold, handler } = await seeded();
    const controller = new AbortController();
    const reached = hold("getFrame");
    const retry = {
      stack: "mock/abc",
      id: "f1",
      timestamp: 1,
      attachments: [{ data: btoa("hello"), content_type: "text/plain" }],
    };
    const answer = handler(
      new Request(`${origin}/api/stacks/push`, {
        method: "POST",
        body: JSON.stringify(retry),
        signal: controller.signal,
      }),
    );
    const signal = await reached;
    controller.abort();
    expect(signal?.aborted).toBe(true);
    expect((await answer).status).toBe(499);
  });

  it("over node:http: closing the connection aborts the read", async () => {
    const { hold, handler } = await seeded();
    const server = createServer(nodeListener(handler, () => "http://127.0.0.1"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const reached = hold("getStack");
      const client = new AbortController();
      const request = fetch(`http://127.0.0.1:${port}/api/stacks/mock/abc`, { signal: client.signal });
      request.catch(() => {});
      const signal = await reached;
      expect(signal?.aborted).toBe(false);
      const aborted = new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve()));
      client.abort();
      await aborted;
      expect(signal?.aborted).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each(["aborts the request", "cancels the body"])(
    "GET /events: a client that %s ends the stream and its subscription",
    async (how) => {
      const inner = createMemoryStore({ user: "mock" });
      let listening = 0;
      const store = new Proxy(inner, {
        get(target, key, receiver) {
          if (key !== "subscribe") return Reflect.get(target, key, receiver);
          return (listener: Parameters<StackStore["subscribe"]>[0]) => {
            listening++;
            const off = target.subscribe(listener);
            return () => {
              listening--;
              off();
            };
          };
        },
      });
      const handler = createDstackHandler({ store });
      const controller = new AbortController();
      const response = await handler(new Request(`${origin}/api/events`, { signal: controller.signal }));
      const reader = response.body?.getReader() as ReadableStreamDefaultReader<Uint8Array>;
      expect(new TextDecoder().decode((await reader.read()).value)).toBe(": connected\n\n");
      expect(listening).toBe(1);
      if (how === "aborts the request") {
        controller.abort();
        while (!(await reader.read()).done) {}
      } else {
        await reader.cancel();
      }
      await expect.poll(() => listening).toBe(0);
    },
  );
});
