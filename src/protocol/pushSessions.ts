// Frames being assembled across requests: the `length` + `upload_url` flow and the incremental `index`/`size`
// form. A session holds staged bytes until every attachment is there; only then does the frame reach the store,
// in one push. Sessions nobody finishes expire (swept lazily, so no timer keeps a process or test alive).
import type { Params } from "../model/params";
import type { StackPath } from "../model/stackPath";
import type { PushResult } from "../model/types";
import type { ParsedAttachment } from "./pushRequest";
import type { StagedBlob } from "./staging";

export type SlotMeta = Omit<ParsedAttachment, "bytes">;

export interface SessionSlot {
  meta: SlotMeta;
  blob?: Blob;
  staged?: StagedBlob;
  /** Set for attachments that arrive by `PUT upload_url`. */
  uploadId?: string;
}

export interface PushSession {
  key: string;
  stack: StackPath;
  id: string;
  timestamp: number;
  message?: string;
  params: Params;
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

export function createPushSessions(ttlMs: number) {
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

  function sweep(now = Date.now()): void {
    for (const session of sessions.values()) {
      if (session.expires < now && !(session.committing && !session.result)) {
        sessions.delete(session.key);
        void release(session);
      }
    }
  }

  return {
    get(key: string): PushSession | undefined {
      const session = sessions.get(key);
      if (session && session.expires < Date.now() && !session.committing) {
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
        expires: Date.now() + ttlMs,
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
      if (!found || found.session.expires < Date.now()) return undefined;
      return found;
    },
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
