// One request to a dstack server as HttpStore and its event stream send it: bearer auth, a time limit per attempt,
// cancellation through AbortSignal, retries with jittered backoff on failures worth another try, and the server's
// error answer turned back into the kit's typed error.
import { AbortError, DstackError, throwIfAborted } from "../model/errors";
import { type ErrorContext, fromWireError } from "../protocol/wireErrors";
import type { Clock } from "./clock";

/** Marks a request as the page's own, so the server accepts its session cookie (a page elsewhere cannot send it). */
export const CSRF_HEADER = "x-dstack-csrf";

export interface HttpRequestOptions {
  fetch: typeof fetch;
  /**
   * Bearer token sent with every request unless `auth: false`; undefined in session mode, where the browser sends
   * the server's HttpOnly session cookie and every request carries the CSRF header instead.
   */
  token: string | undefined;
  /** Time limit of one attempt, unless the request gives its own. */
  timeoutMs: number;
  /** Further attempts of a request marked `retry`. */
  retries: number;
  /** First backoff delay, doubled on each retry, with ±25% jitter. */
  retryDelayMs: number;
  clock: Clock;
}

export interface SendOptions {
  /** The request body, made anew for each attempt (a stream can be read once). */
  body?: () => BodyInit | undefined;
  /** A JSON body (sets the content type). */
  json?: unknown;
  signal?: AbortSignal | undefined;
  /** Safe to send again after a network error, timeout, 429 or 5xx (reads, pushes by frame id, PUTs). */
  retry: boolean;
  /** What the request was about, so a typed error can name what was missing. */
  context?: ErrorContext;
  /** Send the bearer token (default true); signed URLs carry their own authority. */
  auth?: boolean;
  headers?: Record<string, string>;
  /** This request's time limit per attempt (transfers get more time per byte). */
  timeoutMs?: number;
  /**
   * Answer once the headers are in, body unread, for a stream that stays open (an event stream): the time limit
   * covers only the wait for the headers, and an error answer's body is dropped unread.
   */
  stream?: boolean;
}

export interface HttpRequest {
  /** The response of a 2xx answer (its body already read, unless `stream`); anything else throws a typed error. */
  send(method: string, url: string, options: SendOptions): Promise<Response>;
  /** `send`, then the body parsed as JSON. */
  json<T>(method: string, url: string, options: SendOptions): Promise<T>;
  /** Refuses every later request. */
  close(): void;
}

type NodeRequestInit = RequestInit & { duplex?: "half" };

/** One signal that aborts when any of `signals` does (AbortSignal.any where it exists). */
function anySignal(signals: AbortSignal[]): AbortSignal {
  const any = (AbortSignal as { any?: (s: AbortSignal[]) => AbortSignal }).any;
  if (any) return any(signals);
  const controller = new AbortController();
  for (const s of signals) {
    if (s.aborted) controller.abort(s.reason);
    else s.addEventListener("abort", () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}

/** A failure worth another try: the request may not have reached the server, or the server was briefly down. */
class TransientError extends DstackError {}

/** The typed error behind a transient one, once no attempt is left. */
function settled(error: unknown): unknown {
  if (!(error instanceof TransientError)) return error;
  if (error.cause instanceof DstackError) return error.cause;
  return new DstackError(error.message, error.code, error.status, { cause: error.cause });
}

export function createHttpRequest(options: HttpRequestOptions): HttpRequest {
  const { clock } = options;
  let closed = false;

  const backoff = (attempt: number) => options.retryDelayMs * 2 ** attempt * (0.75 + clock.random() * 0.5);

  async function send(method: string, url: string, o: SendOptions): Promise<Response> {
    if (closed) throw new DstackError("this store is closed", "closed", 400);
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(o.signal);
      try {
        return await sendOnce(method, url, o);
      } catch (error) {
        if (!(error instanceof TransientError) || !o.retry || attempt >= options.retries) throw settled(error);
        await clock.sleep(backoff(attempt), o.signal);
      }
    }
  }

  async function sendOnce(method: string, url: string, o: SendOptions): Promise<Response> {
    const limitMs = o.timeoutMs ?? options.timeoutMs;
    // The time limit reaches the request through `expired`, so a stream can let go of it once its headers are in.
    const limit = clock.timeout(limitMs);
    const expired = new AbortController();
    const expire = () => expired.abort(limit.reason);
    if (limit.aborted) expire();
    else limit.addEventListener("abort", expire, { once: true });
    const release = () => limit.removeEventListener("abort", expire);
    const headers: Record<string, string> = { ...o.headers };
    if (o.auth !== false) {
      if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
      else headers[CSRF_HEADER] = "1";
    }
    const init: NodeRequestInit = {
      method,
      headers,
      signal: o.signal ? anySignal([o.signal, expired.signal]) : expired.signal,
    };
    if (o.json !== undefined) {
      headers["content-type"] = "application/json";
      init.body = JSON.stringify(o.json);
    } else if (o.body) {
      init.body = o.body() ?? null;
      if (init.body instanceof ReadableStream) init.duplex = "half";
    }
    const what = `${method} ${url}`;
    const failed = (error: unknown): never => {
      if (o.signal?.aborted) throw new AbortError();
      if (expired.signal.aborted) throw new TransientError(`timed out after ${limitMs} ms: ${what}`, "timeout", 504);
      throw new TransientError(`network error: ${what}: ${(error as Error)?.message ?? error}`, "network_error", 503, {
        cause: error,
      });
    };
    try {
      let response: Response;
      try {
        response = await options.fetch(url, init);
      } catch (error) {
        return failed(error);
      }
      if (response.ok && o.stream) return response;
      if (response.ok) {
        // Read the body here, so a connection dropped mid-body is retried like any network error.
        try {
          const bytes = await response.arrayBuffer();
          return new Response(bytes, { status: response.status, headers: response.headers });
        } catch (error) {
          return failed(error);
        }
      }
      let text = "";
      if (o.stream) await response.body?.cancel().catch(() => {});
      else text = await response.text().catch(() => "");
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch {
        payload = { message: text.slice(0, 200) || `HTTP ${response.status} ${response.statusText}`.trim() };
      }
      const error = fromWireError(response.status, payload, o.context);
      if (response.status >= 500 || response.status === 429) {
        throw new TransientError(error.message, error.code, response.status, { cause: error });
      }
      throw error;
    } finally {
      // Past the headers (a stream) or the whole answer: the limit no longer applies.
      release();
    }
  }

  return {
    send,
    async json<T>(method: string, url: string, o: SendOptions): Promise<T> {
      const response = await send(method, url, o);
      return (await response.json()) as T;
    },
    close() {
      closed = true;
    },
  };
}
