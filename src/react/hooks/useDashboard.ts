import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import type { Dashboard } from "../../model/types";
import { useDstackContext } from "../context";
import { dstackKeys } from "../queryKeys";
import { type DstackQueryOptions, shouldRetry } from "./queryOptions";

/**
 * One dashboard with its cards. `user` defaults to the store's user.
 * @example const { data: dashboard } = useDashboard(id);
 */
export function useDashboard(id: string, user?: string, options: DstackQueryOptions = {}): UseQueryResult<Dashboard> {
  const { store, storeKey, pollInterval } = useDstackContext();
  const owner = user ?? store.user;
  return useQuery({
    queryKey: dstackKeys.dashboard(storeKey, owner, id),
    queryFn: () => store.getDashboard(owner, id),
    retry: shouldRetry,
    enabled: options.enabled ?? true,
    refetchInterval: options.refetchInterval ?? pollInterval,
  });
}
