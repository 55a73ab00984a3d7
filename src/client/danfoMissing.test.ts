import { describe, expect, it, vi } from "vitest";
import { loadDanfo } from "../dataframe/danfo";
import { DstackError } from "../model/errors";
import { createMemoryStore } from "../storage/memoryStore";
import { pushFrame } from "./frame";
import { pull } from "./pull";

vi.mock("danfojs", () => {
  throw new Error("Cannot find package 'danfojs'");
});

describe("without danfojs", () => {
  it("says how to install it, and tables still pull as ColumnTable", async () => {
    await expect(loadDanfo()).rejects.toThrow(DstackError);
    await expect(loadDanfo()).rejects.toThrow(/npm install danfojs/);
    const store = createMemoryStore();
    await pushFrame({ stack: "no-danfo", data: [{ a: 1 }], store });
    await expect(pull("no-danfo", undefined, { store, as: "dataframe" })).rejects.toThrow(/danfojs is not installed/);
    expect(await pull("no-danfo", undefined, { store, as: "rows" })).toEqual([{ a: 1 }]);
  });
});
