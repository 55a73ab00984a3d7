// `GET /events` (an extension of the 2020 protocol): Server-Sent Events of the store changes the caller may see.
// The stream opens with the comment `: connected` (the response starts at once, before any change; event parsers
// skip comments), sends `: ping` every 25 s so proxies keep it open, one `data: {json}` block per change, and ends
// when the client goes away.
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { ReadOptions } from "../model/stackStore";
import type { StoreEvent } from "../model/types";
import type { Caller } from "./access";
import { parseWirePath } from "./fields";
import type { HandlerContext } from "./handlerContext";

const PING_MS = 25_000;

export function eventRoutes(ctx: HandlerContext): Hono {
  const { store, visible } = ctx;
  const app = new Hono();

  /** Owners hear every change of theirs; others hear what they may see after the change. */
  async function mayHear(caller: Caller, event: StoreEvent, read: ReadOptions): Promise<boolean> {
    const owner = event.path.slice(0, event.path.indexOf("/"));
    if (caller.superuser || caller.user === owner) return true;
    try {
      if (event.type === "stack") await visible.stack(caller, parseWirePath(event.path), read);
      else await visible.dashboard(caller, owner, event.path.slice(owner.length + 1), read);
      return true;
    } catch {
      return false;
    }
  }

  app.get("/events", async (c) => {
    const caller = await ctx.reader(c);
    const hangUp = c.req.raw.signal;
    const read: ReadOptions = { signal: hangUp };
    c.header("x-accel-buffering", "no"); // nginx: pass events on as they come
    const response = streamSSE(c, async (stream) => {
      // Subscribed before the response is returned: a change made right after the request is heard.
      const off = store.subscribe((event) => {
        void mayHear(caller, event, read).then((ok) => {
          if (ok) void stream.writeSSE({ data: JSON.stringify(event) });
        });
      });
      const ping = setInterval(() => void stream.write(": ping\n\n"), PING_MS);
      const gone = new Promise<void>((resolve) => {
        stream.onAbort(resolve);
        if (hangUp.aborted) resolve();
        else hangUp.addEventListener("abort", () => resolve(), { once: true });
      });
      void stream.write(": connected\n\n");
      try {
        await gone;
      } finally {
        off();
        clearInterval(ping);
      }
    });
    // Framing is the server's business (node:http chunks on its own; HTTP/2 forbids these headers). Hono copies
    // the context's headers onto the response it returns, so they go from both.
    for (const name of ["transfer-encoding", "connection"]) {
      c.header(name, undefined);
      response.headers.delete(name);
    }
    return response;
  });

  return app;
}
