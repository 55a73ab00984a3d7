import { type UseQueryResult, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FrameInfo, StackInfo } from "../../model/types";
import { useDstackContext } from "../context";
import { dstackKeys } from "../queryKeys";
import { type DstackQueryOptions, resolveStack, shouldRetry } from "./queryOptions";

/**
 * One frame (revision) of a stack with its attachment list. Frames never change once pushed, so this is
 * fetched once; a cached stack whose head is this frame answers without a request.
 * @example const { data: frame } = useFrame("line_plot", frameId);
 */
export function useFrame(
  stack: string,
  frameId: string | undefined,
  options: DstackQueryOptions = {},
): UseQueryResult<FrameInfo> {
  const { store, storeKey } = useDstackContext();
  const queryClient = useQueryClient();
  const resolved = resolveStack(stack, store.user);
  const id = frameId ?? "";
  return useQuery({
    queryKey: dstackKeys.frame(storeKey, resolved.path, id),
    queryFn: () => {
      if (resolved.error) throw resolved.error;
      return store.getFrame(resolved.ref, id);
    },
    initialData: () => {
      const head = queryClient.getQueryData<StackInfo>(dstackKeys.stack(storeKey, resolved.path))?.head;
      return head && head.id === id ? head : undefined;
    },
    staleTime: Number.POSITIVE_INFINITY,
    retry: shouldRetry,
    enabled: (options.enabled ?? true) && frameId !== undefined,
  });
}
