import { afterEach, describe, expect, it } from "vitest";
import { DstackError } from "../model/errors";
import { createMemoryStore } from "../storage/memoryStore";
import { getDefaultStore, setDefaultStore } from "./defaultStore";
import { pushFrame } from "./frame";
import { pull } from "./pull";

describe("default store", () => {
  afterEach(() => {
    getDefaultStoreOrUndefined()?.close?.();
    setDefaultStore(undefined);
  });

  function getDefaultStoreOrUndefined() {
    try {
      return getDefaultStore();
    } catch {
      return undefined;
    }
  }

  it("explains what to do where there is no IndexedDB", async () => {
    expect(typeof indexedDB).toBe("undefined");
    expect(() => getDefaultStore()).toThrow(DstackError);
    expect(() => getDefaultStore()).toThrow(/pass \{ store \}.*setDefaultStore/);
    await expect(pull("stack")).rejects.toThrow(/setDefaultStore/);
    await expect(pushFrame("stack", "x")).rejects.toThrow(/setDefaultStore/);
  });

  it("returns the store that was set", () => {
    const store = createMemoryStore();
    setDefaultStore(store);
    expect(getDefaultStore()).toBe(store);
    expect(() => setDefaultStore({} as never)).toThrow(DstackError);
  });
});
