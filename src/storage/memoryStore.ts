import { newDashboard } from "../model/dashboard";
import { dashboardChanges } from "../model/dashboardChanges";
import { DashboardNotFoundError, FrameNotFoundError, StackNotFoundError, throwIfAborted } from "../model/errors";
import {
  attachmentNotFoundError,
  frameCountOption,
  frameExistsError,
  framePageOptions,
  frameSummary,
  newestFirst,
  newestHeadFirst,
  pushedFrame,
  stackInfoOf,
  stackSummaryOf,
} from "../model/frameRecords";
import { normalizePush } from "../model/normalizePush";
import { checkStackPatch } from "../model/stackPatch";
import { parseStackPath, validateUser } from "../model/stackPath";
import type { FramePageOptions, ReadOptions, StackReadOptions, StackStore } from "../model/stackStore";
import type {
  Dashboard,
  DashboardPatch,
  FrameInfo,
  FramePush,
  PushOptions,
  PushResult,
  StackPatch,
} from "../model/types";
import { abortable } from "./abortable";
import { createEmitter } from "./emitter";

/** A frame as getFrame shows it, its attachments' bytes (by index) and its push order. */
interface FrameRecord extends FrameInfo {
  blobs: Blob[];
  seq: number;
}

interface StackRecord {
  user: string;
  name: string;
  private: boolean;
  readme?: string;
  head: string;
  frames: Map<string, FrameRecord>;
  /** The same frames, oldest first: a push usually appends, and pages are slices. */
  order: FrameRecord[];
}

