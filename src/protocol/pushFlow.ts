// `POST /stacks/push` in its three forms, and the `PUT upload_url` requests that finish the second: a whole frame
// inline (stored at once); attachments announced with a `length`, their bytes sent to an upload URL each; and the
// incremental `index`/`size` form. Forms two and three gather the frame in a push session (pushSessions), which
// reaches the store in one push once every attachment is there. A request that repeats a stored frame exactly
// (a retry whose answer was lost) gets success, never "already exists".
import { DstackError, FrameNotFoundError, InvalidRequestError, StackNotFoundError } from "../model/errors";
import { frameMessage } from "../model/frameMessage";
import type { ReadOptions } from "../model/stackStore";
import type { AttachmentPush, FrameInfo, FramePush, PushResult } from "../model/types";
import { malformed } from "./fields";
import type { HandlerContext } from "./handlerContext";
import { json } from "./jsonResponse";
import { type ParsedAttachment, type ParsedPush, parsePushRequest } from "./pushRequest";
import type { PushSession } from "./pushSessions";
import { forEachChunk, readJsonObject } from "./readBody";
import { sameAttachmentMeta, sameBytes, sameFrameMeta } from "./sameFrame";
import type { WireUpload } from "./wire";

export interface PushFlow {
  /** `POST /stacks/push`. */
  push(request: Request): Promise<Response>;
  /** `PUT /uploads/{uploadId}`. */
  upload(request: Request, uploadId: string): Promise<Response>;
}

function toAttachmentPush(meta: Omit<ParsedAttachment, "bytes" | "length">, data: Blob | Uint8Array): AttachmentPush {
  const a: AttachmentPush = { data, contentType: meta.contentType, params: meta.params };
  if (meta.application !== undefined) a.application = meta.application;
  if (meta.description !== undefined) a.description = meta.description;
  if (meta.settings !== undefined) a.settings = meta.settings;
  return a;
}

/** Every slot of the frame holds its bytes. */
function complete(session: PushSession): boolean {
  if (session.size === undefined || session.slots.size !== session.size) return false;
  for (let i = 0; i < session.size; i++) if (!session.slots.get(i)?.blob) return false;
  return true;
}

const alreadyExists = (push: ParsedPush) =>
  new InvalidRequestError(`frame ${push.id} already exists in ${push.stack.path}`);

