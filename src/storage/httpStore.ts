import { DstackError, FrameNotFoundError, PayloadTooLargeError, throwIfAborted } from "../model/errors";
import { frameCountOption, framePageOptions } from "../model/frameRecords";
import { normalizePush } from "../model/normalizePush";
import { checkStackPatch } from "../model/stackPatch";
import { parseStackPath, validateUser } from "../model/stackPath";
import type { FramePageOptions, ReadOptions, StackReadOptions, StackStore } from "../model/stackStore";
import type {
  CardInit,
  CardPatch,
  Dashboard,
  DashboardPatch,
  FrameInfo,
  FramePush,
  PushOptions,
  PushResult,
  StackInfo,
  StackPatch,
  StackSummary,
  StoreEvent,
} from "../model/types";
import { base64Length, decodeBase64, encodeBase64 } from "../protocol/base64";
import {
  fromWireDashboard,
  fromWireFrame,
  fromWireStack,
  fromWireStackSummary,
  type WireAttachment,
  type WireDashboard,
  type WireFrame,
  type WirePushAttachment,
  type WirePushRequest,
  type WirePushResponse,
  type WireStack,
  type WireStackSummary,
} from "../protocol/wire";
import type { ErrorContext } from "../protocol/wireErrors";
import { abortable } from "./abortable";
import { type Clock, systemClock } from "./clock";
import { createEmitter } from "./emitter";
import { createHttpRequest } from "./httpRequest";
import { createServerEvents } from "./serverEvents";

export interface HttpStoreOptions {
  /** API base URL, e.g. `http://localhost:8080/api`. */
  server: string;
  /** Your user: relative stack names resolve under it. */
  user: string;
  /** Bearer token of `user` (not with `session`). */
  token?: string;
  /**
   * Use the browser's session with the server instead of a token: a page the server itself serves, signed in through
   * its login URL. The session cookie is HttpOnly (page script never sees it); each request carries the
   * `x-dstack-csrf` header the server asks of cookie-authenticated requests.
   */
  session?: boolean;
  /** A fetch to use instead of the global one (tests, proxies, custom agents). */
  fetch?: typeof fetch;
  /** Per-request timeout; default 30 s (uploads: per PUT). A timeout rejects with a DstackError `timeout`. */
  timeoutMs?: number;
  /** Retries of reads and pushes on network errors, timeouts and 5xx; default 3. */
  retries?: number;
  /** First backoff delay, doubled on each retry (with jitter); default 200 ms. */
  retryDelayMs?: number;
  /** Pushes whose JSON would exceed this many bytes send attachments by `length` + `PUT upload_url`; default 5,000,000. */
  inlineLimit?: number;
  /**
   * While anyone is subscribed, follow the server's change events (GET /events) so listeners hear other clients'
   * changes too; default true. Servers without the endpoint are left alone (own changes are still announced).
   */
  events?: boolean;
}

/**
 * A StackStore over HTTP, speaking the dstack wire protocol. Reads take an optional last argument `{ signal }`
 * (what react-query hands a query function): aborting it aborts the request in flight.
 */
export interface HttpStore extends StackStore {
  readonly server: string;
}

const isNode = () =>
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === "string";

const encoder = new TextEncoder();
/** Upload progress granularity. */
const UPLOAD_SLICE = 256 * 1024;

/**
 * A store on a dstack server: bearer auth, typed errors from status + message, timeouts and cancellation through
 * AbortSignal, retries with backoff for reads and pushes (a retried push of the same frame id is answered as a
 * success by the server, never stored twice), uploads by `PUT upload_url` for pushes over 5,000,000 bytes of JSON.
 * @example const store = createHttpStore({ server: "http://localhost:8080/api", user: "dstack", token });
 */
export function createHttpStore(options: HttpStoreOptions): HttpStore {
  return createHttpStoreWithClock(options, systemClock);
}

/**
 * @internal not exported from the package: createHttpStore with time taken from `clock` (backoff waits and jitter,
 * request time limits, event-stream reconnects), so tests can check the delays asked for without waiting for them.
 */