/** Where `frame` goes in `order` (oldest first): after every frame {@link newestFirst} puts after it. */
function insertionIndex(order: readonly FrameRecord[], frame: FrameRecord): number {
  let low = 0;
  let high = order.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (newestFirst(order[mid] as FrameRecord, frame) > 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

export interface MemoryStoreOptions {
  /** Default user for relative stack names; "dstack" when omitted. */
  user?: string;
}

const clone = <T>(value: T): T => structuredClone(value);

// Records are live objects here: hand out copies.
function frameInfo({ blobs: _, seq: __, ...frame }: FrameRecord): FrameInfo {
  return clone(frame);
}

/**
 * A store that lives in this JS realm only: for tests, Storybook and throwaway sessions.
 * @example const store = createMemoryStore(); await pushFrame({ stack: "demo", data: "# Hello", store });
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): StackStore {
  const user = validateUser(options.user ?? "dstack");
  const stacks = new Map<string, StackRecord>();
  const dashboards = new Map<string, { dashboard: Dashboard; seq: number }>();
  const emitter = createEmitter();
  let seq = 0;

  const resolve = (stack: string) => parseStackPath(stack, user);
  function stackRecord(stack: string): [string, StackRecord] {
    const { path } = resolve(stack);
    const record = stacks.get(path);
    if (!record) throw new StackNotFoundError(path);
    return [path, record];
  }
  function frameRecord(stack: string, frameId: string): [string, FrameRecord] {
    const [path, record] = stackRecord(stack);
    const frame = record.frames.get(frameId);
    if (!frame) throw new FrameNotFoundError(path, frameId);
    return [path, frame];
  }
  function dashboardEntry(owner: string, id: string) {
    const entry = dashboards.get(`${owner}/${id}`);
    if (!entry) throw new DashboardNotFoundError(owner, id);
    return entry;
  }
  const changes = dashboardChanges(user, async (owner, id, apply) => {
    const entry = dashboardEntry(owner, id);
    entry.dashboard = apply(entry.dashboard);
    emitter.emit({ type: "dashboard", path: `${owner}/${id}` });
    return clone(entry.dashboard);
  });

  return {
    user,
    listStacks: (owner = user, read?: ReadOptions) =>
      abortable(read?.signal, async () => {
        validateUser(owner);
        return [...stacks]
          .filter(([, record]) => record.user === owner)
          .map(([path, record]) => ({ path, record, head: record.frames.get(record.head) }))
          .sort((a, b) => newestHeadFirst(a.head, b.head))
          .map(({ path, record, head }) => stackSummaryOf(record, path, head));
      }),
    getStack: (stack, read?: StackReadOptions) =>
      abortable(read?.signal, async () => {
        const count = frameCountOption(read?.frames);
        const [path, record] = stackRecord(stack);
        const head = frameInfo(record.frames.get(record.head) as FrameRecord);
        const { order } = record;
        const newest = order.slice(Math.max(0, order.length - count)).reverse();
        return stackInfoOf(record, path, head, newest.map(frameSummary), order.length);
      }),
    listFrames: (stack, page?: FramePageOptions) =>
      abortable(page?.signal, async () => {
        const { before, limit } = framePageOptions(page);
        const [path, record] = stackRecord(stack);
        const { order } = record;
        let end = order.length;
        if (before !== undefined) {
          const frame = record.frames.get(before);
          if (!frame) throw new FrameNotFoundError(path, before);
          end = insertionIndex(order, frame); // the index of `before` itself: older frames are below it
        }
        const start = Math.max(0, end - limit);
        return { frames: order.slice(start, end).reverse().map(frameSummary), more: start > 0 };
      }),
    getFrame: (stack, frameId, read?: ReadOptions) =>
      abortable(read?.signal, async () => frameInfo(frameRecord(stack, frameId)[1])),
    getAttachment: (stack, frameId, index, read?: ReadOptions) =>
      abortable(read?.signal, async () => {
        const [path, frame] = frameRecord(stack, frameId);
        const blob = Number.isInteger(index) ? frame.blobs[index] : undefined;
        if (!blob) throw attachmentNotFoundError(path, frameId, index, frame.blobs.length);
        return blob;
      }),
    async push(frame: FramePush, pushOptions?: PushOptions): Promise<PushResult> {
      const push = normalizePush(frame, user, pushOptions);
      const { path } = push.stack;
      if (stacks.get(path)?.frames.has(push.id)) throw frameExistsError(path, push.id);
      const total = push.attachments.length;
      for (let done = 1; done <= total; done++) {
        pushOptions?.onProgress?.(done, total);
        throwIfAborted(pushOptions?.signal);
      }
      // Nothing above wrote: the frame appears, the head moves and the access it names applies, in this one
      // synchronous step.
      let record = stacks.get(path);
      if (!record) {
        const fresh = { user: push.stack.user, name: push.stack.name, private: false, head: push.id };
        record = { ...fresh, frames: new Map(), order: [] };
        stacks.set(path, record);
      }
      const blobs = push.attachments.map((a) => a.blob);
      const stored: FrameRecord = { ...pushedFrame(push), blobs, seq: ++seq };
      record.frames.set(push.id, stored);
      record.order.splice(insertionIndex(record.order, stored), 0, stored);
      record.head = push.id;
      if (push.private !== undefined) record.private = push.private;
      emitter.emit({ type: "stack", path });
      return { url: `memory:${path}`, stack: path, frameId: push.id };
    },
    async updateStack(stack, patch: StackPatch) {
      const fields = checkStackPatch(patch);
      const [path, record] = stackRecord(stack);
      if (fields.head !== undefined && !record.frames.has(fields.head)) throw new FrameNotFoundError(path, fields.head);
      if (fields.head !== undefined) record.head = fields.head;
      if (fields.private !== undefined) record.private = fields.private;
      if (fields.readme !== undefined) record.readme = fields.readme;
      emitter.emit({ type: "stack", path });
    },
    async deleteStack(stack) {
      const [path] = stackRecord(stack);
      stacks.delete(path);
      emitter.emit({ type: "stack", path });
    },
    listDashboards: (owner = user, read?: ReadOptions) =>
      abortable(read?.signal, async () => {
        validateUser(owner);
        return [...dashboards.values()]
          .filter((e) => e.dashboard.user === owner)
          .sort((a, b) => b.seq - a.seq)
          .map((e) => clone(e.dashboard));
      }),
    getDashboard: (owner, id, read?: ReadOptions) =>
      abortable(read?.signal, async () => clone(dashboardEntry(owner, id).dashboard)),
    async createDashboard(init: DashboardPatch = {}) {
      const dashboard = newDashboard(user, init);
      dashboards.set(`${user}/${dashboard.id}`, { dashboard, seq: ++seq });
      emitter.emit({ type: "dashboard", path: `${user}/${dashboard.id}` });
      return clone(dashboard);
    },
    async deleteDashboard(owner, id) {
      dashboardEntry(owner, id);
      dashboards.delete(`${owner}/${id}`);
      emitter.emit({ type: "dashboard", path: `${owner}/${id}` });
    },
    ...changes,
    subscribe: emitter.subscribe,
  };
}
