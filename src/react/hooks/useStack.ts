import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import type { StackInfo } from "../../model/types";
import { useDstackContext } from "../context";
import { stackQueryOptions } from "./queryFactories";
import type { DstackQueryOptions } from "./queryOptions";

/**
 * One stack with its head frame and revision list. `stack` is `name` (under the store's user) or `/user/name`.
 * Refetches when the store reports a change to this stack (another tab, a push, a head move).
 * @example const { data: stack, error } = useStack("line_plot");
 */
export function useStack(stack: string, options: DstackQueryOptions = {}): UseQueryResult<StackInfo> {
  const { store, storeKey, pollInterval } = useDstackContext();
  return useQuery({
    ...stackQueryOptions(store, stack, { cacheKey: storeKey }),
    enabled: options.enabled ?? true,
    refetchInterval: options.refetchInterval ?? pollInterval,
  });
}
