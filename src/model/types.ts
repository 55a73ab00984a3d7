import type { Params } from "./params";

/** Free-form, JSON-serialisable attachment settings (e.g. pandas `schema`, `plotly_js_version`). */
export type Settings = Record<string, unknown>;

export interface AttachmentInfo {
  index: number;
  contentType: string;
  application?: string;
  description?: string;
  params: Params;
  settings?: Settings;
  /** Size of the stored bytes. */
  length: number;
}

export interface FrameSummary {
  id: string;
  timestamp: number;
  message?: string;
}

export interface FrameInfo extends FrameSummary {
  params: Params;
  attachments: AttachmentInfo[];
}

export interface StackSummary {
  user: string;
  name: string;
  path: string;
  private: boolean;
  head: FrameSummary | null;
}

export interface StackInfo {
  user: string;
  name: string;
  path: string;
  private: boolean;
  readme?: string;
  head: FrameInfo | null;
  /**
   * The newest frames, newest first: as many as `getStack`'s `frames` option asked for (default
   * 50), every frame when the stack has fewer. Older ones: `StackStore.listFrames`.
   */
  frames: FrameSummary[];
  /** How many frames the stack has in all (`frames` may list fewer). */
  frameCount: number;
}

/** One page of a stack's frame list (`StackStore.listFrames`). */
export interface FramePage {
  /** Frames newest first, at most the `limit` asked for. */
  frames: FrameSummary[];
  /** Whether the stack has frames older than the last one listed. */
  more: boolean;
}

/** One attachment of a push: bytes plus what they are. */
export interface AttachmentPush {
  data: Blob | Uint8Array;
  contentType: string;
  application?: string;
  description?: string;
  params?: Params;
  settings?: Settings;
}

export interface FramePush {
  /** `name` (under the store's user) or `/user/name`. */
  stack: string;
  /** Client-generated id; a UUID when omitted. */
  id?: string;
  timestamp?: number;
  /** The commit message; without one, a string `params.message` is taken (dstack-py 0.5 sends it there). */
  message?: string;
  params?: Params;
  attachments: AttachmentPush[];
  /**
   * Makes the stack private (`true`) or public (`false`) in the same commit as the frame, so no reader ever sees
   * the frame under the old access. Omitted: a new stack is public, an existing one keeps its access.
   */
  private?: boolean;
}

/** What a store's `push` takes besides the frame. */
export interface PushOptions {
  /** Aborting before the push completes rejects with AbortError and stores nothing. */
  signal?: AbortSignal;
  /** Called after each attachment is stored. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Bytes of attachment data sent so far, out of `total`, from stores that send them over a network (HttpStore:
   * uploads over `PUT upload_url` report as they go); stores that write locally never call it.
   */
  onUpload?: (sent: number, total: number) => void;
}

export interface PushResult {
  url: string;
  stack: string;
  frameId: string;
}

export interface Card {
  /** `user/name`; relative names given to a store are resolved against its user. */
  stack: string;
  title?: string;
  description?: string;
  columns: 1 | 2;
}

export type CardInit = Omit<Card, "columns"> & { columns?: 1 | 2 };

export interface Dashboard {
  id: string;
  user: string;
  title: string;
  description: string;
  private: boolean;
  cards: Card[];
}

export interface DashboardPatch {
  title?: string;
  description?: string;
  private?: boolean;
}

export interface CardPatch {
  /** Moves the card to this position. */
  index?: number;
  title?: string;
  description?: string;
  columns?: 1 | 2;
}

export interface StackPatch {
  head?: string;
  private?: boolean;
  readme?: string;
}

/** A change somewhere in a store: `path` is `user/name` for stacks, `user/id` for dashboards. */
export interface StoreEvent {
  type: "stack" | "dashboard";
  path: string;
}
