// The node:http adapter: bodies stream both ways, and a handler may stop reading a body that is still arriving
// (413, refused uploads) without bringing the process down (Readable.toWeb does, on Node 20).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeListener } from "./nodeHttp";

let base = "";
let hungUp = false;
let markArrived = () => {};
const arrived = new Promise<void>((resolve) => {
  markArrived = resolve;
});
let markHangUp = () => {};
const hangUpSeen = new Promise<void>((resolve) => {
  markHangUp = resolve;
});
const server = createServer(
  nodeListener(
    async (request) => {
      const url = new URL(request.url);
      if (url.pathname === "/wait") {
        // Answers only when the client goes away: the request's signal must fire.
        const aborted = new Promise<void>((resolve) => request.signal.addEventListener("abort", () => resolve()));
        markArrived();
        await aborted;
        hungUp = true;
        markHangUp();
        return new Response(null);
      }
      if (url.pathname === "/refuse") {
        // Read one chunk, then give up on the rest of the body.
        const reader = request.body?.getReader();
        await reader?.read();
        await reader?.cancel();
        return new Response(JSON.stringify({ message: "too large" }), { status: 413 });
      }
      if (url.pathname === "/echo") return new Response(request.body, { headers: { "x-method": request.method } });
      return new Response(JSON.stringify({ path: url.pathname, host: url.host }));
    },
    (req) => `http://${req.headers.host}`,
  ),
);

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function chunked(total: number, size = 16_384): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      controller.enqueue(new Uint8Array(Math.min(size, total - sent)).fill(sent % 251));
      sent += size;
    },
  });
}

describe("node:http adapter", () => {
  it("streams a request body through and back", async () => {
    const response = await fetch(`${base}/echo`, {
      method: "PUT",
      body: chunked(3_000_000),
      duplex: "half",
    } as RequestInit & { duplex: "half" });
    expect(response.headers.get("x-method")).toBe("PUT");
    expect((await response.arrayBuffer()).byteLength).toBe(3_000_000);
  });

  it("aborts the request's signal when the client hangs up", async () => {
    const controller = new AbortController();
    const waiting = fetch(`${base}/wait`, { signal: controller.signal }).catch(() => "aborted");
    await arrived;
    expect(hungUp).toBe(false);
    controller.abort();
    expect(await waiting).toBe("aborted");
    await hangUpSeen;
    expect(hungUp).toBe(true);
  });

  it("answers a handler that stopped reading a body half-way, and keeps serving", async () => {
    for (let i = 0; i < 3; i++) {
      const refused = await fetch(`${base}/refuse`, {
        method: "POST",
        body: chunked(2_000_000),
        duplex: "half",
      } as RequestInit & { duplex: "half" });
      expect(refused.status).toBe(413);
      expect(await refused.json()).toEqual({ message: "too large" });
    }
    const after = await fetch(`${base}/still/here?x=1`);
    expect(await after.json()).toMatchObject({ path: "/still/here" });
  });
});
