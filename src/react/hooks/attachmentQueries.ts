// Query options for one attachment: its raw bytes, decoded as `pull` decodes it, or as a table. The three share
// the frame query (for the attachment's content type) and the bytes query (so a renderer and its download button
// fetch the bytes once); a cancelled query cancels those shared fetches too when nothing else waits on them.
import { type QueryClient, queryOptions } from "@tanstack/react-query";
import { decodeAttachment, type TableParserLike } from "../../client/decode";
import { type ColumnTable, isColumnTable } from "../../model/columnTable";
import { AttachmentNotFoundError, MalformedAttachmentError } from "../../model/errors";
import type { StackStore } from "../../model/stackStore";
import type { AttachmentInfo } from "../../model/types";
import { dstackKeys } from "../queryKeys";
import { frameQueryOptions, type QueryFactoryOptions, storeKeyFor } from "./queryFactories";
import { type ResolvedStack, resolveStack } from "./queryOptions";
import { ensureShared } from "./sharedQuery";

/** An attachment by its index in the frame, or its info when the caller already has it (saves a lookup). */
export type AttachmentRef = number | AttachmentInfo;

/** Options of the attachment factories that decode. */
export interface AttachmentQueryFactoryOptions extends QueryFactoryOptions {
  /** Parses tables, e.g. `createTableParser()` of `dstack-kit/dataframe` (workers); in-thread when omitted. */
  tableParser?: TableParserLike;
}

interface Target {
  store: StackStore;
  stack: string;
  resolved: ResolvedStack;
  frameId: string;
  attachment: AttachmentRef;
  index: number;
  options: QueryFactoryOptions;
}

// The client is in a query function's context since react-query 5.6x; with an older 5.x the reads go straight to
// the store, without sharing the frame and bytes queries.
interface Context {
  signal: AbortSignal;
  client?: QueryClient | undefined;
}

function target(
  store: StackStore,
  stack: string,
  frameId: string,
  attachment: AttachmentRef,
  options: QueryFactoryOptions,
): Target {
  const resolved = resolveStack(stack, store.user);
  const index = typeof attachment === "number" ? attachment : attachment.index;
  return { store, stack, resolved, frameId, attachment, index, options };
}

/** The attachment's info: as given, or looked up in its (shared) frame. */
async function infoOf(t: Target, { signal, client }: Context): Promise<AttachmentInfo> {
  if (typeof t.attachment !== "number") return t.attachment;
  if (t.resolved.error) throw t.resolved.error;
  const frame = client
    ? await ensureShared(client, frameQueryOptions(t.store, t.resolved.ref, t.frameId, t.options), signal)
    : await t.store.getFrame(t.resolved.ref, t.frameId, { signal });
  const info = frame.attachments.find((a) => a.index === t.index);
  if (!info) throw new AttachmentNotFoundError(`frame ${t.frameId} of ${t.resolved.path} has no attachment ${t.index}`);
  return info;
}

/** The bytes as a Blob typed with the attachment's content type. */
async function loadBytes(t: Target, context: Context): Promise<Blob> {
  if (t.resolved.error) throw t.resolved.error;
  const [info, blob] = await Promise.all([
    infoOf(t, context),
    t.store.getAttachment(t.resolved.ref, t.frameId, t.index, { signal: context.signal }),
  ]);
  return blob.type === info.contentType ? blob : blob.slice(0, blob.size, info.contentType);
}

function bytesOptions(t: Target) {
  return queryOptions({
    queryKey: dstackKeys.bytes(storeKeyFor(t.store, t.options), t.resolved.path, t.frameId, t.index),
    queryFn: (context): Promise<Blob> => loadBytes(t, context),
    // Frames never change once pushed, so neither do their bytes.
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

/** The bytes through the shared bytes query when there is a client. */
function sharedBytes(t: Target, context: Context): Promise<Blob> {
  return context.client ? ensureShared(context.client, bytesOptions(t), context.signal) : loadBytes(t, context);
}

/** The table parser, told about the query's signal (a worker parse stops when the query is cancelled). */
function parserFor(parser: TableParserLike | undefined, signal: AbortSignal): { parser?: TableParserLike } {
  if (!parser) return {};
  return { parser: { parse: (input, parseOptions) => parser.parse(input, { ...parseOptions, signal }) } };
}

async function decode(t: Target, context: Context, tableParser: TableParserLike | undefined): Promise<unknown> {
  const [info, blob] = await Promise.all([infoOf(t, context), sharedBytes(t, context)]);
  return decodeAttachment(info, blob, parserFor(tableParser, context.signal));
}

/** Query options for an attachment's raw bytes: a Blob typed with its content type (`useAttachmentBytes`). */
export function attachmentBytesQueryOptions(
  store: StackStore,
  stack: string,
  frameId: string,
  attachment: AttachmentRef,
  options: QueryFactoryOptions = {},
) {
  return bytesOptions(target(store, stack, frameId, attachment, options));
}

/** Query options for an attachment decoded as `pull` decodes it (`useAttachment`). */
export function attachmentQueryOptions(
  store: StackStore,
  stack: string,
  frameId: string,
  attachment: AttachmentRef,
  options: AttachmentQueryFactoryOptions = {},
) {
  const t = target(store, stack, frameId, attachment, options);
  return queryOptions({
    queryKey: dstackKeys.attachment(storeKeyFor(store, options), t.resolved.path, frameId, t.index),
    queryFn: (context): Promise<unknown> => decode(t, context, options.tableParser),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

/** Query options for a dataframe attachment as a ColumnTable (`useTable`); another attachment is an error. */
export function tableQueryOptions(
  store: StackStore,
  stack: string,
  frameId: string,
  attachment: AttachmentRef,
  options: AttachmentQueryFactoryOptions = {},
) {
  const t = target(store, stack, frameId, attachment, options);
  return queryOptions({
    queryKey: dstackKeys.table(storeKeyFor(store, options), t.resolved.path, frameId, t.index),
    queryFn: async (context): Promise<ColumnTable> => {
      const table = await decode(t, context, options.tableParser);
      if (!isColumnTable(table)) {
        const info = await infoOf(t, context);
        throw new MalformedAttachmentError(`attachment ${info.index} (${info.contentType}) is not a table`);
      }
      return table;
    },
    staleTime: Number.POSITIVE_INFINITY,
    // A decoded table can be large; let it go soon after nothing shows it.
    gcTime: 60_000,
    retry: false,
  });
}
