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
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? "GET";
  const init: NodeRequestInit = { method, headers, signal: controller.signal };
  if (method !== "GET" && method !== "HEAD") {
    init.body = requestBody(req);
    init.duplex = "half";
  }
  return new Request(new URL(req.url ?? "/", origin), init);
}

export async function sendWebResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
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
