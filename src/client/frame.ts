import { InvalidRequestError } from "../model/errors";
import { type Params, validateParams } from "../model/params";
import type { StackStore } from "../model/stackStore";
import type { AttachmentPush, FramePush, PushOptions, PushResult } from "../model/types";
import { getDefaultStore } from "./defaultStore";
import { encodeAttachment } from "./encode";

/** What `createFrame` takes: where to push and the frame's own params. */
export interface FrameOptions {
  /** Where to push; the default store ({@link getDefaultStore}) when omitted. */
  store?: StackStore;
  /** Frame-level params. */
  params?: Params;
}

/** Who may read a stack: its owner (and those it is shared with) only, or everyone. */
export type StackAccess = "private" | "public";

/** What `frame.push()` takes: the store's push options, the commit message and the stack's access. */
export interface FramePushOptions extends PushOptions {
  /** Commit message of the frame. */
  message?: string;
  /**
   * Sets the stack's access together with the frame, as dstack-py's `push(..., access=...)`: the frame is never
   * visible under the old access. Omitted: a new stack is public, an existing one keeps its access.
   */
  access?: StackAccess;
}

function accessFlag(access: unknown): boolean | undefined {
  if (access === undefined) return undefined;
  if (access === "private" || access === "public") return access === "private";
  throw new InvalidRequestError(`access must be "private" or "public", got ${JSON.stringify(String(access))}`);
}

/** Collects attachments for one frame; `push()` stores them all at once. */
export interface FrameBuilder {
  readonly stack: string;
  /** Number of committed attachments. */
  readonly size: number;
  /** Encodes `obj` now (bad objects or params throw here) and adds it to the frame. */
  commit(obj: unknown, description?: string, params?: Params): FrameBuilder;
  /** Pushes the committed attachments as one new frame (a new id each call) and moves the head to it. */
  push(options?: FramePushOptions): Promise<PushResult>;
}

/**
 * Starts a frame of `stack` (`name` under the store's user, or `/user/name`), as dstack-py's `create_frame`.
 * @example await createFrame("sales").commit(table, "by region", { region: "EU" }).push({ message: "Q3" });
 */
export function createFrame(stack: string, options: FrameOptions = {}): FrameBuilder {
  const frameParams = validateParams(options.params, "frame params");
  const attachments: AttachmentPush[] = [];
  const builder: FrameBuilder = {
    stack,
    get size() {
      return attachments.length;
    },
    commit(obj, description, params) {
      attachments.push(encodeAttachment(obj, description, params));
      return builder;
    },
    async push(pushOptions = {}) {
      if (attachments.length === 0) throw new InvalidRequestError("nothing to push: call commit() first");
      const { message, signal, onProgress, onUpload } = pushOptions;
      const isPrivate = accessFlag(pushOptions.access);
      const store = options.store ?? getDefaultStore();
      const frame: FramePush = {
        stack,
        id: crypto.randomUUID(),
        timestamp: Date.now(),
        params: frameParams,
        attachments: [...attachments],
      };
      if (message !== undefined) frame.message = message;
      if (isPrivate !== undefined) frame.private = isPrivate;
      const storeOptions: PushOptions = {};
      if (signal) storeOptions.signal = signal;
      if (onProgress) storeOptions.onProgress = onProgress;
      if (onUpload) storeOptions.onUpload = onUpload;
      return store.push(frame, storeOptions);
    },
  };
  return builder;
}

/** pushFrame's object form: every argument by name. */
export interface PushFrameInput extends FramePushOptions {
  /** Where to push; the default store ({@link getDefaultStore}) when omitted. */
  store?: StackStore;
  /** `name` under the store's user, or `/user/name`. */
  stack: string;
  /** The object to push: a figure, a table or rows, a string, a Blob... (what `commit` takes). */
  data: unknown;
  /** The attachment's description. */
  description?: string;
  /** The attachment's params (the positional form's fourth argument). */
  params?: Params;
  /** Frame-level params (the positional form's `options.params`). */
  frameParams?: Params;
}

const INPUT_KEYS: ReadonlySet<string> = new Set<keyof PushFrameInput>([
  "stack",
  "data",
  "description",
  "params",
  "frameParams",
  "message",
  "access",
  "store",
  "signal",
  "onProgress",
  "onUpload",
]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The object form's arguments in positional order. The rule: the positional form always starts with the stack, a
 * string; a plain object first is the object form, which must come alone, have a string `stack` and a `data` key
 * (possibly undefined, so a missing object is not mistaken for another form) and no other keys than PushFrameInput's.
 */
function fromInput(
  input: Record<string, unknown>,
  rest: unknown[],
): [string, unknown, string?, Params?, (FrameOptions & FramePushOptions)?] {
  if (rest.some((arg) => arg !== undefined)) {
    throw new InvalidRequestError("pushFrame({ stack, data, ... }) takes one argument; put every option in the object");
  }
  if (typeof input.stack !== "string" || !Object.hasOwn(input, "data")) {
    throw new InvalidRequestError("pushFrame's object form needs a string `stack` and a `data` key");
  }
  const unknown = Object.keys(input).filter((key) => !INPUT_KEYS.has(key));
  if (unknown.length > 0) {
    throw new InvalidRequestError(
      `pushFrame does not take ${unknown.map((k) => JSON.stringify(k)).join(", ")}; it takes ${[...INPUT_KEYS].join(", ")}`,
    );
  }
  const { stack, data, description, params, frameParams, ...options } = input as unknown as PushFrameInput;
  const pushOptions: FrameOptions & FramePushOptions = options;
  if (frameParams !== undefined) pushOptions.params = frameParams;
  return [stack, data, description, params, pushOptions];
}

/**
 * Pushes one object as a one-attachment frame, as dstack-py's `push_frame`.
 * @example await pushFrame({ stack: "hello", data: "# Hello, world", description: "a greeting", store });
 */
export function pushFrame(input: PushFrameInput): Promise<PushResult>;
/**
 * Pushes one object as a one-attachment frame, as dstack-py's `push_frame(stack, obj, description, params)`.
 * @example await pushFrame("hello", "# Hello, world", "a greeting", undefined, { store, access: "private" });
 */
export function pushFrame(
  stack: string,
  obj: unknown,
  description?: string,
  params?: Params,
  options?: FrameOptions & FramePushOptions,
): Promise<PushResult>;
export function pushFrame(first: string | PushFrameInput, ...rest: unknown[]): Promise<PushResult> {
  try {
    const [stack, obj, description, params, options = {}] = isPlainObject(first)
      ? fromInput(first, rest)
      : ([first, ...rest] as [string, unknown, string?, Params?, (FrameOptions & FramePushOptions)?]);
    const { store, params: frameParams, ...pushOptions } = options;
    const frameOptions: FrameOptions = {};
    if (store) frameOptions.store = store;
    if (frameParams) frameOptions.params = frameParams;
    return createFrame(stack, frameOptions).commit(obj, description, params).push(pushOptions);
  } catch (error) {
    return Promise.reject(error);
  }
}
