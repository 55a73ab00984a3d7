import { http, type RequestHandler } from "msw";
import type { StackStore } from "../model/stackStore";
import { createDstackHandler, type DstackHandlerOptions } from "../protocol/handler";
import { createMemoryStore } from "../storage/memoryStore";

export interface MswHandlersOptions extends Omit<DstackHandlerOptions, "store" | "basePath"> {
  /** The data behind the mock API; a fresh memory store when omitted. */
  store?: StackStore;
  /**
   * Where the API is mocked: a full URL (`http://localhost:8080/api`: only that origin), or a path (`/api`, the
   * default: that path on any origin, so it works in browsers and in Node alike).
   */
  baseUrl?: string;
}

/**
 * msw request handlers that serve the dstack API from `store`, with the same protocol handler as the Node server.
 * Without `users` every request acts as the store's user (any token, or none, is accepted).
 * @example const worker = setupWorker(...createMswHandlers({ store, baseUrl: "/api" }));
 */
export function createMswHandlers(options: MswHandlersOptions = {}): RequestHandler[] {
  const { store = createMemoryStore(), baseUrl = "/api", ...rest } = options;
  const base = baseUrl.replace(/\/+$/, "");
  const absolute = /^https?:\/\//i.test(base);
  const basePath = absolute ? new URL(base).pathname : base;
  const handler = createDstackHandler({ ...rest, store, basePath });
  return [http.all(`${absolute ? base : `*${base}`}/*`, ({ request }) => handler(request))];
}
