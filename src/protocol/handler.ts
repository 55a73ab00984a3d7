// The dstack wire protocol (DESIGN §3) as one Web-standard handler, `(Request) => Promise<Response>`, over any
// StackStore. The Node server wraps it in node:http, `dstack-kit/msw` in msw handlers, tests call it directly:
// one implementation, so client and server cannot drift.
import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import { downloadName } from "../model/downloadName";
import {
  AttachmentNotFoundError,
  BadCredentialsError,
  DashboardNotFoundError,
  DstackError,
  ForbiddenError,
  FrameNotFoundError,
  InvalidRequestError,
  StackNotFoundError,
} from "../model/errors";
import { type StackPath, validateUser } from "../model/stackPath";
import type {
  AttachmentPush,
  CardInit,
  CardPatch,
  Dashboard,
  DashboardPatch,
  FrameInfo,
  FramePush,
  PushResult,
  StackInfo,
  StackPatch,
  StoreEvent,
} from "../model/types";
import { frameMessage } from "../storage/frameMessage";
import type { StackStore } from "../storage/stackStore";
import { type Caller, createAccess } from "./access";
import { encodeBase64 } from "./base64";
import { createDownloadLinks } from "./downloadLinks";
import { attachmentHeaders, lockDown } from "./inertBytes";
import { type ParsedAttachment, type ParsedPush, parsePushRequest, parseWirePath } from "./pushRequest";
import { createPushSessions, type PushSession, sessionKey } from "./pushSessions";
import { forEachChunk, readJsonObject } from "./readBody";
import { sameAttachmentMeta, sameBytes, sameFrameMeta } from "./sameFrame";
import { createUrlSigner } from "./signedUrl";
import { type BlobStaging, memoryStaging } from "./staging";
import type { Resource, UserRegistry } from "./users";
import {
  toWireAttachmentInfo,
  toWireDashboard,
  toWireFrame,
  toWireStack,
  toWireStackSummary,
  type WireAttachment,
  type WireUpload,
} from "./wire";
import { toWireError } from "./wireErrors";

export interface DstackHandlerOptions {
  /** Where stacks and dashboards live. */
  store: StackStore;
  /**
   * A store acting for `user`: `createDashboard` makes dashboards for its store's user, so a multi-user server
   * needs one per user (the file store gives cheap views). Default: `store` for its own user only.
   */
  storeFor?: (user: string) => StackStore | undefined;
  /** Users, tokens and shares. Without it the handler is open: every request acts as `store.user` with every right. */
  users?: UserRegistry;
  /** Let requests without a token read public stacks and dashboards (a bad token is still a 403). Default false. */
  anonymousReads?: boolean;
  /** Where the API lives; default `/api`. */
  basePath?: string;
  /** Origin used in `url`, `upload_url` and `download_url`; default: the request's own origin. */
  publicUrl?: string;
  /** JSON bodies above this are refused with 413; default 8 MiB (clients switch to uploads at 5,000,000 bytes). */
  maxBodyBytes?: number;
  /** Attachments declaring more than this are refused with 413; default 1 GiB. */
  maxAttachmentBytes?: number;
  /** Default 10,000 attachments per frame. */
  maxAttachments?: number;
  /** Attachments smaller than this come back inline (base64) from /attachs; default 1,000,000 bytes. */
  inlineBytes?: number;
  /** Bytes in a preview of a larger attachment; default 100,000. */
  previewBytes?: number;
  /** Where uploaded bytes wait for the rest of their frame; default in memory. */
  staging?: BlobStaging;
  /** Secret for signed download URLs; default random (links die with the process). */
  secret?: string;
  /** How long an unfinished push waits for its uploads; default 1 hour. */
  uploadTtlMs?: number;
  /** How long a download_url stays valid; default 1 hour. */
  downloadTtlMs?: number;
  /** Unfinished pushes (waiting for uploads) one user may hold; default 64. */
  maxOpenPushes?: number;
  /** Bytes one user's unfinished pushes may declare in total; default 8 GiB. */
  maxOpenPushBytes?: number;
  /** The clock (epoch ms) for expiries and revocations; tests inject one. */
  now?: () => number;
  /** Answer CORS preflights and allow any origin (tokens travel in headers, never cookies). Default true. */
  cors?: boolean;
  /** Told about unexpected errors (answered with a bare 500). */
  onError?: (error: unknown, request: Request) => void;
}

