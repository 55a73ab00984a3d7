// node:http around a Web-standard handler: IncomingMessage → Request, Response → ServerResponse. Bodies stream
// both ways (a 50 MB upload or download is never buffered here), and a client that hangs up aborts the
// request's signal, so the handler can stop work for it.
import type { IncomingMessage, ServerResponse } from "node:http";

export type WebHandler = (request: Request) => Promise<Response>;

type NodeRequestInit = RequestInit & { duplex?: "half" };

/**
 * The request body as a web stream, with back-pressure. Not `Readable.toWeb`: on Node 20 it throws
 * "Controller is already closed" (an uncaught exception, the end of the server) when a handler cancels a body
 * that is still arriving, as a 413 or an upload refused half-way does. Cancelled bodies are drained and dropped.
 */
export function requestBody(req: IncomingMessage): ReadableStream<Uint8Array> {
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on("data", (chunk: Buffer) => {
          if (done) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.on("end", () => {
          if (done) return;
          done = true;
          controller.close();
        });
        const fail = (error: Error) => {
          if (done) return;
          done = true;
          controller.error(error);
        };
        req.on("error", fail);
        req.on("close", () => {
          if (!req.complete) fail(new Error("the client closed the connection before the body ended"));
        });
      },
      pull() {
        req.resume();
      },
      cancel() {
        done = true;
        req.resume();
      },
    },
    new CountQueuingStrategy({ highWaterMark: 16 }),
  );
}

export function toWebRequest(req: IncomingMessage, res: ServerResponse, origin: string): Request {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const method = req.method ?? "GET";
  const init: NodeRequestInit = { method, headers };
  if (method !== "GET" && method !== "HEAD") {
    init.body = requestBody(req);
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

/** A node:http request listener that answers with `handler`; `origin` builds absolute request URLs. */
export function nodeListener(handler: WebHandler, origin: (req: IncomingMessage) => string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        const response = await handler(toWebRequest(req, res, origin(req)));
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
