// Change events from a dstack server (GET /events, Server-Sent Events; an extension of the 2020 protocol), merged
// with the events a store emits for its own changes so that each change reaches listeners once: our own change
// may arrive over the stream before or after our request returns, and only the first of the two is delivered.
import { DstackError } from "../model/errors";
import type { StoreEvent } from "../model/types";
import { type Clock, systemClock } from "./clock";
import { isStoreEvent } from "./emitter";
import { createEventStreamParser } from "./eventStreamParser";
import type { HttpRequest } from "./httpRequest";

/** How long one of the two copies of an own change waits for the other. */
const PAIR_WINDOW_MS = 10_000;
const RECONNECT_MAX_MS = 10_000;
/** Answers of a server that has no event stream: asking again would not help. */
const UNSUPPORTED = new Set([404, 405, 501]);

export interface ServerEventsOptions {
  url: string;
  /** The store's requests: auth, the time limit for the headers, typed errors. */
  request: Pick<HttpRequest, "send">;
  /** Delivers an event to listeners. */
  deliver: (event: StoreEvent) => void;
  /** Pairing windows and reconnect waits; the system clock by default. */
  clock?: Pick<Clock, "now" | "sleep">;
}

const keyOf = (event: StoreEvent) => `${event.type} ${event.path}`;

/**
 * The stream runs while there are listeners (`start` / `stop`), reconnecting with backoff; a server without
 * /events (404, 405) is left alone for good.
 */
export function createServerEvents(options: ServerEventsOptions) {
  const local = new Map<string, number[]>();
  const remote = new Map<string, number[]>();
  let controller: AbortController | undefined;
  let unsupported = false;
  /** The server's `retry:`, the least time to wait before reconnecting. */
  let retryMs = 0;
  const clock = options.clock ?? systemClock;

  /** Takes one unexpired entry for `key` from `from`, if there is one. */
  function take(from: Map<string, number[]>, key: string): boolean {
    const now = clock.now();
    const list = (from.get(key) ?? []).filter((expires) => expires > now);
    const found = list.length > 0;
    if (found) list.shift();
    if (list.length > 0) from.set(key, list);
    else from.delete(key);
    return found;
  }

  function note(to: Map<string, number[]>, key: string) {
    const list = to.get(key) ?? [];
    list.push(clock.now() + PAIR_WINDOW_MS);
    to.set(key, list);
  }

  function fromServer(event: StoreEvent) {
    const key = keyOf(event);
    if (take(local, key)) return;
    note(remote, key);
    options.deliver(event);
  }

  async function run(signal: AbortSignal) {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        const response = await options.request.send("GET", options.url, {
          headers: { accept: "text/event-stream" },
          signal,
          retry: false,
          stream: true,
        });
        if (!response.body) throw new DstackError("the event stream has no body", "protocol_error", 502);
        attempt = 0;
        const parser = createEventStreamParser({
          onEvent: ({ type, data }) => {
            if (type !== "message") return;
            let value: unknown;
            try {
              value = JSON.parse(data);
            } catch {
              return;
            }
            if (isStoreEvent(value)) fromServer(value);
          },
          onRetry: (ms) => {
            retryMs = ms;
          },
        });
        const reader = response.body.getReader();
        // The parser drops the BOM itself, once, as the event-stream rules say.
        const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.feed(decoder.decode(value, { stream: true }));
        }
        parser.feed(decoder.decode());
        parser.end();
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof DstackError && UNSUPPORTED.has(error.status)) {
          unsupported = true;
          return;
        }
      }
      const delay = Math.max(retryMs, Math.min(RECONNECT_MAX_MS, 250 * 2 ** attempt));
      // Rejects only when stopped, which ends the loop.
      await clock.sleep(delay, signal).catch(() => {});
    }
  }

  return {
    /** An own change: delivered now unless the stream already brought it. */
    local(event: StoreEvent) {
      const key = keyOf(event);
      if (controller && take(remote, key)) return;
      if (controller) note(local, key);
      options.deliver(event);
    },
    start() {
      if (controller || unsupported) return;
      controller = new AbortController();
      void run(controller.signal);
    },
    stop() {
      controller?.abort();
      controller = undefined;
      local.clear();
      remote.clear();
    },
  };
}
