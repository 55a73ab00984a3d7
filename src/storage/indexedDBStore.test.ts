import "fake-indexeddb/auto";
import { describe, expect, it, vi } from "vitest";
import type { StackStore } from "../model/stackStore";
import { createIndexedDBStore } from "./indexedDBStore";
import { describeStoreConformance } from "./testing/conformance";
import { deleteTestDatabases, describeIndexedDBStore, freshDbName } from "./testing/indexedDBStoreSuite";

// Node: the same behaviour on fake-indexeddb (structured clone, transactions, versionchange) and Node's BroadcastChannel.
const dbNames = new WeakMap<StackStore, string>();
function open(user?: string, dbName = freshDbName()): StackStore {
  const store = createIndexedDBStore(user === undefined ? { dbName } : { dbName, user });
  dbNames.set(store, dbName);
  return store;
}
const openPeer = async (store: StackStore) => open(store.user, dbNames.get(store));

describeStoreConformance("indexeddb (fake-indexeddb)", async () => open(), { openPeer });
describeStoreConformance("indexeddb (fake-indexeddb, user alice)", async () => open("alice"), { openPeer });
describeIndexedDBStore("fake-indexeddb");
deleteTestDatabases();

describe("IndexedDB store without IndexedDB (SSR)", () => {
  const globals = ["indexedDB", "IDBKeyRange", "IDBObjectStore", "IDBDatabase", "BroadcastChannel"] as const;

  it("imports and creates a store with no IndexedDB or BroadcastChannel; the first call rejects clearly", async () => {
    const saved = globals.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)] as const);
    for (const name of globals) Reflect.deleteProperty(globalThis, name);
    try {
      expect(typeof indexedDB).toBe("undefined");
      expect(typeof BroadcastChannel).toBe("undefined");
      vi.resetModules();
      const fresh = await import("./indexedDBStore");
      const store = fresh.createIndexedDBStore();
      const off = store.subscribe(() => {});
      await expect(store.listStacks()).rejects.toMatchObject({ code: "indexeddb_unavailable" });
      await expect(store.getAttachment("some/stack", "f", 0)).rejects.toMatchObject({ code: "indexeddb_unavailable" });
      off();
      store.close?.();
    } finally {
      for (const [name, descriptor] of saved) if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    }
  });
});
