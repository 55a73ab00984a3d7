// The event stream of an HttpStore on its own, against a fake server whose stream the test writes to, with a test
// clock: own changes delivered once whichever copy comes first, pairing limited to its window, reconnect waits.
import { describe, expect, it } from "vitest";
import type { StoreEvent } from "../model/types";
import { systemClock } from "./clock";
import { createHttpRequest } from "./httpRequest";
import { createServerEvents } from "./serverEvents";

const encoder = new TextEncoder();
const stack = (path: string): StoreEvent => ({ type: "stack", path });

/** Lets pending promise callbacks run (ordering only: one turn of the event loop, not a measure of time). */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** `answer(n)` is the n-th answer to GET /events (an open stream by default); waits end at once, the `stopAfter`-th stops. */
function setup(answer?: (n: number) => Response | Error, stopAfter = Number.POSITIVE_INFINITY) {
  const delivered: StoreEvent[] = [];
  const waiters: Array<() => void> = [];
  const streams: Array<ReadableStreamDefaultController<Uint8Array>> = [];
  const connected: Array<() => void> = [];
  const waits: number[] = [];
  let now = 1_000_000;
  let fetches = 0;
  const open = () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          streams.push(controller);
          for (const resolve of connected.splice(0)) resolve();
        },
      }),
      { headers: { "content-type": "text/event-stream" } },
    );
  const requests: Request[] = [];
  const request = createHttpRequest({
    fetch: async (input, init) => {
      requests.push(new Request(input, init));
      fetches++;
      const result = answer ? answer(fetches) : open();
      if (result instanceof Error) throw result;
      return result;
    },
    token: "t",
    timeoutMs: 30_000,
    retries: 0,
    retryDelayMs: 0,
    clock: systemClock,
  });
  const events = createServerEvents({
    url: "http://x/api/events",
    request,
    deliver: (event) => {
      delivered.push(event);
      for (const wake of waiters.splice(0)) wake();
    },
    clock: {
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        if (waits.length >= stopAfter) events.stop();
      },
    },
  });
  return {
    events,
    delivered,
    waits,
    fetches: () => fetches,
    advance: (ms: number) => {
      now += ms;
    },
    /** Resolves once the stream is open. */
    connection: () => new Promise<void>((resolve) => (streams.length > 0 ? resolve() : connected.push(resolve))),
    requests,
    /** The server writes `text` as it is on the latest stream. */
    write: (text: string) => streams.at(-1)?.enqueue(encoder.encode(text)),
    /** The server sends `event` on the latest stream. */
    send: (event: StoreEvent) => streams.at(-1)?.enqueue(encoder.encode(`data: ${JSON.stringify(event)}\n\n`)),
    /**
     * Sends a fence event and resolves once it is delivered: the stream is read in order, so everything sent
     * before it has been handled by then.
     */
    fence: (name: string) => {
      const event = stack(`u/${name}`);
      streams.at(-1)?.enqueue(encoder.encode(`data: ${JSON.stringify(event)}\n\n`));
      return new Promise<void>((resolve) => {
        const check = () => (delivered.some((e) => e.path === event.path) ? resolve() : waiters.push(check));
        check();
      });
    },
  };
}

