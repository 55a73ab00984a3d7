import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import type { Dashboard } from "../../model/types";
import { useDstackContext } from "../context";
import { dstackKeys } from "../queryKeys";
import { type DstackQueryOptions, shouldRetry } from "./queryOptions";

/**
 * The dashboards of `user` (default: the store's user), newest first.
 * @example const { data: dashboards = [] } = useDashboards();
 */
export function useDashboards(user?: string, options: DstackQueryOptions = {}): UseQueryResult<Dashboard[]> {
  const { store, storeKey, pollInterval } = useDstackContext();
  const owner = user ?? store.user;
  return useQuery({
    queryKey: dstackKeys.dashboards(storeKey, owner),
    queryFn: () => store.listDashboards(owner),
    retry: shouldRetry,
    enabled: options.enabled ?? true,
    refetchInterval: options.refetchInterval ?? pollInterval,
  });
}
