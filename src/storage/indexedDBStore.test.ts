import "fake-indexeddb/auto";
import { describe, expect, it, vi } from "vitest";
import { describeIndexedDBStoreTests } from "./testing/indexedDBStoreSuite";

// Node: the same behaviour on fake-indexeddb (structured clone, transactions, versionchange) and Node's BroadcastChannel.
describeIndexedDBStoreTests("fake-indexeddb");

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
