import { type UseQueryResult, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FrameInfo, StackInfo } from "../../model/types";
import { useDstackContext } from "../context";
import { frameQueryOptions, stackQueryOptions } from "./queryFactories";
import type { DstackQueryOptions } from "./queryOptions";

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
  const id = frameId ?? "";
  const stackKey = stackQueryOptions(store, stack, { cacheKey: storeKey }).queryKey;
  return useQuery({
    ...frameQueryOptions(store, stack, id, { cacheKey: storeKey }),
    initialData: () => {
      const head = queryClient.getQueryData<StackInfo>(stackKey)?.head;
      return head && head.id === id ? head : undefined;
    },
    enabled: (options.enabled ?? true) && frameId !== undefined,
  });
}
