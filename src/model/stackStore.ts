import type {
  CardInit,
  CardPatch,
  Dashboard,
  DashboardPatch,
  FrameInfo,
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
  getStack(stack: string, options?: ReadOptions): Promise<StackInfo>;
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