export function createHttpStoreWithClock(options: HttpStoreOptions, clock: Partial<Clock>): HttpStore {
  const time: Clock = { ...systemClock, ...clock };
  const user = validateUser(options.user);
  const server = options.server.replace(/\/+$/, "");
  if (!/^https?:\/\//i.test(server)) {
    throw new DstackError(
      `server must be an http(s) URL, got ${JSON.stringify(options.server)}`,
      "invalid_server",
      400,
    );
  }
  if (options.session === true) {
    if (options.token !== undefined) throw new DstackError("give a token or session, not both", "invalid_token", 400);
  } else if (typeof options.token !== "string" || options.token.length === 0) {
    throw new DstackError("a token is required (dstack user add NAME prints one)", "invalid_token", 400);
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  const inlineLimit = options.inlineLimit ?? 5_000_000;
  const emitter = createEmitter();
  const request = createHttpRequest({
    fetch: options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args)),
    token: options.token,
    timeoutMs,
    retries: options.retries ?? 3,
    retryDelayMs: options.retryDelayMs ?? 200,
    clock: time,
  });
  const { send } = request;

  const resolve = (stack: string) => parseStackPath(stack, user);

  const get = <T>(path: string, context: ErrorContext, options?: ReadOptions) =>
    abortable(options?.signal, (signal) =>
      request.json<T>("GET", `${server}${path}`, { retry: true, context, signal }),
    );
  const post = <T>(path: string, json: unknown, context: ErrorContext = {}) =>
    request.json<T>("POST", `${server}${path}`, { json, retry: false, context });

  const serverEvents = createServerEvents({
    url: `${server}/events`,
    request,
    deliver: (event) => emitter.emit(event),
    clock: time,
  });
  const emit = (event: StoreEvent) => serverEvents.local(event);
  /** Time for moving `bytes`: the request timeout plus a second per MB (a floor of 1 MB/s). */
  const transferTimeout = (bytes: number) => timeoutMs + Math.ceil(bytes / 1_000_000) * 1000;
  const enc = encodeURIComponent;

  async function pushFrame(frame: FramePush, pushOptions: PushOptions = {}): Promise<PushResult> {
    const push = normalizePush(frame, user, pushOptions);
    const { signal, onProgress, onUpload } = pushOptions;
    const path = push.stack.path;
    const total = push.attachments.length;
    const body: WirePushRequest & { client: string } = {
      stack: path,
      id: push.id,
      timestamp: push.timestamp,
      params: push.params,
      attachments: [],
      client: "dstack-kit",
    };
    if (push.message !== undefined) body.message = push.message;
    if (push.private !== undefined) body.access = push.private ? "private" : "public";
    const wire: WirePushAttachment[] = push.attachments.map(({ info }) => {
      const a: WirePushAttachment = { content_type: info.contentType, params: info.params };
      if (info.application !== undefined) a.application = info.application;
      if (info.description !== undefined) a.description = info.description;
      if (info.settings !== undefined) a.settings = info.settings;
      return a;
    });
    // Inline what fits under the limit; the largest attachments go by upload URL until the JSON fits.
    let size = encoder.encode(JSON.stringify({ ...body, attachments: wire })).length;
    const inline = new Array<boolean>(total).fill(true);
    for (const a of push.attachments) size += base64Length(a.blob.size) + 10;
    const bySize = push.attachments.map((a, i) => [a.blob.size, i] as const).sort((x, y) => y[0] - x[0]);
    for (const [bytes, i] of bySize) {
      if (size <= inlineLimit) break;
      inline[i] = false;
      size -= base64Length(bytes) + 10;
    }
    const totalBytes = push.attachments.reduce((n, a) => n + a.blob.size, 0);
    let sent = 0;
    let done = 0;
    // Progress counts each attachment once: when its bytes are in the request, or when its upload is done.
    const counted = new Array<boolean>(total).fill(false);
    const progress = (i: number) => {
      if (counted[i]) return;
      counted[i] = true;
      done++;
      onProgress?.(done, total);
    };
    for (let i = 0; i < total; i++) {
      const { blob } = push.attachments[i] as (typeof push.attachments)[number];
      const a = wire[i] as WirePushAttachment;
      if (inline[i]) {
        a.data = encodeBase64(new Uint8Array(await blob.arrayBuffer()));
        progress(i);
      } else {
        a.length = blob.size;
      }
      throwIfAborted(signal);
    }
    body.attachments = wire;
    const context = { path, frameId: push.id };
    const post = () =>
      request.json<WirePushResponse>("POST", `${server}/stacks/push`, { json: body, retry: true, signal, context });
    let answer: WirePushResponse;
    try {
      answer = await post();
    } catch (error) {
      // A server with a lower body limit than ours refused the inline data (and stored nothing): send every
      // attachment by upload URL instead.
      if (!(error instanceof PayloadTooLargeError) || !inline.some(Boolean)) throw error;
      wire.forEach((a, i) => {
        if (a.data === undefined) return;
        a.data = undefined;
        a.length = push.attachments[i]?.blob.size ?? 0;
        inline[i] = false;
      });
      answer = await post();
    }
    for (let i = 0; i < total; i++) if (inline[i]) sent += push.attachments[i]?.blob.size ?? 0;
    onUpload?.(sent, totalBytes);
    // The server commits the frame when the last upload lands; stopping before that leaves nothing behind.
    for (const upload of answer.attachments ?? []) {
      const blob = push.attachments[upload.index]?.blob;
      if (!blob)
        throw new DstackError(
          `the server asked for attachment ${upload.index}, which does not exist`,
          "protocol_error",
          502,
        );
      const base = sent;
      const bodyOf = () => {
        if (!onUpload || !isNode()) return blob;
        // Streaming request bodies need HTTP/2 in browsers; Node streams them over HTTP/1.1, pulled slice by
        // slice as the socket takes them, so progress follows what was actually sent.
        let offset = 0;
        return new ReadableStream<Uint8Array>(
          {
            async pull(controller) {
              if (offset >= blob.size) return controller.close();
              const end = Math.min(offset + UPLOAD_SLICE, blob.size);
              controller.enqueue(new Uint8Array(await blob.slice(offset, end).arrayBuffer()));
              offset = end;
              onUpload(base + end, totalBytes);
            },
          },
          { highWaterMark: 0 },
        );
      };
      await send("PUT", upload.upload_url, {
        body: bodyOf,
        retry: true,
        signal,
        context,
        auth: false,
        headers: { "content-type": "application/octet-stream" },
        timeoutMs: transferTimeout(blob.size),
      });
      sent += blob.size;
      onUpload?.(sent, totalBytes);
      progress(upload.index);
      throwIfAborted(signal);
    }
    for (let i = 0; i < total; i++) progress(i);
    emit({ type: "stack", path });
    return { url: answer.url, stack: path, frameId: push.id };
  }

  function getAttachment(stack: string, frameId: string, index: number, options?: ReadOptions): Promise<Blob> {
    return abortable(options?.signal, (signal) => readAttachment(stack, frameId, index, signal));
  }

  async function readAttachment(
    stack: string,
    frameId: string,
    index: number,
    signal: AbortSignal | undefined,
  ): Promise<Blob> {
    const { path } = resolve(stack);
    const context = { path, frameId };
    const { attachment } = await get<{ attachment: WireAttachment }>(
      `/attachs/${path}/${enc(frameId)}/${enc(String(index))}?download=true`,
      context,
      signal ? { signal } : {},
    );
    const type = attachment.content_type;
    if (typeof attachment.data === "string" && !attachment.preview) {
      const bytes = decodeBase64(attachment.data);
      if (!bytes) throw new DstackError(`the server sent attachment ${index} as invalid base64`, "protocol_error", 502);
      return new Blob([bytes as Uint8Array<ArrayBuffer>], { type });
    }
    if (typeof attachment.download_url !== "string") {
      throw new DstackError(
        `the server sent neither data nor a download_url for attachment ${index}`,
        "protocol_error",
        502,
      );
    }
    const url = new URL(attachment.download_url, `${server}/`).href;
    // No Authorization header: download URLs carry their own signature (and S3-style URLs refuse a second one).
    const response = await send("GET", url, {
      retry: true,
      context,
      auth: false,
      signal,
      timeoutMs: transferTimeout(attachment.length ?? 0),
    });
    const blob = await response.blob();
    if (typeof attachment.length === "number" && blob.size !== attachment.length) {
      throw new DstackError(
        `downloaded ${blob.size} of ${attachment.length} bytes of attachment ${index}`,
        "truncated",
        502,
      );
    }
    return blob.type === type ? blob : blob.slice(0, blob.size, type);
  }

  const dashboardContext = (owner: string, id: string) => ({ user: owner, dashboard: id });

  const store: HttpStore = {
    user,
    server,
    async listStacks(owner = user, options?: ReadOptions) {
      validateUser(owner);
      const { stacks } = await get<{ stacks: WireStackSummary[] }>(`/stacks/${owner}`, { user: owner }, options);
      return stacks.map(fromWireStackSummary) as StackSummary[];
    },
    async getStack(stack, options?: StackReadOptions) {
      const count = frameCountOption(options?.frames);
      const { path } = resolve(stack);
      const query = count === Number.POSITIVE_INFINITY ? "" : `?frames=${count}`;
      const { stack: wire } = await get<{ stack: WireStack }>(`/stacks/${path}${query}`, { path }, options);
      const info = fromWireStack(wire) as StackInfo;
      // A server that does not page sent every frame.
      if (info.frames.length > count) info.frames = info.frames.slice(0, count);
      return info;
    },
    async listFrames(stack, options?: FramePageOptions) {
      const { before, limit } = framePageOptions(options);
      const { path } = resolve(stack);
      const query = new URLSearchParams();
      // One more than the page: whether it came tells whether older frames remain.
      if (limit !== Number.POSITIVE_INFINITY) query.set("frames", String(limit + 1));
      if (before !== undefined) query.set("before", before);
      const url = `/stacks/${path}${query.size > 0 ? `?${query}` : ""}`;
      const { stack: wire } = await get<{ stack: WireStack }>(url, { path, frameId: before ?? "" }, options);
      let frames = fromWireStack(wire).frames;
      if (wire.frame_count === undefined && before !== undefined) {
        // A server that does not page ignored the query and sent every frame: page them here.
        const at = frames.findIndex((f) => f.id === before);
        if (at < 0) throw new FrameNotFoundError(path, before);
        frames = frames.slice(at + 1);
      }
      return { frames: frames.slice(0, limit), more: frames.length > limit };
    },
    async getFrame(stack, frameId, options?: ReadOptions) {
      const { path } = resolve(stack);
      const { frame } = await get<{ frame: WireFrame }>(`/frames/${path}/${enc(frameId)}`, { path, frameId }, options);
      return fromWireFrame(frame) as FrameInfo;
    },
    getAttachment,
    push: pushFrame,
    async updateStack(stack, patch: StackPatch) {
      // Checked here as every store checks it: the wire reads null as "not given", the other stores refuse it.
      const fields = checkStackPatch(patch);
      const { path } = resolve(stack);
      await post("/stacks/update", { ...fields, stack: path }, { path, frameId: fields.head ?? "" });
      emit({ type: "stack", path });
    },
    async deleteStack(stack) {
      const { user: owner, name, path } = resolve(stack);
      await post("/stacks/delete", { user: owner, name }, { path });
      emit({ type: "stack", path });
    },
    async listDashboards(owner = user, options?: ReadOptions) {
      validateUser(owner);
      const { dashboards } = await get<{ dashboards: WireDashboard[] }>(
        `/dashboards/${owner}`,
        { user: owner },
        options,
      );
      return dashboards.map(fromWireDashboard);
    },
    async getDashboard(owner, id, options?: ReadOptions) {
      validateUser(owner);
      const { dashboard } = await get<{ dashboard: WireDashboard }>(
        `/dashboards/${owner}/${enc(id)}`,
        dashboardContext(owner, id),
        options,
      );
      return fromWireDashboard(dashboard);
    },
    async createDashboard(init: DashboardPatch = {}) {
      const { dashboard } = await post<{ dashboard: WireDashboard }>("/dashboards/create", { ...init, user });
      const created = fromWireDashboard(dashboard);
      emit({ type: "dashboard", path: `${created.user}/${created.id}` });
      return created;
    },
    async updateDashboard(owner, id, patch) {
      return dashboardChange("/dashboards/update", owner, id, { ...patch, user: owner, id });
    },
    async deleteDashboard(owner, id) {
      await post("/dashboards/delete", { user: owner, id }, dashboardContext(owner, id));
      emit({ type: "dashboard", path: `${owner}/${id}` });
    },
    async insertCards(owner, id, index, cards: CardInit[]) {
      const wire = Array.isArray(cards) ? cards.map((card) => ({ ...card, stack: resolve(card.stack).path })) : cards;
      return dashboardChange("/dashboards/cards/insert", owner, id, { user: owner, dashboard: id, index, cards: wire });
    },
    async updateCard(owner, id, stack, patch: CardPatch) {
      const card = resolve(stack).path;
      return dashboardChange(
        "/dashboards/cards/update",
        owner,
        id,
        { ...patch, user: owner, dashboard: id, stack: card },
        card,
      );
    },
    async deleteCard(owner, id, stack) {
      const card = resolve(stack).path;
      return dashboardChange("/dashboards/cards/delete", owner, id, { user: owner, dashboard: id, stack: card }, card);
    },
    subscribe(listener) {
      const off = emitter.subscribe(listener);
      if (options.events !== false) serverEvents.start();
      return () => {
        off();
        if (emitter.size === 0) serverEvents.stop();
      };
    },
    close() {
      request.close();
      serverEvents.stop();
    },
  };

  async function dashboardChange(
    route: string,
    owner: string,
    id: string,
    body: object,
    card?: string,
  ): Promise<Dashboard> {
    validateUser(owner);
    const context: ErrorContext = { ...dashboardContext(owner, id) };
    if (card !== undefined) context.card = card;
    const { dashboard } = await post<{ dashboard: WireDashboard }>(route, body, context);
    emit({ type: "dashboard", path: `${owner}/${id}` });
    return fromWireDashboard(dashboard);
  }

  return store;
}
