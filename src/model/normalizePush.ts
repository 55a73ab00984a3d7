import { InvalidRequestError, throwIfAborted } from "./errors";
import { frameMessage } from "./frameMessage";
import { validateParams } from "./params";
import { parseStackPath, type StackPath } from "./stackPath";
import type { AttachmentInfo, FramePush, PushOptions, Settings } from "./types";

export interface NormalizedAttachment {
  info: AttachmentInfo;
  blob: Blob;
}

export interface NormalizedPush {
  stack: StackPath;
  id: string;
  timestamp: number;
  message?: string;
  params: FramePush["params"] & object;
  attachments: NormalizedAttachment[];
  /** Set only when the push names the stack's access: stores apply it in the same commit as the frame. */
  private?: boolean;
}

/** A Uint8Array from any realm (an iframe, jsdom, a worker's structured clone), not only this one. */
function isBytes(x: unknown): x is Uint8Array {
  return ArrayBuffer.isView(x) && Object.prototype.toString.call(x) === "[object Uint8Array]";
}

/** Frame ids: client-generated, usually UUIDs; anything else safe in a URL path segment and a file name. */
export const FRAME_ID = /^[A-Za-z0-9_-]{1,128}$/;

function checkSettings(settings: unknown, where: string): Settings | undefined {
  if (settings === undefined || settings === null) return undefined;
  if (typeof settings !== "object" || Array.isArray(settings))
    throw new InvalidRequestError(`${where} must be an object`);
  try {
    JSON.stringify(settings);
  } catch {
    throw new InvalidRequestError(`${where} must be JSON-serialisable`);
  }
  return settings as Settings;
}

/** The largest |epoch ms| a Date can hold (±100,000,000 days around 1970). */
export const MAX_TIMESTAMP_MS = 8.64e15;

/**
 * A frame time the UI can show and sort: a finite number of epoch milliseconds that a Date can hold. Anything else
 * would be stored and only fail later, when a viewer turns it into a date.
 */
function checkTimestamp(timestamp: unknown): number {
  if (typeof timestamp !== "number" || !Number.isFinite(timestamp)) {
    const shown = typeof timestamp === "string" ? JSON.stringify(timestamp) : String(timestamp);
    throw new InvalidRequestError(`timestamp must be a finite number of epoch milliseconds, got ${shown}`);
  }
  if (Math.abs(timestamp) > MAX_TIMESTAMP_MS) {
    throw new InvalidRequestError(
      `timestamp must be epoch milliseconds within ±${MAX_TIMESTAMP_MS} (what a Date can hold), got ${timestamp}`,
    );
  }
  return timestamp;
}

/** Validates a push completely before any store writes a byte of it. */
export function normalizePush(push: FramePush, defaultUser: string, options?: PushOptions): NormalizedPush {
  if (typeof push !== "object" || push === null) throw new InvalidRequestError("a push must be an object");
  const stack = parseStackPath(push.stack, defaultUser);
  const id = push.id ?? crypto.randomUUID();
  if (typeof id !== "string" || !FRAME_ID.test(id)) {
    throw new InvalidRequestError(`frame id must be 1-128 letters, digits, '_' or '-', got ${JSON.stringify(id)}`);
  }
  const timestamp = checkTimestamp(push.timestamp ?? Date.now());
  if (push.message !== undefined && typeof push.message !== "string")
    throw new InvalidRequestError("message must be a string");
  if (!Array.isArray(push.attachments) || push.attachments.length === 0) {
    throw new InvalidRequestError(`nothing to push to ${stack.path}: a frame needs at least one attachment`);
  }
  if (push.private !== undefined && typeof push.private !== "boolean") {
    throw new InvalidRequestError(`private must be true or false, got ${typeof push.private}`);
  }
  const params = validateParams(push.params, "frame params");
  const attachments: NormalizedAttachment[] = [];
  for (let index = 0; index < push.attachments.length; index++) {
    throwIfAborted(options?.signal);
    const a = push.attachments[index];
    const where = `attachment ${index}`;
    if (typeof a !== "object" || a === null) throw new InvalidRequestError(`${where} must be an object`);
    if (typeof a.contentType !== "string" || a.contentType.length === 0) {
      throw new InvalidRequestError(`${where} needs a contentType`);
    }
    let blob: Blob;
    if (a.data instanceof Blob)
      blob = a.data.type === a.contentType ? a.data : a.data.slice(0, a.data.size, a.contentType);
    else if (isBytes(a.data)) blob = new Blob([a.data as Uint8Array<ArrayBuffer>], { type: a.contentType });
    else throw new InvalidRequestError(`${where}.data must be a Blob or a Uint8Array`);
    const info: AttachmentInfo = {
      index,
      contentType: a.contentType,
      params: validateParams(a.params, `${where} params`),
      length: blob.size,
    };
    if (a.application !== undefined) {
      if (typeof a.application !== "string") throw new InvalidRequestError(`${where}.application must be a string`);
      info.application = a.application;
    }
    if (a.description !== undefined) {
      if (typeof a.description !== "string") throw new InvalidRequestError(`${where}.description must be a string`);
      info.description = a.description;
    }
    const settings = checkSettings(a.settings, `${where}.settings`);
    if (settings) info.settings = settings;
    attachments.push({ info, blob });
  }
  throwIfAborted(options?.signal);
  const out: NormalizedPush = { stack, id, timestamp, params, attachments };
  const message = frameMessage(push.message, params);
  if (message !== undefined) out.message = message;
  if (push.private !== undefined) out.private = push.private;
  return out;
}
