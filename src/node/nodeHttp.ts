// node:http around a Web-standard handler: IncomingMessage → Request, Response → ServerResponse. Bodies stream
// both ways (a 50 MB upload or download is never buffered here), and a client that hangs up aborts the
// request's signal, so the handler can stop work for it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

export type WebHandler = (request: Request) => Promise<Response>;

type NodeRequestInit = RequestInit & { duplex?: "half" };

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
    init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
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
