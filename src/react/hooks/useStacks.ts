import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import type { StackSummary } from "../../model/types";
import { useDstackContext } from "../context";
import { stacksQueryOptions } from "./queryFactories";
import type { DstackQueryOptions } from "./queryOptions";

/**
 * The stacks of `user` (default: the store's user), newest head first; live with the store's change events.
 * @example const { data: stacks = [] } = useStacks();
 */
export function useStacks(user?: string, options: DstackQueryOptions = {}): UseQueryResult<StackSummary[]> {
  const { store, storeKey, pollInterval } = useDstackContext();
  return useQuery({
    ...stacksQueryOptions(store, user, { cacheKey: storeKey }),
    enabled: options.enabled ?? true,
    refetchInterval: options.refetchInterval ?? pollInterval,
  });
}
