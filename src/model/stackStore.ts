import type {
  CardInit,
  CardPatch,
  Dashboard,
  DashboardPatch,
  FrameInfo,
  FramePage,
  FramePush,
  PushOptions,
  PushResult,
  StackInfo,
  StackPatch,
  StackSummary,
  StoreEvent,
} from "./types";

/**
 * Options of every read: `signal` cancels it. An aborted read (already aborted, or aborted while it runs) rejects
 * with `AbortError`; a store that can stop the work behind it (an HTTP request, a file read) does.
 */
export interface ReadOptions {
  signal?: AbortSignal;
}

/** Options of `getStack`: how much of the frame list to include, besides `signal`. */
export interface StackReadOptions extends ReadOptions {
  /**
   * How many of the newest frames `StackInfo.frames` lists: a non-negative integer, or `Infinity` for every frame;
   * default 50. `0` reads the head only. Anything else: InvalidRequestError.
   */
  frames?: number;
}

/** Options of `listFrames`: where the page starts and how long it is, besides `signal`. */
export interface FramePageOptions extends ReadOptions {
  /** Only frames older than this one (by the order of `StackInfo.frames`); default: from the newest frame. */
  before?: string;
  /** At most this many frames: a positive integer, or `Infinity`; default 50. */
  limit?: number;
}

/**
 * The one storage seam of the kit: memory, IndexedDB, HTTP and file-system stores all implement it
 * and pass the same conformance suite. Stack references are `name` (under `user`) or `/user/name`. Every read takes
 * an optional last argument `{ signal }` ({@link ReadOptions}).
 */
export interface StackStore {
  /** The default user: relative stack names are resolved under it. */
  readonly user: string;
  /** Stacks of `user` (default: the store's user), newest head first. */
  listStacks(user?: string, options?: ReadOptions): Promise<StackSummary[]>;
  /**
   * The stack with its head frame, its newest frames (`options.frames`, default 50) and its
   * frame count. Costs the same whatever the length of the history (unless `frames` asks for all of it).
   */
  getStack(stack: string, options?: StackReadOptions): Promise<StackInfo>;
  /**
   * One page of the stack's frames, newest first in the order of `StackInfo.frames`: the `limit` frames that come
   * after `before` (or the newest `limit` without it), and whether older ones remain. Paging on with `before` set
   * to the last frame of each page visits every frame once, even while new frames are pushed (they are newer).
   * StackNotFoundError for an unknown stack, FrameNotFoundError when `before` is not one of its frames,
   * InvalidRequestError for a bad `limit`. Costs at most in proportion to the page plus how deep `before` lies,
   * never to the rest of the history.
   */
  listFrames(stack: string, options?: FramePageOptions): Promise<FramePage>;
  getFrame(stack: string, frameId: string, options?: ReadOptions): Promise<FrameInfo>;
  getAttachment(stack: string, frameId: string, index: number, options?: ReadOptions): Promise<Blob>;
  /** Stores a whole frame atomically and moves the head to it. */
  push(frame: FramePush, options?: PushOptions): Promise<PushResult>;
  updateStack(stack: string, patch: StackPatch): Promise<void>;
  /** Removes the stack with all its frames and attachments. */
  deleteStack(stack: string): Promise<void>;
  /** Dashboards of `user` (default: the store's user), newest first. */
  listDashboards(user?: string, options?: ReadOptions): Promise<Dashboard[]>;
  getDashboard(user: string, id: string, options?: ReadOptions): Promise<Dashboard>;
  createDashboard(init?: DashboardPatch): Promise<Dashboard>;
  updateDashboard(user: string, id: string, patch: DashboardPatch): Promise<Dashboard>;
  deleteDashboard(user: string, id: string): Promise<void>;
  insertCards(user: string, id: string, index: number, cards: CardInit[]): Promise<Dashboard>;
  updateCard(user: string, id: string, stack: string, patch: CardPatch): Promise<Dashboard>;
  deleteCard(user: string, id: string, stack: string): Promise<Dashboard>;
  /** Calls `listener` on every change, including changes made by other tabs or clients where the store can tell. */
  subscribe(listener: (event: StoreEvent) => void): () => void;
  /** Releases connections and channels; the store is unusable afterwards. */
  close?(): void;
}
