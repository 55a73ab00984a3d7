// The request layer on its own, with a fake fetch and a clock whose time limits pass when the test says: what a
// stream's time limit covers, and how error answers of streams end. Retries, timeouts and typed errors of plain
// requests are tested through HttpStore (httpStore.retry/errors/abort tests).
import { describe, expect, it } from "vitest";
import { DstackError } from "../model/errors";
import { type Clock, systemClock } from "./clock";
import { createHttpRequest } from "./httpRequest";

function setup(answer: (signal: AbortSignal) => Promise<Response>) {
  const limits: AbortController[] = [];
  const clock: Clock = {
    ...systemClock,
    timeout: () => {
      const limit = new AbortController();
      limits.push(limit);
      return limit.signal;
    },
  };
  const request = createHttpRequest({
    fetch: (_input, init) => answer(init?.signal as AbortSignal),
    token: "t",
    timeoutMs: 1000,
    retries: 0,
    retryDelayMs: 0,
    clock,
  });
  /** The time limit of the latest attempt passes. */
  const expire = () => limits.at(-1)?.abort(new DOMException("time limit", "TimeoutError"));
  return { request, expire };
}

/** A response whose body stays open until the test closes it (or the request's signal aborts it). */
function openStream(signal: AbortSignal) {
  let push: (text: string) => void = () => {};
  let close: () => void = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      push = (text) => controller.enqueue(new TextEncoder().encode(text));
      close = () => controller.close();
      signal.addEventListener("abort", () => controller.error(signal.reason), { once: true });
    },
  });
  return { response: new Response(body, { status: 200 }), push: (text: string) => push(text), close: () => close() };
}

describe("httpRequest streams", () => {
  it("lets a stream outlive the time limit once its headers are in", async () => {
    let stream: ReturnType<typeof openStream> | undefined;
    const { request, expire } = setup(async (signal) => {
      stream = openStream(signal);
      return stream.response;
    });
    const response = await request.send("GET", "http://x/events", { retry: false, stream: true });
    expire();
    stream?.push("data: 1\n\n");
    stream?.close();
    expect(await response.text()).toBe("data: 1\n\n");
  });

  it("times out a stream whose headers do not come in time", async () => {
    const { request, expire } = setup(
      (signal) =>
        new Promise<Response>((_, reject) => {
          signal.addEventListener("abort", () => reject(signal.reason), { once: true });
          expire();
        }),
    );
    const error = await request.send("GET", "http://x/events", { retry: false, stream: true }).catch((e) => e);
    expect(error).toBeInstanceOf(DstackError);
    expect(error).toMatchObject({ code: "timeout", status: 504 });
  });

  it("drops an error answer's body unread and answers a typed error from the status", async () => {
    let cancelled = false;
    const body = new ReadableStream({
      cancel() {
        cancelled = true;
      },
    });
    const { request } = setup(async () => new Response(body, { status: 405, statusText: "Method Not Allowed" }));
    const error = await request.send("GET", "http://x/events", { retry: false, stream: true }).catch((e) => e);
    expect(error).toMatchObject({ status: 405, message: "HTTP 405 Method Not Allowed" });
    expect(cancelled).toBe(true);
  });

  it("refuses requests once closed", async () => {
    const { request } = setup(async () => new Response("{}"));
    request.close();
    await expect(request.json("GET", "http://x/stacks/u", { retry: true })).rejects.toMatchObject({ code: "closed" });
  });
});