export function createPushFlow(ctx: HandlerContext): PushFlow {
  const { store, sessions, access, limits, now, revocations } = ctx;

  async function storedFrame(path: string, id: string, read: ReadOptions): Promise<FrameInfo | undefined> {
    try {
      return await store.getFrame(`/${path}`, id, read);
    } catch (error) {
      if (error instanceof StackNotFoundError || error instanceof FrameNotFoundError) return undefined;
      throw error;
    }
  }

  /** True when the request repeats (part of) the stored frame exactly: a retry, answered with success. */
  async function repeatsStored(push: ParsedPush, stored: FrameInfo, read: ReadOptions): Promise<boolean> {
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
        !(await sameBytes(await store.getAttachment(`/${push.stack.path}`, push.id, at.index, read), incoming.bytes))
      ) {
        return false;
      }
    }
    return true;
  }

  /**
   * Stores a finished frame. The store applies the access it names in the same commit, so the frame is never
   * visible under the old access; download links issued before a stack turned private die with the change.
   * Not under a request's signal: a commit may be shared by several requests, and a frame is stored whole or not.
   */
  async function storeFrame(path: string, frame: FramePush): Promise<PushResult> {
    const message = frameMessage(frame.message, frame.params);
    if (message !== undefined) frame.message = message;
    const wasPrivate =
      frame.private === true
        ? await store.getStack(`/${path}`).then(
            (s) => s.private,
            () => undefined,
          )
        : undefined;
    const result = await store.push(frame);
    if (frame.private === true && wasPrivate !== true) await revocations.revoke(path);
    return result;
  }

  async function pushWhole(push: ParsedPush, url: string, read: ReadOptions): Promise<Response> {
    const frame: FramePush = {
      stack: `/${push.stack.path}`,
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
        const stored = await storedFrame(push.stack.path, push.id, read);
        if (stored && (await repeatsStored(push, stored, read))) return json({ url });
      }
      throw error;
    }
    return json({ url });
  }

  /** Stores the session's frame once; every request that completes it waits on the same commit. */
  async function commit(session: PushSession): Promise<PushResult> {
    const work = async () => {
      const attachments: AttachmentPush[] = [];
      for (let i = 0; i < (session.size ?? 0); i++) {
        const slot = session.slots.get(i);
        attachments.push(toAttachmentPush(slot?.meta as ParsedAttachment, slot?.blob as Blob));
      }
      const frame: FramePush = {
        stack: `/${session.stack.path}`,
        id: session.id,
        timestamp: session.timestamp,
        params: session.params,
        attachments,
      };
      if (session.message !== undefined) frame.message = session.message;
      if (session.private !== undefined) frame.private = session.private;
      return storeFrame(session.stack.path, frame);
    };
    try {
      return await sessions.commitOnce(session, work);
    } catch (error) {
      // The store refused the frame (not a passing failure): nothing a retry could fix, so let it go.
      if (error instanceof DstackError && error.status < 500) await sessions.drop(session);
      throw error;
    }
  }

  async function pushIntoSession(
    request: Request,
    push: ParsedPush,
    existing: PushSession | undefined,
  ): Promise<Response> {
    const url = `${ctx.originOf(request)}/${push.stack.path}`;
    const read: ReadOptions = { signal: request.signal };
    const wantsUploads = push.attachments.some((a) => !a.bytes);
    const answer = (uploads: WireUpload[]) => json(wantsUploads ? { url, attachments: uploads } : { url });
    if (!existing || existing.result) {
      const stored = await storedFrame(push.stack.path, push.id, read);
      if (stored) {
        if (await repeatsStored(push, stored, read)) return answer([]);
        throw alreadyExists(push);
      }
    }
    const open = existing && !existing.result ? existing : undefined;
    const first = push.index ?? 0;
    const added = push.attachments.reduce((sum, a, k) => sum + (open?.slots.has(first + k) ? 0 : a.length), 0);
    await sessions.checkQuota(push.stack.user, open, added);
    const session = open ?? (await sessions.create(push.stack, push.id, push.timestamp ?? now()));
    const size = push.index === undefined && push.attachments.length > 0 ? push.attachments.length : push.size;
    // Check the whole request against what earlier requests of this frame said, before changing anything.
    if (size !== undefined) {
      if (session.size !== undefined && session.size !== size) {
        throw malformed(`size ${size} conflicts with ${session.size}`);
      }
      for (const index of session.slots.keys())
        if (index >= size) throw malformed(`attachment ${index} is beyond size ${size}`);
      if (first + push.attachments.length > size)
        throw malformed(`attachment ${first + push.attachments.length - 1} is beyond size ${size}`);
    }
    if (push.private !== undefined && session.private !== undefined && push.private !== session.private) {
      const named = (p: boolean) => (p ? "private" : "public");
      throw malformed(`access ${named(push.private)} conflicts with ${named(session.private)} from an earlier request`);
    }
    push.attachments.forEach((a, k) => {
      const slot = session.slots.get(first + k);
      if (slot && !sameAttachmentMeta({ ...slot.meta, index: first + k }, a)) {
        throw malformed(`attachment ${first + k} differs from an earlier request for frame ${push.id}`);
      }
    });
    if (size !== undefined) session.size = size;
    if (push.message !== undefined) session.message = push.message;
    if (push.params !== undefined) session.params = push.params;
    if (push.private !== undefined) session.private = push.private;
    session.expires = now() + limits.uploadTtlMs;
    const uploads: WireUpload[] = [];
    for (let k = 0; k < push.attachments.length; k++) {
      const { bytes, ...meta } = push.attachments[k] as ParsedAttachment;
      const index = first + k;
      const slot = session.slots.get(index) ?? { meta };
      session.slots.set(index, slot);
      if (bytes) {
        slot.blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: meta.contentType });
      } else if (!slot.blob) {
        const id = await sessions.uploadIdFor(session, index);
        uploads.push({ index, upload_url: `${ctx.originOf(request)}${ctx.basePath}/uploads/${id}` });
      }
    }
    await sessions.save(session);
    if (complete(session)) await commit(session);
    return answer(uploads);
  }

  return {
    async push(request) {
      const caller = await access.callerOf(request, false);
      const push = parsePushRequest(await readJsonObject(request, limits.maxBodyBytes), limits);
      access.requireOwner(caller, push.stack.user, push.stack.path);
      const session = await sessions.get(push.stack, push.id);
      const whole = push.index === undefined && push.size === undefined && push.attachments.every((a) => a.bytes);
      if (whole && !session) {
        return pushWhole(push, `${ctx.originOf(request)}/${push.stack.path}`, { signal: request.signal });
      }
      return pushIntoSession(request, push, session);
    },

    async upload(request, uploadId) {
      const found = await sessions.byUpload(uploadId);
      if (!found) throw new DstackError("upload not found (unknown or expired upload_url)", "upload_not_found", 404);
      const { index } = found;
      const slot = found.session.slots.get(index);
      if (!slot) throw new DstackError("upload not found", "upload_not_found", 404);
      const { staged, session } = await sessions.receive(found.session, index, request.body);
      if (!staged) {
        await forEachChunk(request.body, slot.meta.length, () => {}, "upload").catch(() => {});
        // Same answer as the request that completed the frame: success once it is stored, its error if it failed.
        await sessions.settled(session);
        return json({});
      }
      if (complete(session)) await commit(session);
      return json({});
    },
  };
}
