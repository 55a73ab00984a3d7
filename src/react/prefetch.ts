import type { QueryClient } from "@tanstack/react-query";
import type { StackInfo } from "../model/types";
import type { StackStore } from "../storage/stackStore";
import { resolveStack } from "./hooks/queryOptions";
import { dstackKeys, storeKeyOf } from "./queryKeys";

/**
 * Fills a QueryClient with a stack (and its head frame) before rendering, for server rendering with content:
 * `await prefetchStack(client, store, "line_plot")`, then `dehydrate(client)` to the page and
 * `<HydrationBoundary>` on the other side; give both this call and `<DstackProvider>` the same `cacheKey`.
 */
export async function prefetchStack(
  queryClient: QueryClient,
  store: StackStore,
  stack: string,
  options: { cacheKey?: string } = {},
): Promise<StackInfo> {
  const resolved = resolveStack(stack, store.user);
  if (resolved.error) throw resolved.error;
  const storeKey = options.cacheKey ?? storeKeyOf(store);
  const info = await queryClient.fetchQuery({
    queryKey: dstackKeys.stack(storeKey, resolved.path),
    queryFn: () => store.getStack(resolved.ref),
  });
  if (info.head) queryClient.setQueryData(dstackKeys.frame(storeKey, resolved.path, info.head.id), info.head);
  return info;
}
