// How every store (memory, IndexedDB, file) turns what it keeps into the public shapes, and in which order it
// lists frames and stacks, so the stores cannot drift apart.
import { AttachmentNotFoundError, InvalidRequestError } from "./errors";
import type { NormalizedPush } from "./normalizePush";
import type { Params } from "./params";
import type { AttachmentInfo, FrameInfo, FrameSummary, StackInfo, StackSummary } from "./types";

/** What every store keeps per frame; `seq` orders frames pushed in the same millisecond. */
export interface FrameRecordLike {
  id: string;
  timestamp: number;
  message?: string;
  seq: number;
}

/** What every store keeps per stack, besides its frames. */
export interface StackRecordLike {
  user: string;
  name: string;
  private: boolean;
  readme?: string;
}

/** The public summary of a stored frame: no `message` key when it has none. */
export function frameSummary(row: { id: string; timestamp: number; message?: string }): FrameSummary {
  return row.message === undefined
    ? { id: row.id, timestamp: row.timestamp }
    : { id: row.id, timestamp: row.timestamp, message: row.message };
}

/** The public view of a stored frame (shares `params` and `attachments`: callers copy where rows are live). */
export function frameInfoOf(row: {
  id: string;
  timestamp: number;
  message?: string;
  params: Params;
  attachments: AttachmentInfo[];
}): FrameInfo {
  return { ...frameSummary(row), params: row.params, attachments: row.attachments };
}

/** The frame a checked push stores: what `getFrame` answers for it afterwards. */
export function pushedFrame(push: NormalizedPush): FrameInfo {
  return frameInfoOf({ ...push, attachments: push.attachments.map((a) => a.info) });
}

/** Frame order of every store: newest timestamp first, later pushes first on ties. */
export function newestFirst(a: FrameRecordLike, b: FrameRecordLike): number {
  return b.timestamp - a.timestamp || b.seq - a.seq;
}

/** Stack order of every listing: by head frame as {@link newestFirst} orders frames; a stack without one last. */
export function newestHeadFirst(a: FrameRecordLike | undefined, b: FrameRecordLike | undefined): number {
  return (b?.timestamp ?? 0) - (a?.timestamp ?? 0) || (b?.seq ?? 0) - (a?.seq ?? 0);
}

/** A stack as `listStacks` shows it. */
export function stackSummaryOf(stack: StackRecordLike, path: string, head: FrameSummary | undefined): StackSummary {
  return { user: stack.user, name: stack.name, path, private: stack.private, head: head ? frameSummary(head) : null };
}

/** A stack as `getStack` shows it: no `readme` key when it has none. */
export function stackInfoOf(
  stack: StackRecordLike,
  path: string,
  head: FrameInfo | undefined,
  frames: FrameSummary[],
  frameCount: number,
): StackInfo {
  const info: StackInfo = { ...stackSummaryOf(stack, path, undefined), head: head ?? null, frames, frameCount };
  if (stack.readme !== undefined) info.readme = stack.readme;
  return info;
}

/** The error for a frame id a stack already has: pushes never replace a frame. */
export function frameExistsError(path: string, frameId: string): InvalidRequestError {
  return new InvalidRequestError(`frame ${frameId} already exists in ${path}`);
}

/** The error for an attachment index a frame does not have (`count`: how many it has). */
export function attachmentNotFoundError(
  path: string,
  frameId: string,
  index: number,
  count: number,
): AttachmentNotFoundError {
  return new AttachmentNotFoundError(`attachment ${index} not found in frame ${frameId} of ${path} (it has ${count})`);
}

/** How many frames `getStack` lists and `listFrames` returns when not told. */
export const DEFAULT_FRAME_PAGE = 50;

/** `getStack`'s `frames` option, checked: a non-negative integer or Infinity (default {@link DEFAULT_FRAME_PAGE}). */
export function frameCountOption(frames: unknown): number {
  if (frames === undefined) return DEFAULT_FRAME_PAGE;
  if (frames === Number.POSITIVE_INFINITY || (Number.isSafeInteger(frames) && (frames as number) >= 0))
    return frames as number;
  throw new InvalidRequestError(`frames must be a non-negative integer or Infinity, got ${String(frames)}`);
}

/** `listFrames`' `limit` and `before`, checked: a positive integer or Infinity, and a string or nothing. */
export function framePageOptions(options: { before?: unknown; limit?: unknown } = {}): {
  before: string | undefined;
  limit: number;
} {
  const { before, limit = DEFAULT_FRAME_PAGE } = options;
  if (limit !== Number.POSITIVE_INFINITY && !(Number.isSafeInteger(limit) && (limit as number) > 0))
    throw new InvalidRequestError(`limit must be a positive integer or Infinity, got ${String(limit)}`);
  if (before !== undefined && typeof before !== "string")
    throw new InvalidRequestError(`before must be a frame id, got ${typeof before}`);
  return { before, limit: limit as number };
}
