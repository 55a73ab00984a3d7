import { DstackError } from "../model/errors";
import type { StackStore } from "../model/stackStore";
import { createIndexedDBStore } from "../storage/indexedDBStore";

let current: StackStore | undefined;

/** Makes the store `getDefaultStore` falls back to where nothing was set (Node: the default profile). */
export type DefaultStoreProvider = () => StackStore | undefined;

// A global symbol, not a module variable: the ESM and CJS builds of the package (and `dstack-kit/node`'s own
// bundle) each carry a copy of this module, and all must see what `dstack-kit/node` registered.
const PROVIDER = Symbol.for("dstack-kit.defaultStoreProvider");

/**
 * Registers where the default store comes from when none was set and there is no IndexedDB. `dstack-kit/node`
 * registers the default profile of ~/.dstack/config.yaml when it is imported; nothing in the main entry touches
 * the file system, so it stays safe for browsers and SSR.
 * @example registerDefaultStoreProvider(() => createMemoryStore());
 */
export function registerDefaultStoreProvider(provider: DefaultStoreProvider | undefined): void {
  (globalThis as Record<symbol, unknown>)[PROVIDER] = provider;
}

function provided(): StackStore | undefined {
  const provider = (globalThis as Record<symbol, DefaultStoreProvider | undefined>)[PROVIDER];
  return typeof provider === "function" ? provider() : undefined;
}

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
 * The store used when none is passed: the one given to {@link setDefaultStore}, else the registered provider's
 * (in Node after `import "dstack-kit/node"`: an HttpStore for the default profile of ~/.dstack/config.yaml), else
 * (where `indexedDB` exists) one IndexedDB store created on first use, else a DstackError.
 * @example const store = getDefaultStore();
 */
export function getDefaultStore(): StackStore {
  if (current) return current;
  const fromProvider = provided();
  if (fromProvider) {
    current = fromProvider;
    return current;
  }
  if (typeof indexedDB !== "undefined") {
    current = createIndexedDBStore();
    return current;
  }
  throw new DstackError(
    "no store: pass { store } (e.g. createMemoryStore() or createHttpStore(...)) or call setDefaultStore(store); " +
      'an IndexedDB store is the default only where indexedDB exists; in Node, import "dstack-kit/node" to ' +
      "use the default profile of ~/.dstack/config.yaml (dstack config add)",
    "no_store",
    500,
  );
}
