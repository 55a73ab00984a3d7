// An aborted HttpStore read really stops its request: the server sees the connection close, and nothing is retried.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AbortError } from "../model/errors";
import { createHttpStore } from "./httpStore";

interface Held {
  path: string;
  /** Resolves when the client side of this request goes away. */
  closed: Promise<void>;
}

/** A server that never answers: each request is held open, and reported with a promise of its closing. */
async function holdingServer() {
  const held: Held[] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const closed = new Promise<void>((resolve) => res.once("close", () => resolve()));
    held.push({ path: new URL(req.url ?? "/", "http://x").pathname, closed });
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  /** Resolves once `n` requests have arrived. */
  const arrived = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => (held.length >= n ? resolve() : waiters.push(check));
      check();
    });
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { apiUrl: `http://127.0.0.1:${port}/api`, held, arrived, close };
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe("HttpStore cancellation", () => {
  it.each([
    ["getStack", (s: ReturnType<typeof createHttpStore>, signal: AbortSignal) => s.getStack("report", { signal })],
    ["listStacks", (s: ReturnType<typeof createHttpStore>, signal: AbortSignal) => s.listStacks(undefined, { signal })],
    [
      "getAttachment",
      (s: ReturnType<typeof createHttpStore>, signal: AbortSignal) => s.getAttachment("report", "f1", 0, { signal }),
    ],
  ])("%s: aborting closes the request on the server and rejects with AbortError, without a retry", async (_, read) => {
    const server = await holdingServer();
    stop = server.close;
    const store = createHttpStore({ server: server.apiUrl, user: "dstack", token: "t", events: false });
    const controller = new AbortController();
    const pending = read(store, controller.signal);
    const settled = pending.then(
      () => "resolved",
      (error: unknown) => error,
    );
    expect(await Promise.race([server.arrived(1).then(() => "arrived"), settled])).toBe("arrived");
    controller.abort();
    expect(await settled).toBeInstanceOf(AbortError);
    // The server's side of the request closes: the transfer is over, not left running.
    await server.held[0]?.closed;
    expect(server.held).toHaveLength(1);
  });
});
