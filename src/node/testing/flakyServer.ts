// A real node:http server in front of a protocol handler that misbehaves on purpose: answers 503, hangs, or
// drops the connection after the handler did the work (a lost response). For retry and timeout tests.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { StackStore } from "../../model/stackStore";
import { createDstackHandler, type DstackHandler } from "../../protocol/handler";
import { createMemoryStore } from "../../storage/memoryStore";
import { sendWebResponse, toWebRequest } from "../nodeHttp";

/** What to do with the n-th request (1-based) matching nothing else: answer normally by default. */
export type Fault = "ok" | "503" | "500" | "hang" | "drop-after" | "drop-before";

export interface FlakyServer {
  readonly apiUrl: string;
  readonly port: number;
  readonly store: StackStore;
  readonly handler: DstackHandler;
  /** Every request seen: method, path and the time it arrived. */
  readonly seen: Array<{ method: string; path: string; at: number }>;
  close(): Promise<void>;
}

/** `plan(method, path, count)` decides each request's fate; `count` is how many times this method+path came. */
export async function startFlakyServer(
  plan: (method: string, path: string, count: number) => Fault,
  port = 0,
): Promise<FlakyServer> {
  const store = createMemoryStore();
  const handler = createDstackHandler({ store });
  const seen: FlakyServer["seen"] = [];
  const counts = new Map<string, number>();
  const hanging = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const key = `${req.method} ${path}`;
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    seen.push({ method: req.method ?? "GET", path, at: Date.now() });
    const fault = plan(req.method ?? "GET", path, count);
    if (fault === "hang") {
      hanging.add(() => res.destroy());
      return;
    }
    if (fault === "drop-before") {
      res.destroy();
      return;
    }
    if (fault === "503" || fault === "500") {
      res.writeHead(Number(fault), { "content-type": "application/json" });
      res.end(JSON.stringify({ message: fault === "503" ? "busy, try later" : "boom" }));
      return;
    }
    void (async () => {
      const response = await handler(toWebRequest(req, res, `http://${req.headers.host}`));
      if (fault === "drop-after") {
        // The work is done (the frame is stored), but the answer never reaches the client.
        await response.arrayBuffer();
        res.destroy();
        return;
      }
      await sendWebResponse(response, res);
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    apiUrl: `http://127.0.0.1:${actual}/api`,
    port: actual,
    store,
    handler,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stop of hanging) stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A port nothing listens on (yet). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
