import type { StackStore } from "../model/stackStore";

// Every store instance gets its own key segment, so two providers on two stores never share cache entries,
// and a store keeps the same keys for its whole life (keys must be stable across renders).
const storeIds = new WeakMap<StackStore, string>();
let nextStoreId = 0;

/** A stable, per-instance id for a store: the first segment of every query key of the kit. */
export function storeKeyOf(store: StackStore): string {
  let id = storeIds.get(store);
  if (id === undefined) {
    nextStoreId += 1;
    id = `store-${nextStoreId}`;
    storeIds.set(store, id);
  }
  return id;
}

/**
 * Query keys of the kit, all under `["dstack", storeKey]`. Paths are full `user/name` stack paths, so a relative
 * name and its absolute spelling share one cache entry, and store events (which carry full paths) hit them.
 * @example queryClient.invalidateQueries({ queryKey: dstackKeys.stack(storeKeyOf(store), "dstack/sales") })
 */
export const dstackKeys = {
  all: (storeKey: string) => ["dstack", storeKey] as const,
  stacks: (storeKey: string, user?: string) =>
    user === undefined ? (["dstack", storeKey, "stacks"] as const) : (["dstack", storeKey, "stacks", user] as const),
  stack: (storeKey: string, path: string) => ["dstack", storeKey, "stack", path] as const,
  frame: (storeKey: string, path: string, frameId: string) => ["dstack", storeKey, "frame", path, frameId] as const,
  /** The raw bytes of one attachment (frames are immutable, so these never go stale). */
  bytes: (storeKey: string, path: string, frameId: string, index: number) =>
    ["dstack", storeKey, "bytes", path, frameId, index] as const,
  /** The decoded attachment (`decodeAttachment`'s result). */
  attachment: (storeKey: string, path: string, frameId: string, index: number) =>
    ["dstack", storeKey, "attachment", path, frameId, index] as const,
  table: (storeKey: string, path: string, frameId: string, index: number) =>
    ["dstack", storeKey, "table", path, frameId, index] as const,
  dashboards: (storeKey: string, user?: string) =>
    user === undefined
      ? (["dstack", storeKey, "dashboards"] as const)
      : (["dstack", storeKey, "dashboards", user] as const),
  dashboard: (storeKey: string, user: string, id: string) =>
    ["dstack", storeKey, "dashboard", `${user}/${id}`] as const,
};
