// Frames being assembled across requests: the `length` + `upload_url` flow and the incremental `index`/`size`
// form. A session holds staged bytes until every attachment is there; only then does the frame reach the store,
// in one push. Sessions nobody finishes expire (swept lazily, so no timer keeps a process or test alive).
import { DstackError } from "../model/errors";
import type { Params } from "../model/params";
import type { StackPath } from "../model/stackPath";
import type { PushResult } from "../model/types";
import type { ParsedAttachment } from "./pushRequest";
import type { StagedBlob } from "./staging";

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

function newUploadId(): string {
  const raw = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(raw, (b) => b.toString(16).padStart(2, "0")).join("");
}

export interface SessionLimits {
  ttlMs: number;
  /** Unfinished pushes one user may hold open at a time. */
  maxSessions: number;
  /** Bytes one user's unfinished pushes may declare in total. */
  maxBytes: number;
  now: () => number;
}

/** Declared bytes a session is (or will be) holding. */
function declaredBytes(session: PushSession): number {
  let total = 0;
  for (const slot of session.slots.values()) total += slot.meta.length;
  return total;
}

export function createPushSessions({ ttlMs, maxSessions, maxBytes, now }: SessionLimits) {
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

  return {
    get(key: string): PushSession | undefined {
      const session = sessions.get(key);
      if (session && session.expires < now() && !session.committing) {
        sessions.delete(key);
        void release(session);
        return undefined;
      }
      return session;
    },
    create(stack: StackPath, id: string, timestamp: number): PushSession {
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
    /** Gives the slot an upload id (once) and returns it. */
    uploadIdFor(session: PushSession, index: number): string {
      const slot = session.slots.get(index);
      if (!slot) throw new Error(`no slot ${index}`);
      if (!slot.uploadId) {
        slot.uploadId = newUploadId();
        uploads.set(slot.uploadId, { session, index });
      }
      return slot.uploadId;
    },
    byUpload(uploadId: string) {
      const found = uploads.get(uploadId);
      if (!found || found.session.expires < now()) return undefined;
      return found;
    },
    /**
     * Refuses (429) a change that would leave `user` with more open pushes or declared bytes than allowed:
     * abandoned uploads must not fill a disk. `extraBytes` is what the request adds to `session`.
     */
    checkQuota(user: string, session: PushSession | undefined, extraBytes: number): void {
      sweep();
      let count = 0;
      let bytes = extraBytes;
      for (const open of sessions.values()) {
        if (open.stack.user !== user || open.result) continue;
        count++;
        bytes += declaredBytes(open);
      }
      if (!session && count >= maxSessions) {
        throw new TooManyUploadsError(
          `${user} has ${count} unfinished pushes (the limit is ${maxSessions}); finish or abandon some first`,
        );
      }
      if (bytes > maxBytes) {
        throw new TooManyUploadsError(
          `${user}'s unfinished pushes would hold ${bytes} bytes (the limit is ${maxBytes})`,
        );
      }
    },
    sweep,
    /** Keeps a committed session around until it expires, so retried requests get the same answer. */
    async finish(session: PushSession): Promise<void> {
      await release(session, true);
      for (const slot of session.slots.values()) slot.blob = undefined;
    },
    async drop(session: PushSession): Promise<void> {
      sessions.delete(session.key);
      await release(session);
    },
    async close(): Promise<void> {
      for (const session of [...sessions.values()]) {
        sessions.delete(session.key);
        await release(session);
      }
    },
    get size() {
      return sessions.size;
    },
  };
}

export type PushSessions = ReturnType<typeof createPushSessions>;
