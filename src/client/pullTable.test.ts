// pullTable: pull's rule, typed for tables; a clear refusal for other attachments; cancellation through `signal`.
import { describe, expect, it } from "vitest";
import { columnValue, isColumnTable } from "../model/columnTable";
import { AbortError, AttachmentNotFoundError, InvalidRequestError } from "../model/errors";
import type { ReadOptions, StackStore } from "../model/stackStore";
import { createMemoryStore } from "../storage/memoryStore";
import type { TableParserLike } from "./decode";
import { createFrame, pushFrame } from "./frame";
import { pull } from "./pull";
import { pullTable } from "./pullTable";

/** `base` whose attachment reads are counted and remember their signal. */
function watched(base: StackStore) {
  const reads: Array<AbortSignal | undefined> = [];
  const store = Object.assign(Object.create(base) as StackStore, {
    getAttachment: (stack: string, frameId: string, index: number, options?: ReadOptions) => {
      reads.push(options?.signal);
      return base.getAttachment(stack, frameId, index, options);
    },
  });
  return { store, reads };
}

describe("pullTable", () => {
  it("returns the dataframe chosen by pull's rule as a ColumnTable, from the head or an older frame", async () => {
    const store = createMemoryStore();
    const first = await createFrame("sales", { store })
      .commit([{ region: "EU", n: 1 }], "EU", { region: "EU" })
      .commit([{ region: "US", n: 2 }], "US", { region: "US" })
      .push();
    await pushFrame({ stack: "sales", data: [{ region: "EU", n: 10 }], params: { region: "EU" }, store });

    const head = await pullTable("sales", { region: "EU" }, { store });
    expect(isColumnTable(head)).toBe(true);
    expect(columnValue(head.columns[1] as (typeof head.columns)[number], 0)).toBe(10);
    const old = await pullTable("sales", { region: "US" }, { store, frame: first.frameId });
    expect(old.rowCount).toBe(1);
    expect(columnValue(old.columns[1] as (typeof old.columns)[number], 0)).toBe(2);
    expect(await pull("sales", { region: "EU" }, { store })).toEqual(head);
    await expect(pullTable("sales", { region: "Mars" }, { store })).rejects.toBeInstanceOf(AttachmentNotFoundError);
  });

  it("refuses an attachment that is not a table, naming its type, before reading its bytes", async () => {
    const { store, reads } = watched(createMemoryStore());
    await pushFrame({ stack: "plot", data: { data: [{ type: "bar", x: [1], y: [2] }] }, store });
    const error = await pullTable("plot", undefined, { store }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toMatch(/application\/json, not a table/);
    expect(reads).toHaveLength(0);
  });

  it("hands its signal to the store reads and the parser; an aborted pull rejects with AbortError", async () => {
    const { store, reads } = watched(createMemoryStore());
    await pushFrame({ stack: "rows", data: [{ a: 1 }], store });
    const seen: Array<AbortSignal | undefined> = [];
    const parser: TableParserLike = {
      parse: async (_input, options) => {
        seen.push(options.signal);
        return { rowCount: 0, columns: [] };
      },
    };
    const controller = new AbortController();
    await pullTable("rows", undefined, { store, parser, signal: controller.signal });
    expect(reads).toEqual([controller.signal]);
    expect(seen).toEqual([controller.signal]);

    await expect(pullTable("rows", undefined, { store, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      AbortError,
    );
    const during = new AbortController();
    const pending = pull("rows", undefined, { store, signal: during.signal });
    during.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });
});
