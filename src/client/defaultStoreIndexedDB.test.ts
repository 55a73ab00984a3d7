import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { getDefaultStore, setDefaultStore } from "./defaultStore";
import { pushFrame } from "./frame";
import { pull } from "./pull";

describe("default store where indexedDB exists", () => {
  afterEach(() => {
    getDefaultStore().close?.();
    setDefaultStore(undefined);
  });

  it("is one IndexedDB store, created on first use", async () => {
    const store = getDefaultStore();
    expect(getDefaultStore()).toBe(store);
    await pushFrame("idb-notes", "# persisted");
    expect(await pull("idb-notes")).toBe("# persisted");
    expect((await store.getStack("idb-notes")).path).toBe("dstack/idb-notes");
  });
});