export interface DstackHandler {
  (request: Request): Promise<Response>;
  readonly basePath: string;
  /** Drops unfinished pushes and their staged bytes. */
  close(): Promise<void>;
}

const MiB = 1024 * 1024;
const HOUR = 60 * 60 * 1000;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

const bad = (message: string) => new InvalidRequestError(`malformed request: ${message}`);

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw bad(`${field} must be a string`);
  return value;
}

function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw bad(`${field} must be true or false`);
  return value;
}

function requiredString(body: Record<string, unknown>, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined || value === "") throw bad(`${field} is missing`);
  return value;
}

function dashboardPatch(body: Record<string, unknown>): DashboardPatch {
  const patch: DashboardPatch = {};
  const title = optionalString(body, "title");
  const description = optionalString(body, "description");
  const isPrivate = optionalBoolean(body, "private");
  if (title !== undefined) patch.title = title;
  if (description !== undefined) patch.description = description;
  if (isPrivate !== undefined) patch.private = isPrivate;
  return patch;
}

function cardFields(raw: Record<string, unknown>, where: string): Omit<CardPatch, "index"> {
  const out: Omit<CardPatch, "index"> = {};
  const title = optionalString(raw, "title");
  const description = optionalString(raw, "description");
  if (title !== undefined) out.title = title;
  if (description !== undefined) out.description = description;
  if (raw.columns !== undefined && raw.columns !== null) {
    if (raw.columns !== 1 && raw.columns !== 2) throw bad(`${where}.columns must be 1 or 2`);
    out.columns = raw.columns;
  }
  return out;
}

function toAttachmentPush(meta: Omit<ParsedAttachment, "bytes" | "length">, data: Blob | Uint8Array): AttachmentPush {
  const a: AttachmentPush = { data, contentType: meta.contentType, params: meta.params };
  if (meta.application !== undefined) a.application = meta.application;
  if (meta.description !== undefined) a.description = meta.description;
  if (meta.settings !== undefined) a.settings = meta.settings;
  return a;
}

async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

/**
 * The dstack HTTP API over `store`.
 * @example const handler = createDstackHandler({ store: createMemoryStore() }); const res = await handler(request);
 */