describe("server events", () => {
  it("delivers an own change once, whether the stream or the request's answer brings it first", async () => {
    const s = setup();
    s.events.start();
    await s.connection();
    // Answer first, stream copy later: the copy is dropped.
    s.events.local(stack("u/a"));
    s.send(stack("u/a"));
    await s.fence("f1");
    expect(s.delivered).toEqual([stack("u/a"), stack("u/f1")]);
    // Stream first, answer later.
    s.send(stack("u/b"));
    await s.fence("f2");
    s.events.local(stack("u/b"));
    expect(s.delivered.slice(2)).toEqual([stack("u/b"), stack("u/f2")]);
    // Two changes of the same stack and three copies: each own change pairs with one, the third is someone else's.
    s.events.local(stack("u/c"));
    s.events.local(stack("u/c"));
    s.send(stack("u/c"));
    s.send(stack("u/c"));
    s.send(stack("u/c"));
    await s.fence("f3");
    expect(s.delivered.slice(4)).toEqual([stack("u/c"), stack("u/c"), stack("u/c"), stack("u/f3")]);
    s.events.stop();
  });

  it("pairs the two copies only within 10 s of each other", async () => {
    const s = setup();
    s.events.start();
    await s.connection();
    s.events.local(stack("u/in-time"));
    s.events.local(stack("u/late"));
    s.advance(9_999);
    s.send(stack("u/in-time"));
    await s.fence("f1");
    s.advance(1);
    s.send(stack("u/late"));
    await s.fence("f2");
    expect(s.delivered).toEqual([stack("u/in-time"), stack("u/late"), stack("u/f1"), stack("u/late"), stack("u/f2")]);
    // The other way round: a stream event 10 s old no longer stands for the answer.
    s.send(stack("u/old"));
    await s.fence("f3");
    s.advance(9_999);
    s.events.local(stack("u/old"));
    s.send(stack("u/older"));
    await s.fence("f4");
    s.advance(10_000);
    s.events.local(stack("u/older"));
    expect(s.delivered.slice(5)).toEqual([
      stack("u/old"),
      stack("u/f3"),
      stack("u/older"),
      stack("u/f4"),
      stack("u/older"),
    ]);
    s.events.stop();
  });

  it("reconnects after 250 ms, doubling up to 10 s, and from 250 ms again after a good connection", async () => {
    // Seven failures (network errors and a 500), one stream that the server ends at once, then failures again.
    const s = setup((n) => {
      if (n === 3) return new Response("{}", { status: 500 });
      if (n !== 8) return new TypeError("fetch failed");
      return new Response(new ReadableStream<Uint8Array>({ start: (controller) => controller.close() }));
    }, 9);
    s.events.start();
    while (s.waits.length < 9) await turn();
    expect(s.waits).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000, 250, 500]);
    expect(s.fetches()).toBe(9);
  });

  it("asks with the store's token for an event stream", async () => {
    const s = setup();
    s.events.start();
    await s.connection();
    expect(s.requests[0]?.headers.get("authorization")).toBe("Bearer t");
    expect(s.requests[0]?.headers.get("accept")).toBe("text/event-stream");
    s.events.stop();
  });

  it("reads a stream with CRLF or CR line ends, comments, a BOM and other event types", async () => {
    const s = setup();
    s.events.start();
    await s.connection();
    s.write(`\ufeff: connected\r\n\r\ndata: ${JSON.stringify(stack("u/crlf"))}\r`);
    s.write(`\n\r\nevent: ping\r\ndata: ${JSON.stringify(stack("u/ping"))}\r\n\r\n`);
    s.write(`id: 7\rdata: {"type":"stack",\rdata: "path":"u/cr"}\r\r`);
    await s.fence("f1");
    expect(s.delivered).toEqual([stack("u/crlf"), stack("u/cr"), stack("u/f1")]);
    s.events.stop();
  });

  it("waits at least what the server's retry: field asks before reconnecting", async () => {
    const s = setup((n) => {
      if (n === 1) return new Response("retry: 3000\n\n", { headers: { "content-type": "text/event-stream" } });
      return new TypeError("fetch failed");
    }, 3);
    s.events.start();
    while (s.waits.length < 3) await turn();
    expect(s.waits).toEqual([3000, 3000, 3000]);
  });

  it("leaves a server without /events alone for good", async () => {
    let declined: () => void = () => {};
    const gone = new Promise<void>((resolve) => {
      declined = resolve;
    });
    const s = setup(
      () =>
        new Response(
          new ReadableStream({
            cancel: () => declined(),
          }),
          { status: 404 },
        ),
    );
    s.events.start();
    await gone;
    await turn();
    s.events.stop();
    s.events.start();
    expect(s.fetches()).toBe(1);
    expect(s.waits).toEqual([]);
    // Own changes are still delivered.
    s.events.local(stack("u/own"));
    expect(s.delivered).toEqual([stack("u/own")]);
  });
});
