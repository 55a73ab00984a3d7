// Frames being assembled across requests: the `length` + `upload_url` flow and the incremental `index`/`size`
// form. A session holds staged bytes until every attachment is there; only then does the frame reach the store,
// in one push. Sessions nobody finishes expire (swept lazily, so no timer keeps a process or test alive).
import { DstackError } from "../model/errors";
import type { Params } from "../model/params";
import type { StackPath } from "../model/stackPath";
import type { PushResult } from "../model/types";
import type { ParsedAttachment } from "./pushRequest";
import type { PushSessionStore, SessionLimits } from "./pushSessionStore";
import { type BlobStaging, memoryStaging, type StagedBlob } from "./staging";

export type { PushSessionStore, SessionLimits } from "./pushSessionStore";

/** 429: a user holds too many unfinished pushes, or too many bytes in them. */
export class TooManyUploadsError extends DstackError {
  constructor(message: string) {
    super(message, "too_many_uploads", 429);
  }
}

export type SlotMeta = Omit<ParsedAttachment, "bytes">;

export interface SessionSlot {
  meta: SlotMeta;
  blob?: Blob;
  staged?: StagedBlob;
  /** Set for attachments that arrive by `PUT upload_url`. */
  uploadId?: string;
  /** The PUT being staged now (true when it stored its bytes): a retry overlapping it waits for its outcome. */
  uploading?: Promise<boolean>;
}

export interface PushSession {
  key: string;
  stack: StackPath;
  id: string;
  timestamp: number;
  message?: string;
  params: Params;
  /** The access a request of this frame named (the first one usually does); applied with the frame. */
  private?: boolean;
  slots: Map<number, SessionSlot>;
  size?: number;
  expires: number;
  /** The commit in flight (or done): every request that completes the frame waits on the same one. */
  committing?: Promise<PushResult>;
  result?: PushResult;
}

export const sessionKey = (path: string, id: string) => `${path}#${id}`;

/** Declared bytes a session is (or will be) holding. */
export function declaredBytes(session: PushSession): number {
  let total = 0;
  for (const slot of session.slots.values()) total += slot.meta.length;
  return total;
}

export function newUploadId(): string {
  const raw = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(raw, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The quota's refusal, the same words for every store. */
export function quotaError(user: string, limits: SessionLimits, count: number, bytes: number, creating: boolean) {
  if (creating && count >= limits.maxSessions) {
    return new TooManyUploadsError(
      `${user} has ${count} unfinished pushes (the limit is ${limits.maxSessions}); finish or abandon some first`,
    );
  }
  if (bytes > limits.maxBytes) {
    return new TooManyUploadsError(
      `${user}'s unfinished pushes would hold ${bytes} bytes (the limit is ${limits.maxBytes})`,
    );
  }
  return undefined;
}

/** Sessions in this process's memory, their bytes in `staging`: one server, or msw and tests. */
export function createPushSessions(limits: SessionLimits, staging: BlobStaging = memoryStaging): PushSessionStore {
  const { ttlMs, now } = limits;
  const sessions = new Map<string, PushSession>();
  const uploads = new Map<string, { session: PushSession; index: number }>();

  async function release(session: PushSession, keepUploads = false): Promise<void> {
    for (const slot of session.slots.values()) {
      if (slot.uploadId && !keepUploads) uploads.delete(slot.uploadId);
      const staged = slot.staged;
      slot.staged = undefined;
      await staged?.release().catch(() => {});
    }
  }

  function sweep(): void {
    const at = now();
    for (const session of sessions.values()) {
      if (session.expires < at && !(session.committing && !session.result)) {
        sessions.delete(session.key);
        void release(session);
      }
    }
  }

  async function drop(session: PushSession): Promise<void> {
    if (sessions.get(session.key) === session) sessions.delete(session.key);
    await release(session);
  }

  return {
    async get(stack, id) {
      const key = sessionKey(stack.path, id);
      const session = sessions.get(key);
      if (session && session.expires < now() && !session.committing) {
        sessions.delete(key);
        void release(session);
        return undefined;
      }
      return session;
    },
    async create(stack, id, timestamp) {
      sweep();
      const session: PushSession = {
        key: sessionKey(stack.path, id),
        stack,
        id,
        timestamp,
        params: {},
        slots: new Map(),
        expires: now() + ttlMs,
      };
      sessions.set(session.key, session);
      return session;
    },
    async uploadIdFor(session, index) {
      const slot = session.slots.get(index);
      if (!slot) throw new Error(`no slot ${index}`);
      if (!slot.uploadId) {
        slot.uploadId = newUploadId();
        uploads.set(slot.uploadId, { session, index });
      }
      return slot.uploadId;
    },
    async save(session) {
      // Inline bytes replace staged ones.
      for (const slot of session.slots.values()) {
        if (slot.staged && slot.blob !== slot.staged.blob) {
          const staged = slot.staged;
          slot.staged = undefined;
          await staged.release();
        }
      }
    },
    async byUpload(uploadId) {
      const found = uploads.get(uploadId);
      if (!found || found.session.expires < now()) return undefined;
      return found;
    },
    async checkQuota(user, session, extraBytes) {
      sweep();
      let count = 0;
      let bytes = extraBytes;
      for (const open of sessions.values()) {
        if (open.stack.user !== user || open.result) continue;
        count++;
        bytes += declaredBytes(open);
      }
      const refused = quotaError(user, limits, count, bytes, !session);
      if (refused) throw refused;
    },
    async receive(session, index, body) {
      const slot = session.slots.get(index);
      if (!slot) throw new Error(`no slot ${index}`);
      // A retry overlapping its original (same upload_url): wait for the original; if it stored its bytes, this
      // one has nothing to add.
      while (slot.uploading) if (await slot.uploading) return { staged: false, session };
      if (session.result || session.committing) return { staged: false, session };
      const staging$ = staging.stage(body, slot.meta.length, slot.meta.contentType);
      slot.uploading = staging$.then(
        () => true,
        () => false,
      );
      let staged: StagedBlob;
      try {
        staged = await staging$;
      } finally {
        slot.uploading = undefined;
      }
      // The frame began committing with earlier bytes of this slot while these arrived: they are not needed, and
      // the commit may be reading the earlier ones, which must stay.
      if (session.result || session.committing) {
        await staged.release();
        return { staged: false, session };
      }
      const previous = slot.staged;
      slot.staged = staged;
      slot.blob = staged.blob;
      await previous?.release();
      session.expires = now() + ttlMs;
      return { staged: true, session };
    },
    commitOnce(session, work) {
      session.committing ??= (async () => {
        try {
          const result = await work();
          session.result = result;
          session.expires = now() + ttlMs;
          // Kept until it expires, so retried requests get the same answer; the bytes go now.
          await release(session, true);
          for (const slot of session.slots.values()) slot.blob = undefined;
          return result;
        } catch (error) {
          session.committing = undefined;
          throw error;
        }
      })();
      return session.committing;
    },
    async settled(session) {
      if (session.committing) await session.committing;
    },
    drop,
    async close() {
      for (const session of [...sessions.values()]) {
        sessions.delete(session.key);
        await release(session);
      }
    },
  };
}
