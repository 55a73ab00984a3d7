import { DstackError } from "../model/errors";
import { createIndexedDBStore } from "../storage/indexedDBStore";
import type { StackStore } from "../storage/stackStore";

let current: StackStore | undefined;

/**
 * Sets the store that `createFrame`, `pushFrame` and `pull` use when no `{ store }` is given; `undefined` resets
 * to the built-in default.
 * @example setDefaultStore(createMemoryStore());
 */
export function setDefaultStore(store: StackStore | undefined): void {
  if (store !== undefined && (typeof store !== "object" || store === null || typeof store.push !== "function")) {
    throw new DstackError("setDefaultStore needs a StackStore", "invalid_store", 400);
  }
  current = store;
}

/**
 * The store used when none is passed: the one given to {@link setDefaultStore}, else (where `indexedDB` exists)
 * one IndexedDB store created on first use, else a DstackError.
 * @example const store = getDefaultStore();
 */
export function getDefaultStore(): StackStore {
  if (current) return current;
  if (typeof indexedDB !== "undefined") {
    current = createIndexedDBStore();
    return current;
  }
  throw new DstackError(
    "no store: pass { store } (e.g. createMemoryStore() or createHttpStore(...)) or call setDefaultStore(store); " +
      "an IndexedDB store is the default only where indexedDB exists",
    "no_store",
    500,
  );
}
