import { AttachmentNotFoundError } from "../model/errors";
import { buildParamSpace, findExactAttachment } from "../model/paramSpace";
import { type Params, validateParams } from "../model/params";
import type { StackStore } from "../model/stackStore";
import type { AttachmentInfo, FrameInfo } from "../model/types";
import { type DecodeOptions, decodeAttachment, type TableParserLike, type TableShape } from "./decode";
import { getDefaultStore } from "./defaultStore";

export interface PullOptions {
  /** Where to pull from; the default store ({@link getDefaultStore}) when omitted. */
  store?: StackStore;
  /** A frame id; the stack's head when omitted. */
  frame?: string;
  /** How a table comes back: ColumnTable (default), row objects or danfojs DataFrame. */
  as?: TableShape;
  /** Parses CSV attachments, e.g. `createTableParser()` of `dstack-kit/dataframe` (Web Workers); in-thread if omitted. */
  parser?: TableParserLike;
  /** Cancels the pull: its store reads (and a parser's work) stop, and it rejects with AbortError. */
  signal?: AbortSignal;
}

const SHOWN_OPTIONS = 5;

function describeParams(params: Params): string {
  const entries = Object.entries(params);
  if (entries.length === 0) return "{}";
  return `{${entries.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ")}}`;
}

/** Index in `frame.attachments` chosen by dstack-py's pull rule, or an AttachmentNotFoundError. */
export function chooseAttachment(frame: FrameInfo, params: Params, where: string): number {
  const requested = Object.keys(params).length > 0;
  if (!requested && frame.attachments.length === 1) return 0;
  const found = findExactAttachment(buildParamSpace(frame.attachments), params);
  if (found >= 0) return found;
  const options = frame.attachments.slice(0, SHOWN_OPTIONS).map((a) => describeParams(a.params));
  const more = frame.attachments.length - options.length;
  throw new AttachmentNotFoundError(
    `no attachment of ${where} has params ${describeParams(params)}; ` +
      `available: ${options.join(", ")}${more > 0 ? ` (and ${more} more)` : ""}`,
  );
}

/** @internal the attachment `pull` picks, where it was found, and the store to read its bytes from. */
export interface PulledAttachment {
  store: StackStore;
  frame: FrameInfo;
  attachment: AttachmentInfo;
  /** `user/name (frame id)`, for messages. */
  where: string;
}

/** @internal finds the attachment `pull` would decode, without reading its bytes. */
export async function locateAttachment(
  stack: string,
  params: Params | undefined,
  options: Pick<PullOptions, "store" | "frame" | "signal">,
): Promise<PulledAttachment> {
  const wanted = validateParams(params, "params");
  const store = options.store ?? getDefaultStore();
  const read = options.signal ? { signal: options.signal } : {};
  let frame: FrameInfo;
  let where: string;
  if (options.frame !== undefined) {
    frame = await store.getFrame(stack, options.frame, read);
    where = `frame ${frame.id} of ${stack}`;
  } else {
    const info = await store.getStack(stack, read);
    if (!info.head) throw new AttachmentNotFoundError(`stack ${info.path} has no frames to pull`);
    frame = info.head;
    where = `${info.path} (frame ${frame.id})`;
  }
  const attachment = frame.attachments[chooseAttachment(frame, wanted, where)];
  if (!attachment) throw new AttachmentNotFoundError(`${where} has no attachments`);
  return { store, frame, attachment, where };
}

/** @internal decode options for a pull: its shape, and its parser told about its signal. */
export function pullDecodeOptions(options: PullOptions): DecodeOptions {
  const decodeOptions: DecodeOptions = {};
  if (options.as !== undefined) decodeOptions.as = options.as;
  const { parser, signal } = options;
  if (parser !== undefined) {
    decodeOptions.parser = signal ? { parse: (input, o) => parser.parse(input, { ...o, signal }) } : parser;
  }
  return decodeOptions;
}

/**
 * Fetches and decodes one attachment of a stack's head (or of `frame`), as dstack-py's `pull`: with no params
 * and a single attachment, that one; otherwise the first whose params equal `params` exactly.
 * Returns a ColumnTable for dataframes (see `as`), a parsed object for JSON (plotly, bokeh), a string for text
 * and a Blob for images and unknown types. `pullTable` does the same for tables, typed.
 * @example const table = await pull("sales", { region: "EU" }, { store });
 */
export async function pull(stack: string, params?: Params, options: PullOptions = {}): Promise<unknown> {
  const { store, frame, attachment } = await locateAttachment(stack, params, options);
  const read = options.signal ? { signal: options.signal } : {};
  const blob = await store.getAttachment(stack, frame.id, attachment.index, read);
  return decodeAttachment(attachment, blob, pullDecodeOptions(options));
}
