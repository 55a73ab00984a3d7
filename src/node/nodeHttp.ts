// node:http around a Web-standard handler: IncomingMessage → Request, Response → ServerResponse. Bodies stream
// both ways (a 50 MB upload or download is never buffered here), and a client that hangs up aborts the
// request's signal, so the handler can stop work for it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { DstackError } from "../model/errors";

export type WebHandler = (request: Request) => Promise<Response>;

/** 408: the client stopped sending a body it had started. */
export class RequestTimeoutError extends DstackError {
  constructor(ms: number) {
    super(`the request body stalled: no bytes for ${ms} ms`, "request_timeout", 408);
  }
}

export interface ListenerOptions {
  /** A body that sends nothing for this long (while the server waits for it) fails with 408; default 30 s. */
  bodyIdleTimeoutMs?: number;
}

/** Requests whose body stalled: their connection is closed after the answer (the rest will never come). */
const stalled = new WeakSet<IncomingMessage>();

/** `host`, `host:port`, `1.2.3.4:80`, `[::1]:8080`: what a Host header may be before it goes into a URL. */
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** True when `host` is a plain host[:port] (a Host header to build URLs from). */
export const isValidHost = (host: string): boolean => host.length <= 261 && HOST.test(host);

/** Methods node:http parses but a web Request cannot carry (and this server never answers). */
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

type NodeRequestInit = RequestInit & { duplex?: "half" };

/**
 * The request body as a web stream, with back-pressure. Not `Readable.toWeb`: on Node 20 it throws
 * "Controller is already closed" (an uncaught exception, the end of the server) when a handler cancels a body
 * that is still arriving, as a 413 or an upload refused half-way does. Cancelled bodies are drained and dropped.
 */
export function requestBody(req: IncomingMessage, idleTimeoutMs = 30_000): ReadableStream<Uint8Array> {
  let done = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const disarm = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  // The idle clock runs only while the server waits for bytes: a handler slow to read (back-pressure) is not
  // the client's fault.
  let arm = () => {};
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const fail = (error: Error) => {
          disarm();
          if (done) return;
          done = true;
          controller.error(error);
        };
        arm = () => {
          disarm();
          if (done || idleTimeoutMs <= 0) return;
          timer = setTimeout(() => {
            stalled.add(req);
            fail(new RequestTimeoutError(idleTimeoutMs));
          }, idleTimeoutMs);
          timer.unref?.();
        };
        req.on("data", (chunk: Buffer) => {
          if (done) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) {
            req.pause();
            disarm();
          } else arm();
        });
        req.on("end", () => {
          disarm();
          if (done) return;
          done = true;
          controller.close();
        });
        arm();
        req.on("error", fail);
        req.on("close", () => {
          if (!req.complete) fail(new Error("the client closed the connection before the body ended"));
        });
      },
      pull() {
        if (req.isPaused()) arm();
        req.resume();
      },
      cancel() {
        disarm();
        done = true;
        req.resume();
      },
    },
    new CountQueuingStrategy({ highWaterMark: 16 }),
  );
}

export function toWebRequest(
  req: IncomingMessage,
  res: ServerResponse,
  origin: string,
  options: ListenerOptions = {},
): Request {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const method = req.method ?? "GET";
  const init: NodeRequestInit = { method, headers };
  if (method !== "GET" && method !== "HEAD") {
    init.body = requestBody(req, options.bodyIdleTimeoutMs);
    init.duplex = "half";
  }
  const request = new Request(new URL(req.url ?? "/", origin), init);
  // The signal (aborted when the client hangs up) is made on first use: handing one to the Request constructor
  // costs more than the rest of the conversion, and most handlers never look at it.
  let controller: AbortController | undefined;
  Object.defineProperty(request, "signal", {
    get() {
      if (!controller) {
        const made = new AbortController();
        controller = made;
        if (res.destroyed || (res.socket?.destroyed ?? false)) made.abort();
        else res.once("close", () => !res.writableFinished && made.abort());
      }
      return controller.signal;
    },
  });
  return request;
}

export async function sendWebResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (!response.body) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  // JSON answers are whole in memory anyway: one write with a Content-Length beats a chunked stream.
  if (headers["content-type"]?.startsWith("application/json")) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    headers["content-length"] = String(bytes.byteLength);
    res.writeHead(response.status, headers);
    res.end(bytes);
    return;
  }
  res.writeHead(response.status, headers);
  const reader = response.body.getReader();
  const closed = new Promise<void>((resolve) => res.once("close", resolve));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) {
        // Back-pressure: wait until the socket drains (or the client went away).
        await Promise.race([new Promise((resolve) => res.once("drain", resolve)), closed]);
        if (res.destroyed) break;
      }
    }
  } finally {
    if (res.destroyed) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  res.end();
}

function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", connection: "close", ...headers });
  res.end(JSON.stringify({ message, code: status === 405 ? "method_not_allowed" : "bad_request" }));
}

/**
 * A node:http request listener that answers with `handler`; `origin` builds absolute request URLs (it gets only
 * requests whose Host header, if any, is a plain host[:port]).
 */
export function nodeListener(
  handler: WebHandler,
  origin: (req: IncomingMessage) => string,
  options: ListenerOptions = {},
) {
  return (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        if (FORBIDDEN_METHODS.has(req.method ?? ""))
          return refuse(res, 405, `${req.method} is not allowed`, { allow: "GET, HEAD, POST, PUT, OPTIONS" });
        const host = req.headers.host;
        if (host !== undefined && !isValidHost(host)) return refuse(res, 400, "malformed request: bad Host header");
        let request: Request;
        try {
          request = toWebRequest(req, res, origin(req), options);
        } catch {
          return refuse(res, 400, "malformed request: the request line or headers cannot be read");
        }
        const response = await handler(request);
        if (stalled.has(req)) res.setHeader("connection", "close");
        await sendWebResponse(response, res);
      } catch (error) {
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ message: "internal server error" }));
        } else {
          res.destroy(error as Error);
        }
      }
    })();
  };
}
