import type { Params } from "./params";
import type { AttachmentInfo, FrameInfo, FrameSummary } from "./types";

/** What every store keeps per frame; `seq` orders frames pushed in the same millisecond. */
export interface FrameRecordLike {
  id: string;
  timestamp: number;
  message?: string;
  seq: number;
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

/** Frame order of every store: newest timestamp first, later pushes first on ties. */
export function newestFirst(a: FrameRecordLike, b: FrameRecordLike): number {
  return b.timestamp - a.timestamp || b.seq - a.seq;
}
