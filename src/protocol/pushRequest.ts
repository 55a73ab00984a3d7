// `POST /stacks/push` bodies, checked completely before anything is staged or stored: every problem is a 400
// (413 for declared lengths over the limit) that names the field.

import { PayloadTooLargeError } from "../model/errors";
import { FRAME_ID, MAX_TIMESTAMP_MS } from "../model/normalizePush";
import { type Params, validateParams } from "../model/params";
import type { StackPath } from "../model/stackPath";
import type { Settings } from "../model/types";
import { decodeBase64 } from "./base64";
import { malformed, optionalCount, optionalString, parseWirePath } from "./fields";
import { lenientFrameParams } from "./frameParams";
import { legacyMediaType } from "./wire";

/** Same rule as the stores' (normalizePush): ids become file and key names, so they stay plain. */

export interface ParsedAttachment {
  contentType: string;
  application?: string;
  description?: string;
  params: Params;
  settings?: Settings;
  length: number;
  /** Inline bytes; absent when the client asked for an upload URL. */
  bytes?: Uint8Array;
}

export interface ParsedPush {
  stack: StackPath;
  id: string;
  timestamp?: number;
  /** The request's own `message` (a string `params.message` stands in for it when the frame is stored). */
  message?: string;
  params?: Params;
  /** `access`: true for "private", false for "public"; absent when the request does not name one. */
  private?: boolean;
  attachments: ParsedAttachment[];
  /** Incremental form: position of `attachments[0]`. */
  index?: number;
  /** Incremental form: the frame's attachment count. */
  size?: number;
}

export interface PushLimits {
  maxAttachmentBytes: number;
  maxAttachments: number;
}

/** `access: "private" | "public"` (dstack-py's `push(..., access=...)`); null or absent: not named. */
function parseAccess(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === "private") return true;
  if (value === "public") return false;
  const shown = typeof value === "string" ? JSON.stringify(value) : typeof value;
  throw malformed(`access must be 'private' or 'public', got ${shown}`);
}

function parseAttachment(raw: unknown, where: string, limits: PushLimits): ParsedAttachment {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw malformed(`${where} must be an object`);
  const a = raw as Record<string, unknown>;
  let contentType = optionalString(a.content_type, `${where}.content_type`);
  let application = optionalString(a.application, `${where}.application`);
  application ??= optionalString(a.application_type, `${where}.application_type`);
  if (contentType === undefined) {
    const legacy = optionalString(a.type, `${where}.type`);
    if (legacy === undefined || legacy.trim() === "") throw malformed(`${where} needs a content_type`);
    const media = legacyMediaType(legacy);
    contentType = media.contentType;
    application ??= media.application;
  }
  if (contentType.trim() === "") throw malformed(`${where} needs a content_type`);
  const out: ParsedAttachment = {
    contentType,
    params: validateParams(a.params, `${where}.params`),
    length: 0,
  };
  if (application !== undefined) out.application = application;
  const description = optionalString(a.description, `${where}.description`);
  if (description !== undefined) out.description = description;
  if (a.settings !== undefined && a.settings !== null) {
    if (typeof a.settings !== "object" || Array.isArray(a.settings))
      throw malformed(`${where}.settings must be an object`);
    out.settings = a.settings as Settings;
  }
  const length = a.length === undefined || a.length === null ? undefined : a.length;
  if (length !== undefined && (typeof length !== "number" || !Number.isInteger(length) || length < 0)) {
    throw malformed(`${where}.length must be a whole number of bytes`);
  }
  if (a.data !== undefined && a.data !== null) {
    if (typeof a.data !== "string") throw malformed(`${where}.data must be a base64 string`);
    const bytes = decodeBase64(a.data);
    if (!bytes) throw malformed(`${where}.data is not valid base64`);
    if (length !== undefined && length !== bytes.length) {
      throw malformed(`${where}.length is ${length} but data has ${bytes.length} bytes`);
    }
    out.bytes = bytes;
    out.length = bytes.length;
  } else if (length !== undefined) {
    out.length = length;
  } else {
    throw malformed(`${where} needs data (base64) or a length`);
  }
  if (out.length > limits.maxAttachmentBytes) throw new PayloadTooLargeError(limits.maxAttachmentBytes, where);
  return out;
}

/** Validates a push body (dstack-py's and this kit's shapes); unknown fields are ignored. */
export function parsePushRequest(body: Record<string, unknown>, limits: PushLimits): ParsedPush {
  const stack = parseWirePath(body.stack);
  if (typeof body.id !== "string" || !FRAME_ID.test(body.id)) {
    throw malformed("id must be 1-128 letters, digits, '_' or '-'");
  }
  const push: ParsedPush = { stack, id: body.id, attachments: [] };
  if (body.timestamp !== undefined && body.timestamp !== null) {
    if (typeof body.timestamp !== "number" || !Number.isFinite(body.timestamp))
      throw malformed("timestamp must be a number");
    // What a Date can hold (±100,000,000 days around 1970): anything else cannot be shown or sorted as a time.
    if (Math.abs(body.timestamp) > MAX_TIMESTAMP_MS) {
      throw malformed(`timestamp must be epoch milliseconds within ±${MAX_TIMESTAMP_MS}, got ${body.timestamp}`);
    }
    push.timestamp = body.timestamp;
  }
  const message = optionalString(body.message, "message");
  if (message !== undefined) push.message = message;
  if (body.params !== undefined && body.params !== null) push.params = lenientFrameParams(body.params);
  const access = parseAccess(body.access);
  if (access !== undefined) push.private = access;
  const index = optionalCount(body.index, "index", 0, limits.maxAttachments - 1);
  const size = optionalCount(body.size, "size", 1, limits.maxAttachments);
  if (index !== undefined) push.index = index;
  if (size !== undefined) push.size = size;

  const raw = body.attachments ?? [];
  if (!Array.isArray(raw)) throw malformed("attachments must be a list");
  if (raw.length > limits.maxAttachments) throw malformed(`a frame has at most ${limits.maxAttachments} attachments`);
  const first = index ?? 0;
  push.attachments = raw.map((a, k) => parseAttachment(a, `attachment ${first + k}`, limits));
  if (first + push.attachments.length > limits.maxAttachments) {
    throw malformed(`a frame has at most ${limits.maxAttachments} attachments`);
  }
  if (index !== undefined && push.attachments.length === 0)
    throw malformed("index is given but there is no attachment");
  if (index === undefined && size === undefined && push.attachments.length === 0) {
    throw malformed(`nothing to push to ${stack.path}: a frame needs at least one attachment`);
  }
  if (index === undefined && size !== undefined && push.attachments.length > 0 && size !== push.attachments.length) {
    throw malformed(`size is ${size} but the request has ${push.attachments.length} attachments`);
  }
  return push;
}
