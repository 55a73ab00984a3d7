import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import type { Dashboard } from "../../model/types";
import { useDstackContext } from "../context";
import { dashboardQueryOptions } from "./queryFactories";
import type { DstackQueryOptions } from "./queryOptions";

/**
 * One dashboard with its cards. `user` defaults to the store's user.
 * @example const { data: dashboard } = useDashboard(id);
 */
export function useDashboard(id: string, user?: string, options: DstackQueryOptions = {}): UseQueryResult<Dashboard> {
  const { store, storeKey, pollInterval } = useDstackContext();
  return useQuery({
    ...dashboardQueryOptions(store, id, user, { cacheKey: storeKey }),
    enabled: options.enabled ?? true,
    refetchInterval: options.refetchInterval ?? pollInterval,
  });
}
