// Query options of the kit's reads, in the style of TanStack's `queryOptions`: the hooks, `prefetchStack` and the
// provider's invalidation build on them, and hosts use them with prefetchQuery, useSuspenseQuery, `select`...
//
// Every query function hands react-query's `signal` to the store, so a query that is cancelled (its last view
// unmounted, `cancelQueries`) aborts its store read. Retries belong to the store, which knows its transport
// (HttpStore retries network errors, timeouts, 5xx and 429 itself), so these options say `retry: false`:
// react-query must not repeat what the store already repeated.
import { queryOptions } from "@tanstack/react-query";
import type { StackStore } from "../../model/stackStore";
import type { Dashboard, FrameInfo, StackInfo, StackSummary } from "../../model/types";
import { dstackKeys, storeKeyOf } from "../queryKeys";
import { resolveStack } from "./queryOptions";

/** Options of every query-option factory. */
export interface QueryFactoryOptions {
  /** The store's name in query keys: the provider's `cacheKey`, when it has one (default: an id per store). */
  cacheKey?: string;
}

/** @internal the first key segment: the provider's `cacheKey`, or the store's own id. */
export const storeKeyFor = (store: StackStore, options: QueryFactoryOptions): string =>
  options.cacheKey ?? storeKeyOf(store);

/** Query options for the stacks of `user` (default: the store's user), as `useStacks` reads them. */
export function stacksQueryOptions(store: StackStore, user?: string, options: QueryFactoryOptions = {}) {
  const owner = user ?? store.user;
  return queryOptions({
    queryKey: dstackKeys.stacks(storeKeyFor(store, options), owner),
    queryFn: ({ signal }): Promise<StackSummary[]> => store.listStacks(owner, { signal }),
    retry: false,
  });
}

/** Query options for one stack (`name` or `/user/name`) with its head frame, as `useStack` reads it. */
export function stackQueryOptions(store: StackStore, stack: string, options: QueryFactoryOptions = {}) {
  const resolved = resolveStack(stack, store.user);
  return queryOptions({
    queryKey: dstackKeys.stack(storeKeyFor(store, options), resolved.path),
    queryFn: async ({ signal }): Promise<StackInfo> => {
      if (resolved.error) throw resolved.error;
      return store.getStack(resolved.ref, { signal });
    },
    retry: false,
  });
}

/** Query options for one frame (revision) of a stack; frames never change, so the data never goes stale. */
export function frameQueryOptions(
  store: StackStore,
  stack: string,
  frameId: string,
  options: QueryFactoryOptions = {},
) {
  const resolved = resolveStack(stack, store.user);
  return queryOptions({
    queryKey: dstackKeys.frame(storeKeyFor(store, options), resolved.path, frameId),
    queryFn: async ({ signal }): Promise<FrameInfo> => {
      if (resolved.error) throw resolved.error;
      return store.getFrame(resolved.ref, frameId, { signal });
    },
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

/** Query options for the dashboards of `user` (default: the store's user), as `useDashboards` reads them. */
export function dashboardsQueryOptions(store: StackStore, user?: string, options: QueryFactoryOptions = {}) {
  const owner = user ?? store.user;
  return queryOptions({
    queryKey: dstackKeys.dashboards(storeKeyFor(store, options), owner),
    queryFn: ({ signal }): Promise<Dashboard[]> => store.listDashboards(owner, { signal }),
    retry: false,
  });
}

/** Query options for one dashboard of `user` (default: the store's user), as `useDashboard` reads it. */
export function dashboardQueryOptions(store: StackStore, id: string, user?: string, options: QueryFactoryOptions = {}) {
  const owner = user ?? store.user;
  return queryOptions({
    queryKey: dstackKeys.dashboard(storeKeyFor(store, options), owner, id),
    queryFn: ({ signal }): Promise<Dashboard> => store.getDashboard(owner, id, { signal }),
    retry: false,
  });
}
