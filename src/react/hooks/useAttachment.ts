import { type QueryClient, type UseQueryResult, useQuery, useQueryClient } from "@tanstack/react-query";
import type { StackStore } from "../../model/stackStore";
import { useDstackContext } from "../context";
import { type AttachmentRef, attachmentBytesQueryOptions, attachmentQueryOptions } from "./attachmentQueries";
import type { DstackQueryOptions } from "./queryOptions";

export type { AttachmentRef } from "./attachmentQueries";

/** @internal where an attachment lives and how to reach it, for components that fetch it on demand. */
export interface AttachmentLocation {
  store: StackStore;
  storeKey: string;
  queryClient: QueryClient;
  stack: string;
  frameId: string;
  attachment: AttachmentRef;
}

export function useAttachmentLocation(stack: string, frameId: string, attachment: AttachmentRef): AttachmentLocation {
  const { store, storeKey } = useDstackContext();
  const queryClient = useQueryClient();
  return { store, storeKey, queryClient, stack, frameId, attachment };
}

/** The bytes through the shared bytes query, so a renderer and its download button fetch them once. */
export function fetchBytes(at: AttachmentLocation, attachment: AttachmentRef = at.attachment): Promise<Blob> {
  return at.queryClient.ensureQueryData(
    attachmentBytesQueryOptions(at.store, at.stack, at.frameId, attachment, { cacheKey: at.storeKey }),
  );
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
  const { store, storeKey } = useDstackContext();
  return useQuery({
    ...attachmentBytesQueryOptions(store, stack, frameId, attachment, { cacheKey: storeKey }),
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
  const { store, storeKey, tableParser } = useDstackContext();
  return useQuery({
    ...attachmentQueryOptions(store, stack, frameId, attachment, { cacheKey: storeKey, tableParser }),
    enabled: options.enabled ?? true,
  });
}
