import * as cards from "../model/dashboard";
import {
  AttachmentNotFoundError,
  DashboardNotFoundError,
  FrameNotFoundError,
  InvalidRequestError,
  StackNotFoundError,
  throwIfAborted,
} from "../model/errors";
import { frameInfoOf, frameSummary, newestFirst } from "../model/frameRecords";
import { type NormalizedAttachment, normalizePush } from "../model/normalizePush";
import type { Params } from "../model/params";
import { parseStackPath, validateUser } from "../model/stackPath";
import type { ReadOptions, StackStore } from "../model/stackStore";
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
} from "../model/types";
import { abortable } from "./abortable";
import { createEmitter } from "./emitter";

interface FrameRecord {
  id: string;
  timestamp: number;
  message?: string;
  params: Params;
  attachments: NormalizedAttachment[];
  seq: number;
}

interface StackRecord {
  user: string;
  name: string;
  private: boolean;
  readme?: string;
  head: string;
  frames: Map<string, FrameRecord>;
}

export interface MemoryStoreOptions {
  /** Default user for relative stack names; "dstack" when omitted. */
  user?: string;
}

const clone = <T>(value: T): T => structuredClone(value);

// Records are live objects here: hand out copies.
function frameInfo(frame: FrameRecord): FrameInfo {
  return frameInfoOf({
    ...frame,
    params: clone(frame.params),
    attachments: frame.attachments.map((a) => clone(a.info)),
  });
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
  function saveDashboard(dashboard: Dashboard): Dashboard {
    const entry = dashboardEntry(dashboard.user, dashboard.id);
    entry.dashboard = dashboard;
    emitter.emit({ type: "dashboard", path: `${dashboard.user}/${dashboard.id}` });
    return clone(dashboard);
  }

  return {
    user,
    listStacks: (owner = user, read?: ReadOptions) =>
      abortable(read?.signal, async () => {
        validateUser(owner);
        const out: Array<StackSummary & { sort: number }> = [];
        for (const [path, record] of stacks) {
          if (record.user !== owner) continue;
          const head = record.frames.get(record.head) as FrameRecord;
          out.push({
            user: record.user,
            name: record.name,
            path,
            private: record.private,
            head: frameSummary(head),
            sort: head.seq,
          });
        }
        out.sort((a, b) => (b.head?.timestamp ?? 0) - (a.head?.timestamp ?? 0) || b.sort - a.sort);
        return out.map(({ sort: _, ...rest }) => rest);
      }),
    getStack: (stack, read?: ReadOptions) =>
      abortable(read?.signal, async () => {
        const [path, record] = stackRecord(stack);
        const info: StackInfo = {
          user: record.user,
          name: record.name,
          path,
          private: record.private,
          head: frameInfo(record.frames.get(record.head) as FrameRecord),
          frames: [...record.frames.values()].sort(newestFirst).map(frameSummary),
        };
        if (record.readme !== undefined) info.readme = record.readme;
        return info;
      }),
    getFrame: (stack, frameId, read?: ReadOptions) =>
      abortable(read?.signal, async () => frameInfo(frameRecord(stack, frameId)[1])),
    getAttachment: (stack, frameId, index, read?: ReadOptions) =>
      abortable(read?.signal, async () => {
        const [path, frame] = frameRecord(stack, frameId);
        const attachment = Number.isInteger(index) ? frame.attachments[index] : undefined;
        if (!attachment) {
          throw new AttachmentNotFoundError(
            `attachment ${index} not found in frame ${frameId} of ${path} (it has ${frame.attachments.length})`,
          );
        }
        return attachment.blob;
      }),
    async push(frame: FramePush, pushOptions?: PushOptions): Promise<PushResult> {
      const push = normalizePush(frame, user, pushOptions);
      const { path } = push.stack;
      if (stacks.get(path)?.frames.has(push.id)) {
        throw new InvalidRequestError(`frame ${push.id} already exists in ${path}`);
      }
      const total = push.attachments.length;
      for (let done = 1; done <= total; done++) {
        pushOptions?.onProgress?.(done, total);
        throwIfAborted(pushOptions?.signal);
      }
      // Nothing above wrote: the frame appears, the head moves and the access it names applies, in this one
      // synchronous step.
      let record = stacks.get(path);
      if (!record) {
        record = { user: push.stack.user, name: push.stack.name, private: false, head: push.id, frames: new Map() };
        stacks.set(path, record);
      }
      const stored: FrameRecord = {
        id: push.id,
        timestamp: push.timestamp,
        params: push.params,
        attachments: push.attachments,
        seq: ++seq,
      };
      if (push.message !== undefined) stored.message = push.message;
      record.frames.set(push.id, stored);
      record.head = push.id;
      if (push.private !== undefined) record.private = push.private;
      emitter.emit({ type: "stack", path });
      return { url: `memory:${path}`, stack: path, frameId: push.id };
    },
    async updateStack(stack, patch: StackPatch) {
      const [path, record] = stackRecord(stack);
      if (patch.head !== undefined && !record.frames.has(patch.head)) throw new FrameNotFoundError(path, patch.head);
      if (patch.private !== undefined && typeof patch.private !== "boolean") {
        throw new InvalidRequestError("private must be a boolean");
      }
      if (patch.readme !== undefined && typeof patch.readme !== "string")
        throw new InvalidRequestError("readme must be a string");
      if (patch.head !== undefined) record.head = patch.head;
      if (patch.private !== undefined) record.private = patch.private;
      if (patch.readme !== undefined) record.readme = patch.readme;
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
      const fields = cards.checkDashboardPatch(init);
      const dashboard: Dashboard = {
        id: crypto.randomUUID(),
        user,
        title: fields.title ?? "",
        description: fields.description ?? "",
        private: fields.private ?? false,
        cards: [],
      };
      dashboards.set(`${user}/${dashboard.id}`, { dashboard, seq: ++seq });
      emitter.emit({ type: "dashboard", path: `${user}/${dashboard.id}` });
      return clone(dashboard);
    },
    async updateDashboard(owner, id, patch) {
      const current = dashboardEntry(owner, id).dashboard;
      return saveDashboard({ ...current, ...cards.checkDashboardPatch(patch) });
    },
    async deleteDashboard(owner, id) {
      dashboardEntry(owner, id);
      dashboards.delete(`${owner}/${id}`);
      emitter.emit({ type: "dashboard", path: `${owner}/${id}` });
    },
    async insertCards(owner, id, index, init: CardInit[]) {
      return saveDashboard(cards.insertCards(dashboardEntry(owner, id).dashboard, index, init, user));
    },
    async updateCard(owner, id, stack, patch: CardPatch) {
      return saveDashboard(cards.updateCard(dashboardEntry(owner, id).dashboard, stack, patch, user));
    },
    async deleteCard(owner, id, stack) {
      return saveDashboard(cards.deleteCard(dashboardEntry(owner, id).dashboard, stack, user));
    },
    subscribe: emitter.subscribe,
  };
}
