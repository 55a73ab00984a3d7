import { type QueryClient, type UseQueryResult, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TableParserLike } from "../../client/decode";
import { decodeAttachment } from "../../client/decode";
import { AttachmentNotFoundError } from "../../model/errors";
import type { AttachmentInfo, FrameInfo } from "../../model/types";
import type { StackStore } from "../../storage/stackStore";
import { useDstackContext } from "../context";
import { dstackKeys } from "../queryKeys";
import { type DstackQueryOptions, resolveStack, shouldRetry } from "./queryOptions";

/** An attachment by its index in the frame, or its info when the caller already has it (saves a lookup). */
export type AttachmentRef = number | AttachmentInfo;

/** @internal shared by the attachment hooks: where an attachment lives and how to reach it. */
export interface AttachmentLocation {
  store: StackStore;
  storeKey: string;
  queryClient: QueryClient;
  path: string;
  ref: string;
  pathError: unknown;
  frameId: string;
  index: number;
  tableParser: TableParserLike | undefined;
}

export function useAttachmentLocation(stack: string, frameId: string, attachment: AttachmentRef): AttachmentLocation {
  const { store, storeKey, tableParser } = useDstackContext();
  const queryClient = useQueryClient();
  const resolved = resolveStack(stack, store.user);
  const index = typeof attachment === "number" ? attachment : attachment.index;
  return {
    store,
    storeKey,
    queryClient,
    path: resolved.path,
    ref: resolved.ref,
    pathError: resolved.error,
    frameId,
    index,
    tableParser,
  };
}

/** The attachment's info: as given, or looked up in its (cached) frame. */
export async function attachmentInfo(at: AttachmentLocation, attachment: AttachmentRef): Promise<AttachmentInfo> {
  if (typeof attachment !== "number") return attachment;
  if (at.pathError) throw at.pathError;
  const frame = await at.queryClient.ensureQueryData<FrameInfo>({
    queryKey: dstackKeys.frame(at.storeKey, at.path, at.frameId),
    queryFn: () => at.store.getFrame(at.ref, at.frameId),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const info = frame.attachments.find((a) => a.index === attachment);
  if (!info) throw new AttachmentNotFoundError(`frame ${at.frameId} of ${at.path} has no attachment ${attachment}`);
  return info;
}

/** The bytes as a Blob typed with the attachment's content type. */
async function loadBytes(at: AttachmentLocation, attachment: AttachmentRef): Promise<Blob> {
  if (at.pathError) throw at.pathError;
  const [info, blob] = await Promise.all([
    attachmentInfo(at, attachment),
    at.store.getAttachment(at.ref, at.frameId, at.index),
  ]);
  return blob.type === info.contentType ? blob : blob.slice(0, blob.size, info.contentType);
}

/** The bytes through the shared `bytes` query, so a renderer and its download button fetch them once. */
export function fetchBytes(at: AttachmentLocation, attachment: AttachmentRef): Promise<Blob> {
  return at.queryClient.ensureQueryData({
    queryKey: dstackKeys.bytes(at.storeKey, at.path, at.frameId, at.index),
    queryFn: () => loadBytes(at, attachment),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * The raw bytes of one attachment as a Blob typed with its content type (images, downloads).
 * @example const { data: blob } = useAttachmentBytes("photos", frameId, 0);
 */
export function useAttachmentBytes(
  stack: string,
  frameId: string,
  attachment: AttachmentRef,
  options: DstackQueryOptions = {},
): UseQueryResult<Blob> {
  const at = useAttachmentLocation(stack, frameId, attachment);
  return useQuery({
    queryKey: dstackKeys.bytes(at.storeKey, at.path, frameId, at.index),
    queryFn: () => loadBytes(at, attachment),
    staleTime: Number.POSITIVE_INFINITY,
    retry: shouldRetry,
    enabled: options.enabled ?? true,
  });
}

/**
 * One attachment, decoded by its content type as `pull` does: a ColumnTable for dataframes, the figure object for
 * plotly, a string for text, a Blob for images and unknown types.
 * @example const { data: figure } = useAttachment("line_plot", frameId, 2);
 */
export function useAttachment(
  stack: string,
  frameId: string,
  attachment: AttachmentRef,
  options: DstackQueryOptions = {},
): UseQueryResult<unknown> {
  const at = useAttachmentLocation(stack, frameId, attachment);
  return useQuery({
    queryKey: dstackKeys.attachment(at.storeKey, at.path, frameId, at.index),
    queryFn: async () => {
      const [info, blob] = await Promise.all([attachmentInfo(at, attachment), fetchBytes(at, attachment)]);
      return decodeAttachment(info, blob, at.tableParser ? { parser: at.tableParser } : {});
    },
    staleTime: Number.POSITIVE_INFINITY,
    retry: shouldRetry,
    enabled: options.enabled ?? true,
  });
}
