// Change events from a dstack server (GET /events, Server-Sent Events; an extension of the 2020 protocol), merged
// with the events a store emits for its own changes so that each change reaches listeners once: our own change
// may arrive over the stream before or after our request returns, and only the first of the two is delivered.
import type { StoreEvent } from "../model/types";
import { type Clock, systemClock } from "./clock";

/** How long one of the two copies of an own change waits for the other. */
const PAIR_WINDOW_MS = 10_000;
const RECONNECT_MAX_MS = 10_000;

export interface ServerEventsOptions {
  url: string;
  token: string;
  fetch: typeof fetch;
  /** Delivers an event to listeners. */
  deliver: (event: StoreEvent) => void;
  /** Pairing windows and reconnect waits; the system clock by default. */
  clock?: Pick<Clock, "now" | "sleep">;
}

const keyOf = (event: StoreEvent) => `${event.type} ${event.path}`;

function isStoreEvent(value: unknown): value is StoreEvent {
  const v = value as StoreEvent;
  return (
    typeof v === "object" && v !== null && (v.type === "stack" || v.type === "dashboard") && typeof v.path === "string"
  );
}

/** Parses `data:` lines of an event stream into events, whatever the chunking. */
function eventParser(onEvent: (event: StoreEvent) => void) {
  let buffer = "";
  return (text: string) => {
    buffer += text;
    for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n");
      if (!data) continue;
      try {
        const value: unknown = JSON.parse(data);
        if (isStoreEvent(value)) onEvent(value);
      } catch {}
    }
  };
}

/**
 * The stream runs while there are listeners (`start` / `stop`), reconnecting with backoff; a server without
 * /events (404, 405) is left alone for good.
 */
export function createServerEvents(options: ServerEventsOptions) {
  const local = new Map<string, number[]>();
  const remote = new Map<string, number[]>();
  let controller: AbortController | undefined;
  let unsupported = false;
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
        const response = await options.fetch(options.url, {
          headers: { authorization: `Bearer ${options.token}`, accept: "text/event-stream" },
          signal,
        });
        if (response.status === 404 || response.status === 405 || response.status === 501) {
          unsupported = true;
          await response.body?.cancel();
          return;
        }
        if (!response.ok || !response.body) {
          await response.body?.cancel();
          throw new Error(`HTTP ${response.status}`);
        }
        attempt = 0;
        const parse = eventParser(fromServer);
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parse(decoder.decode(value, { stream: true }));
        }
      } catch {
        if (signal.aborted) return;
      }
      const delay = Math.min(RECONNECT_MAX_MS, 250 * 2 ** attempt);
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