export function createDstackHandler(options: DstackHandlerOptions): DstackHandler {
  const { store, users } = options;
  const basePath = `/${(options.basePath ?? "/api").replace(/^\/+|\/+$/g, "")}`.replace(/^\/$/, "");
  const storeFor = options.storeFor ?? ((user: string) => (user === store.user ? store : undefined));
  const limits = {
    maxBodyBytes: options.maxBodyBytes ?? 8 * MiB,
    maxAttachmentBytes: options.maxAttachmentBytes ?? 1024 * MiB,
    maxAttachments: options.maxAttachments ?? 10_000,
  };
  const inlineBytes = options.inlineBytes ?? 1_000_000;
  const previewBytes = options.previewBytes ?? 100_000;
  const uploadTtlMs = options.uploadTtlMs ?? HOUR;
  const now = options.now ?? Date.now;
  const staging = options.staging ?? memoryStaging;
  const sessions = createPushSessions({
    ttlMs: uploadTtlMs,
    maxSessions: options.maxOpenPushes ?? 64,
    maxBytes: options.maxOpenPushBytes ?? 8 * 1024 * MiB,
    now,
  });
  const links = createDownloadLinks(createUrlSigner(options.secret), options.downloadTtlMs ?? HOUR, now);
  // Revocations seen by this handler; the registry (when there is one) keeps them across restarts.
  const revoked = new Map<string, number>();
  const access = createAccess({ users, openUser: store.user, anonymousReads: options.anonymousReads ?? false });

  const originOf = (request: Request) => (options.publicUrl ?? new URL(request.url).origin).replace(/\/+$/, "");
  const stackUrl = (request: Request, path: string) => `${originOf(request)}/${path}`;
  const abs = (path: string) => `/${path}`;

  /** Download links issued before this moment stop working (the stack was deleted, made private or unshared). */
  async function revoke(path: string): Promise<void> {
    revoked.set(path, now());
    await users?.revoke({ type: "stack", path });
  }

  async function revokedAt(path: string): Promise<number> {
    const persisted = (await users?.revokedAt({ type: "stack", path })) ?? Number.NEGATIVE_INFINITY;
    return Math.max(revoked.get(path) ?? Number.NEGATIVE_INFINITY, persisted);
  }

  // ---- visibility: a stack or dashboard the caller may not see does not exist for them (404, never 403) ----

  async function visibleStack(caller: Caller, stack: StackPath): Promise<StackInfo> {
    const info = await store.getStack(abs(stack.path));
    if (!(await access.canSee(caller, info.user, info.private, { type: "stack", path: info.path }))) {
      throw new StackNotFoundError(stack.path);
    }
    return info;
  }

  async function visibleDashboard(caller: Caller, user: string, id: string): Promise<Dashboard> {
    validateUser(user);
    const dashboard = await store.getDashboard(user, id);
    const resource: Resource = { type: "dashboard", user, id };
    if (!(await access.canSee(caller, dashboard.user, dashboard.private, resource))) {
      throw new DashboardNotFoundError(user, id);
    }
    return dashboard;
  }

  /** `user/name.../last` split into the stack and `count` trailing segments (frame id, index). */
  function splitTail(rest: string, count: number): [StackPath, ...string[]] {
    const parts = rest.split("/");
    if (parts.length < count + 2) throw new StackNotFoundError(rest);
    const tail = parts.splice(parts.length - count, count);
    return [parseWirePath(parts.join("/")), ...tail];
  }

  async function storedFrame(path: string, id: string): Promise<FrameInfo | undefined> {
    try {
      return await store.getFrame(abs(path), id);
    } catch (error) {
      if (error instanceof StackNotFoundError || error instanceof FrameNotFoundError) return undefined;
      throw error;
    }
  }

  /** True when the request repeats (part of) the stored frame exactly: a retry, answered with success. */
  async function repeatsStored(push: ParsedPush, stored: FrameInfo): Promise<boolean> {
    if (!sameFrameMeta(stored, push)) return false;
    const first = push.index ?? 0;
    const whole = push.index === undefined && push.attachments.length > 0;
    if (whole && push.attachments.length !== stored.attachments.length) return false;
    if (push.size !== undefined && push.size !== stored.attachments.length) return false;
    for (let k = 0; k < push.attachments.length; k++) {
      const incoming = push.attachments[k] as ParsedAttachment;
      const at = stored.attachments[first + k];
      if (!at || !sameAttachmentMeta(at, incoming)) return false;
      if (
        incoming.bytes &&
        !(await sameBytes(await store.getAttachment(abs(push.stack.path), push.id, at.index), incoming.bytes))
      ) {
        return false;
      }
    }
    return true;
  }

  const alreadyExists = (push: ParsedPush) =>
    new InvalidRequestError(`frame ${push.id} already exists in ${push.stack.path}`);

  // ---- pushes ----

  /**
   * Stores a finished frame. The store applies the access it names in the same commit, so the frame is never
   * visible under the old access; download links issued before a stack turned private die with the change.
   */
  async function storeFrame(path: string, frame: FramePush): Promise<PushResult> {
    const message = frameMessage(frame.message, frame.params);
    if (message !== undefined) frame.message = message;
    const wasPrivate =
      frame.private === true
        ? await store.getStack(abs(path)).then(
            (s) => s.private,
            () => undefined,
          )
        : undefined;
    const result = await store.push(frame);
    if (frame.private === true && wasPrivate !== true) await revoke(path);
    return result;
  }

  async function pushWhole(push: ParsedPush, url: string): Promise<Response> {
    const frame: FramePush = {
      stack: abs(push.stack.path),
      id: push.id,
      timestamp: push.timestamp ?? now(),
      params: push.params ?? {},
      attachments: push.attachments.map((a) => toAttachmentPush(a, a.bytes as Uint8Array)),
    };
    if (push.message !== undefined) frame.message = push.message;
    if (push.private !== undefined) frame.private = push.private;
    try {
      await storeFrame(push.stack.path, frame);
    } catch (error) {
      if (error instanceof InvalidRequestError) {
        const stored = await storedFrame(push.stack.path, push.id);
        if (stored && (await repeatsStored(push, stored))) return json({ url });
      }
      throw error;
    }
    return json({ url });
  }

  function complete(session: PushSession): boolean {
    if (session.size === undefined || session.slots.size !== session.size) return false;
    for (let i = 0; i < session.size; i++) if (!session.slots.get(i)?.blob) return false;
    return true;
  }

  function commit(session: PushSession): Promise<PushResult> {
    session.committing ??= (async () => {
      const attachments: AttachmentPush[] = [];
      for (let i = 0; i < (session.size ?? 0); i++) {
        const slot = session.slots.get(i);
        attachments.push(toAttachmentPush(slot?.meta as ParsedAttachment, slot?.blob as Blob));
      }
      const frame: FramePush = {
        stack: abs(session.stack.path),
        id: session.id,
        timestamp: session.timestamp,
        params: session.params,
        attachments,
      };
      if (session.message !== undefined) frame.message = session.message;
      if (session.private !== undefined) frame.private = session.private;
      try {
        const result = await storeFrame(session.stack.path, frame);
        session.result = result;
        session.expires = now() + uploadTtlMs;
        await sessions.finish(session);
        return result;
      } catch (error) {
        session.committing = undefined;
        // The store refused the frame (not a passing failure): nothing a retry could fix, so let it go.
        if (error instanceof DstackError && error.status < 500) await sessions.drop(session);
        throw error;
      }
    })();
    return session.committing;
  }

  async function pushIntoSession(
    request: Request,
    push: ParsedPush,
    existing: PushSession | undefined,
  ): Promise<Response> {
    const url = stackUrl(request, push.stack.path);
    const wantsUploads = push.attachments.some((a) => !a.bytes);
    const answer = (uploads: WireUpload[]) => json(wantsUploads ? { url, attachments: uploads } : { url });
    if (!existing || existing.result) {
      const stored = await storedFrame(push.stack.path, push.id);
      if (stored) {
        if (await repeatsStored(push, stored)) return answer([]);
        throw alreadyExists(push);
      }
    }
    const open = existing && !existing.result ? existing : undefined;
    const first = push.index ?? 0;
    const added = push.attachments.reduce((sum, a, k) => sum + (open?.slots.has(first + k) ? 0 : a.length), 0);
    sessions.checkQuota(push.stack.user, open, added);
    const session = open ?? sessions.create(push.stack, push.id, push.timestamp ?? now());
    const size = push.index === undefined && push.attachments.length > 0 ? push.attachments.length : push.size;
    // Check the whole request against what earlier requests of this frame said, before changing anything.
    if (size !== undefined) {
      if (session.size !== undefined && session.size !== size) throw bad(`size ${size} conflicts with ${session.size}`);
      for (const index of session.slots.keys())
        if (index >= size) throw bad(`attachment ${index} is beyond size ${size}`);
      if (first + push.attachments.length > size)
        throw bad(`attachment ${first + push.attachments.length - 1} is beyond size ${size}`);
    }
    if (push.private !== undefined && session.private !== undefined && push.private !== session.private) {
      const named = (p: boolean) => (p ? "private" : "public");
      throw bad(`access ${named(push.private)} conflicts with ${named(session.private)} from an earlier request`);
    }
    push.attachments.forEach((a, k) => {
      const slot = session.slots.get(first + k);
      if (slot && !sameAttachmentMeta({ ...slot.meta, index: first + k }, a)) {
        throw bad(`attachment ${first + k} differs from an earlier request for frame ${push.id}`);
      }
    });
    if (size !== undefined) session.size = size;
    if (push.message !== undefined) session.message = push.message;
    if (push.params !== undefined) session.params = push.params;
    if (push.private !== undefined) session.private = push.private;
    session.expires = now() + uploadTtlMs;
    const uploads: WireUpload[] = [];
    for (let k = 0; k < push.attachments.length; k++) {
      const { bytes, ...meta } = push.attachments[k] as ParsedAttachment;
      const index = first + k;
      const slot = session.slots.get(index) ?? { meta };
      session.slots.set(index, slot);
      if (bytes) {
        await slot.staged?.release();
        slot.staged = undefined;
        slot.blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: meta.contentType });
      } else if (!slot.blob) {
        const id = sessions.uploadIdFor(session, index);
        uploads.push({ index, upload_url: `${originOf(request)}${basePath}/uploads/${id}` });
      }
    }
    if (complete(session)) await commit(session);
    return answer(uploads);
  }

  async function handlePush(request: Request): Promise<Response> {
    const caller = await access.callerOf(request, false);
    const push = parsePushRequest(await readJsonObject(request, limits.maxBodyBytes), limits);
    access.requireOwner(caller, push.stack.user, push.stack.path);
    const session = sessions.get(sessionKey(push.stack.path, push.id));
    const whole = push.index === undefined && push.size === undefined && push.attachments.every((a) => a.bytes);
    if (whole && !session) return pushWhole(push, stackUrl(request, push.stack.path));
    return pushIntoSession(request, push, session);
  }

  async function handleUpload(request: Request, uploadId: string): Promise<Response> {
    const found = sessions.byUpload(uploadId);
    if (!found) throw new DstackError("upload not found (unknown or expired upload_url)", "upload_not_found", 404);
    const { session, index } = found;
    const slot = session.slots.get(index);
    if (!slot) throw new DstackError("upload not found", "upload_not_found", 404);
    const skip = async () => {
      await forEachChunk(request.body, slot.meta.length, () => {}, "upload").catch(() => {});
      // Same answer as the request that completed the frame: success once it is stored, its error if it failed.
      if (session.committing) await session.committing;
      return json({});
    };
    // A retry overlapping its original (same upload_url): wait for the original; if it stored its bytes, this
    // one has nothing to add.
    while (slot.uploading) if (await slot.uploading) return skip();
    if (session.result || session.committing) return skip();
    const staging$ = staging.stage(request.body, slot.meta.length, slot.meta.contentType);
    slot.uploading = staging$.then(
      () => true,
      () => false,
    );
    let staged: Awaited<typeof staging$>;
    try {
      staged = await staging$;
    } finally {
      slot.uploading = undefined;
    }
    // The frame began committing with earlier bytes of this slot while these arrived: they are not needed, and
    // the commit may be reading the earlier ones, which must stay.
    if (session.result || session.committing) {
      await staged.release();
      return skip();
    }
    const previous = slot.staged;
    slot.staged = staged;
    slot.blob = staged.blob;
    await previous?.release();
    session.expires = now() + uploadTtlMs;
    if (complete(session)) await commit(session);
    return json({});
  }

  // ---- events (an extension: Server-Sent Events of store changes the caller may see) ----

  async function mayHear(caller: Caller, event: StoreEvent): Promise<boolean> {
    const owner = event.path.slice(0, event.path.indexOf("/"));
    if (caller.superuser || caller.user === owner) return true;
    try {
      if (event.type === "stack") await visibleStack(caller, parseWirePath(event.path));
      else await visibleDashboard(caller, owner, event.path.slice(owner.length + 1));
      return true;
    } catch {
      return false;
    }
  }

  function events(request: Request, caller: Caller): Response {
    const encoder = new TextEncoder();
    let stop = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const send = (text: string) => {
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            stop();
          }
        };
        const off = store.subscribe((event) => {
          void mayHear(caller, event).then((ok) => ok && send(`data: ${JSON.stringify(event)}\n\n`));
        });
        const ping = setInterval(() => send(": ping\n\n"), 25_000);
        stop = () => {
          off();
          clearInterval(ping);
          try {
            controller.close();
          } catch {}
        };
        request.signal.addEventListener("abort", () => stop(), { once: true });
        send(": connected\n\n");
      },
      cancel() {
        stop();
      },
    });
    return new Response(body, {
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache", "x-accel-buffering": "no" },
    });
  }

  // ---- routes ----

  const app = new Hono().basePath(basePath || "/");
  if (options.cors ?? true) app.use("*", cors({ origin: "*", exposeHeaders: ["Content-Length", "Content-Type"] }));
  app.onError((error, c) => {
    const { status, body } = toWireError(error);
    if (status >= 500) options.onError?.(error, c.req.raw);
    return json(body, status);
  });
  app.notFound((c) =>
    json({ message: `not found: ${c.req.method} ${new URL(c.req.url).pathname}`, code: "not_found" }, 404),
  );

  const body = (c: Context) => readJsonObject(c.req.raw, limits.maxBodyBytes);
  const reader = (c: Context) => access.callerOf(c.req.raw, true);
  const writer = (c: Context) => access.callerOf(c.req.raw, false);

  app.post("/stacks/push", (c) => handlePush(c.req.raw));

  app.post("/stacks/access", async (c) => {
    const caller = await writer(c);
    const stack = parseWirePath((await body(c)).stack);
    access.requireOwner(caller, stack.user, stack.path);
    return json({});
  });

  app.post("/stacks/update", async (c) => {
    const caller = await writer(c);
    const b = await body(c);
    const stack = parseWirePath(b.stack);
    const patch: StackPatch = {};
    const head = optionalString(b, "head");
    const isPrivate = optionalBoolean(b, "private");
    const readme = optionalString(b, "readme");
    if (head !== undefined) patch.head = head;
    if (isPrivate !== undefined) patch.private = isPrivate;
    if (readme !== undefined) patch.readme = readme;
    const before = await visibleStack(caller, stack);
    access.requireOwner(caller, stack.user, stack.path);
    await store.updateStack(abs(stack.path), patch);
    if (patch.private === true && !before.private) await revoke(stack.path);
    return json({});
  });

  app.post("/stacks/delete", async (c) => {
    const caller = await writer(c);
    const b = await body(c);
    const stack =
      b.stack !== undefined
        ? parseWirePath(b.stack)
        : parseWirePath(`${requiredString(b, "user")}/${requiredString(b, "name")}`);
    await visibleStack(caller, stack);
    access.requireOwner(caller, stack.user, stack.path);
    await store.deleteStack(abs(stack.path));
    await users?.forget({ type: "stack", path: stack.path });
    await revoke(stack.path);
    return json({});
  });

  app.get("/stacks/:user", async (c) => {
    const caller = await reader(c);
    const user = validateUser(c.req.param("user"));
    const stacks = [];
    for (const s of await store.listStacks(user)) {
      if (await access.canSee(caller, s.user, s.private, { type: "stack", path: s.path }))
        stacks.push(toWireStackSummary(s));
    }
    return json({ stacks });
  });

  app.get("/stacks/:user/:name{.+}", async (c) => {
    const caller = await reader(c);
    const info = await visibleStack(caller, parseWirePath(`${c.req.param("user")}/${c.req.param("name")}`));
    const isOwner = caller.superuser || caller.user === info.user;
    const permissions = isOwner && users ? await users.sharedWith({ type: "stack", path: info.path }) : undefined;
    return json({ stack: toWireStack(info, permissions) });
  });

  app.get("/frames/:rest{.+}", async (c) => {
    const caller = await reader(c);
    const [stack, frameId] = splitTail(c.req.param("rest"), 1);
    await visibleStack(caller, stack);
    return json({ frame: toWireFrame(await store.getFrame(abs(stack.path), frameId as string)) });
  });

  app.get("/attachs/:rest{.+}", async (c) => {
    const caller = await reader(c);
    const [stack, frameId, indexText] = splitTail(c.req.param("rest"), 2) as [StackPath, string, string];
    await visibleStack(caller, stack);
    const frame = await store.getFrame(abs(stack.path), frameId);
    const index = Number(indexText);
    const info = Number.isInteger(index) && index >= 0 ? frame.attachments[index] : undefined;
    if (!info) {
      throw new AttachmentNotFoundError(
        `attachment ${indexText} not found in frame ${frameId} of ${stack.path} (it has ${frame.attachments.length})`,
      );
    }
    const wire: WireAttachment = toWireAttachmentInfo(info);
    if (info.length < inlineBytes) {
      wire.data = encodeBase64(await bytesOf(await store.getAttachment(abs(stack.path), frameId, index)));
    } else if (c.req.query("download") === "true") {
      const target = `${stack.path}/${frameId}/${index}`;
      wire.download_url = `${originOf(c.req.raw)}${basePath}/blobs/${target}?${await links.issue(target, caller)}`;
    } else {
      const blob = await store.getAttachment(abs(stack.path), frameId, index);
      wire.preview = true;
      wire.data = encodeBase64(await bytesOf(blob.slice(0, previewBytes)));
    }
    return json({ attachment: wire });
  });

  // Raw bytes behind a download_url. The signature says who it was issued to and when; whether that viewer may
  // still see the stack, and whether the link was revoked since, is checked now, on every use.
  app.get("/blobs/:rest{.+}", async (c) => {
    const rest = c.req.param("rest");
    const grant = await links.verify(rest, c.req.query());
    const [stack, frameId, indexText] = splitTail(rest, 2) as [StackPath, string, string];
    await visibleStack(grant.viewer, stack);
    if (grant.issuedAt <= (await revokedAt(stack.path))) {
      throw new ForbiddenError("the download link was revoked (the stack changed its access or was deleted)");
    }
    const index = Number(indexText);
    const info = (await store.getFrame(abs(stack.path), frameId)).attachments[index];
    if (!info) throw new AttachmentNotFoundError(`attachment ${indexText} not found in frame ${frameId}`);
    const blob = await store.getAttachment(abs(stack.path), frameId, index);
    return new Response(blob.stream(), {
      headers: {
        ...attachmentHeaders(info.contentType, downloadName(stack.path, index, info.contentType, info.settings)),
        "content-length": String(blob.size),
        // Not kept by browsers or proxies: a revoked link must not keep working from a cache.
        "cache-control": "private, no-store",
      },
    });
  });

  app.put("/uploads/:id", (c) => handleUpload(c.req.raw, c.req.param("id")));

  app.get("/dashboards/:user", async (c) => {
    const caller = await reader(c);
    const user = validateUser(c.req.param("user"));
    const dashboards = [];
    for (const d of await store.listDashboards(user)) {
      const resource: Resource = { type: "dashboard", user: d.user, id: d.id };
      if (await access.canSee(caller, d.user, d.private, resource)) dashboards.push(toWireDashboard(d));
    }
    return json({ dashboards });
  });

  app.get("/dashboards/:user/:id", async (c) => {
    const caller = await reader(c);
    return json({ dashboard: toWireDashboard(await visibleDashboard(caller, c.req.param("user"), c.req.param("id"))) });
  });

  app.post("/dashboards/create", async (c) => {
    const caller = await writer(c);
    const b = await body(c);
    const owner = validateUser(optionalString(b, "user") ?? caller.user ?? store.user);
    access.requireOwner(caller, owner, `the dashboards of ${owner}`);
    const target = storeFor(owner);
    if (!target) throw new ForbiddenError(`this server keeps dashboards for ${store.user} only`);
    return json({ dashboard: toWireDashboard(await target.createDashboard(dashboardPatch(b))) });
  });

  /** The dashboard named by `user` + `field` of the body, which the caller must see and own. */
  async function ownDashboard(c: Context, field: "id" | "dashboard") {
    const caller = await writer(c);
    const b = await body(c);
    const user = requiredString(b, "user");
    const id = requiredString(b, field);
    await visibleDashboard(caller, user, id);
    access.requireOwner(caller, user, `dashboard ${id}`);
    return { b, user, id };
  }

  app.post("/dashboards/update", async (c) => {
    const { b, user, id } = await ownDashboard(c, "id");
    return json({ dashboard: toWireDashboard(await store.updateDashboard(user, id, dashboardPatch(b))) });
  });

  app.post("/dashboards/delete", async (c) => {
    const { user, id } = await ownDashboard(c, "id");
    await store.deleteDashboard(user, id);
    await users?.forget({ type: "dashboard", user, id });
    return json({});
  });

  app.post("/dashboards/cards/insert", async (c) => {
    const { b, user, id } = await ownDashboard(c, "dashboard");
    if (!Array.isArray(b.cards) || b.cards.length === 0) throw bad("cards must be a non-empty list");
    const cards: CardInit[] = b.cards.map((raw: unknown, k: number) => {
      if (typeof raw !== "object" || raw === null) throw bad(`card ${k} must be an object`);
      const card = raw as Record<string, unknown>;
      return { stack: abs(parseWirePath(card.stack, `card ${k}.stack`).path), ...cardFields(card, `card ${k}`) };
    });
    const index = b.index === undefined || b.index === null ? Number.MAX_SAFE_INTEGER : b.index;
    if (typeof index !== "number") throw bad("index must be a number");
    return json({ dashboard: toWireDashboard(await store.insertCards(user, id, index, cards)) });
  });

  app.post("/dashboards/cards/update", async (c) => {
    const { b, user, id } = await ownDashboard(c, "dashboard");
    const stack = abs(parseWirePath(b.stack).path);
    const patch: CardPatch = cardFields(b, "card");
    if (b.index !== undefined && b.index !== null) {
      if (typeof b.index !== "number") throw bad("index must be a number");
      patch.index = b.index;
    }
    return json({ dashboard: toWireDashboard(await store.updateCard(user, id, stack, patch)) });
  });

  app.post("/dashboards/cards/delete", async (c) => {
    const { b, user, id } = await ownDashboard(c, "dashboard");
    return json({ dashboard: toWireDashboard(await store.deleteCard(user, id, abs(parseWirePath(b.stack).path))) });
  });

  /** `{path, user, type?}`: `path` is `user/name` for a stack, `user/id` with `type: "dashboard"`. */
  async function permission(c: Context, change: "share" | "unshare"): Promise<Response> {
    const caller = await writer(c);
    const b = await body(c);
    const target = validateUser(requiredString(b, "user"));
    if (!users) throw bad("this server has no users to share with");
    const path = requiredString(b, "path").replace(/^\/+/, "");
    let resource: Resource;
    if (b.type === "dashboard") {
      const slash = path.indexOf("/");
      const owner = path.slice(0, slash);
      const id = path.slice(slash + 1);
      if (slash <= 0 || !id) throw bad("a dashboard path is 'user/id'");
      await visibleDashboard(caller, owner, id);
      access.requireOwner(caller, owner, `dashboard ${id}`);
      resource = { type: "dashboard", user: owner, id };
    } else if (b.type === undefined || b.type === null || b.type === "stack") {
      const stack = parseWirePath(path, "path");
      await visibleStack(caller, stack);
      access.requireOwner(caller, stack.user, stack.path);
      resource = { type: "stack", path: stack.path };
    } else {
      throw bad("type must be 'stack' or 'dashboard'");
    }
    await users[change](resource, target);
    if (change === "unshare" && resource.type === "stack") await revoke(resource.path);
    return json({});
  }

  app.post("/permissions/add", (c) => permission(c, "share"));
  app.post("/permissions/delete", (c) => permission(c, "unshare"));

  app.get("/auth/verify", async (c) => {
    const user = c.req.query("user") ?? "";
    const token = users ? await users.verifyCode(user, c.req.query("code") ?? "") : undefined;
    if (token === undefined) throw new BadCredentialsError();
    return json({ user, token });
  });

  app.get("/users/me", async (c) => {
    const caller = await writer(c);
    return json({ user: caller.user });
  });

  app.get("/events", async (c) => events(c.req.raw, await reader(c)));

  const handler = (async (request: Request) => {
    const response = await app.fetch(request);
    lockDown(response.headers);
    return response;
  }) as DstackHandler;
  Object.defineProperty(handler, "basePath", { value: basePath });
  handler.close = () => sessions.close();
  return handler;
}
