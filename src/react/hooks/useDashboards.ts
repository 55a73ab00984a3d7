import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import type { Dashboard } from "../../model/types";
import { useDstackContext } from "../context";
import { dashboardsQueryOptions } from "./queryFactories";
import type { DstackQueryOptions } from "./queryOptions";

/**
 * The dashboards of `user` (default: the store's user), newest first.
 * @example const { data: dashboards = [] } = useDashboards();
 */
export function useDashboards(user?: string, options: DstackQueryOptions = {}): UseQueryResult<Dashboard[]> {
  const { store, storeKey, pollInterval } = useDstackContext();
  return useQuery({
    ...dashboardsQueryOptions(store, user, { cacheKey: storeKey }),
    enabled: options.enabled ?? true,
    refetchInterval: options.refetchInterval ?? pollInterval,
  });
}
