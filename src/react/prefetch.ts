import type { QueryClient } from "@tanstack/react-query";
import type { StackStore } from "../model/stackStore";
import type { StackInfo } from "../model/types";
import { frameQueryOptions, stackQueryOptions } from "./hooks/queryFactories";
import { resolveStack } from "./hooks/queryOptions";

/**
 * Fills a QueryClient with a stack (and its head frame) before rendering, for server rendering with content:
 * `await prefetchStack(client, store, "line_plot")`, then `dehydrate(client)` to the page and
 * `<HydrationBoundary>` on the other side; give both this call and `<DstackProvider>` the same `cacheKey`.
 * The same as `queryClient.fetchQuery(stackQueryOptions(store, stack, { cacheKey }))` plus the head frame's entry.
 */
export async function prefetchStack(
  queryClient: QueryClient,
  store: StackStore,
  stack: string,
  options: { cacheKey?: string } = {},
): Promise<StackInfo> {
  const resolved = resolveStack(stack, store.user);
  if (resolved.error) throw resolved.error;
  const info = await queryClient.fetchQuery(stackQueryOptions(store, stack, options));
  if (info.head) queryClient.setQueryData(frameQueryOptions(store, stack, info.head.id, options).queryKey, info.head);
  return info;
}
