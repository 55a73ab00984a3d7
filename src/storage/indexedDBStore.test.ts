import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { createIndexedDBStore } from "./indexedDBStore";
import { deleteTestDatabases, describeIndexedDBStore, freshDbName } from "./indexedDBStore.suite";
import type { StackStore } from "./stackStore";
import { describeStoreConformance } from "./testing/conformance";

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
  it("can be created, and its first call rejects with a clear error", async () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, "indexedDB");
    Reflect.deleteProperty(globalThis, "indexedDB");
    try {
      expect(typeof indexedDB).toBe("undefined");
      const store = createIndexedDBStore();
      await expect(store.listStacks()).rejects.toMatchObject({ code: "indexeddb_unavailable" });
      const off = store.subscribe(() => {});
      off();
      store.close?.();
    } finally {
      if (saved) Object.defineProperty(globalThis, "indexedDB", saved);
    }
  });
});
