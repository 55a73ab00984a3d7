import { afterEach, describe, expect, it } from "vitest";
import { type ColumnTable, columnValue, rowsToTable, tableToRows } from "../model/columnTable";
import {
  AbortError,
  AttachmentNotFoundError,
  InvalidRequestError,
  StackNotFoundError,
  UnsupportedObjectError,
} from "../model/errors";
import type { FramePush, PushOptions } from "../model/types";
import { createMemoryStore } from "../storage/memoryStore";
import { setDefaultStore } from "./defaultStore";
import { createFrame, pushFrame } from "./frame";
import { pull } from "./pull";

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

/** Every column's values through columnValue: what "equal values" means across storage shapes. */
function valuesOf(table: ColumnTable): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const column of table.columns) {
    out[column.name] = Array.from({ length: table.rowCount }, (_, r) => columnValue(column, r));
  }
  return out;
}

const tricky: ColumnTable = {
  rowCount: 4,
  columns: [
    {
      name: "n",
      type: "number",
      values: Float64Array.of(1, 2.5, Number.NaN, -0.125),
      nulls: Uint8Array.of(0, 0, 1, 0),
    },
    { name: "i", type: "number", values: Float64Array.of(1, 2, 3, 4) },
    { name: "b", type: "boolean", values: Uint8Array.of(1, 0, 0, 1), nulls: Uint8Array.of(0, 0, 1, 0) },
    { name: "t", type: "boolean", values: Uint8Array.of(1, 0, 0, 1) },
    {
      name: "d",
      type: "date",
      values: Float64Array.of(Date.UTC(2020, 0, 2, 3, 4, 5, 678), 0, Number.NaN, -86_400_000),
    },
    {
      name: "s",
      type: "string",
      values: ["a,b", 'say "hi"', "multi\nline\r\nend", ""],
      nulls: Uint8Array.of(0, 0, 0, 0),
    },
    { name: "z", type: "string", values: ["x", "", "", "True"], nulls: Uint8Array.of(0, 1, 0, 0) },
    {
      name: "c",
      type: "string",
      values: Uint32Array.of(2, 0, 1, 2),
      dictionary: ["lo", "mid", "hi, really"],
      nulls: Uint8Array.of(0, 0, 1, 0),
    },
  ],
};

/** tricky's values as pandas (and so pull) reads its push: the empty strings are missing. */
const emptyAsMissing = {
  s: ["a,b", 'say "hi"', "multi\nline\r\nend", null],
  z: ["x", null, null, "True"],
};

describe("push and pull", () => {
  afterEach(() => setDefaultStore(undefined));

  it("round-trips a table with nulls, dates, booleans, tricky strings and a dictionary column", async () => {
    const store = createMemoryStore();
    const result = await pushFrame("tables/tricky", tricky, "tricky table", undefined, { store, message: "first" });
    expect(result.stack).toBe("dstack/tables/tricky");
    const back = (await pull("tables/tricky", undefined, { store })) as ColumnTable;
    expect(back.rowCount).toBe(4);
    expect(back.columns.map((c) => [c.name, c.type, c.dtype])).toEqual([
      ["n", "number", "float64"],
      ["i", "number", "int64"],
      ["b", "boolean", "boolean"],
      ["t", "boolean", "bool"],
      ["d", "date", "datetime64[ns]"],
      ["s", "string", "object"],
      ["z", "string", "object"],
      ["c", "string", "object"],
    ]);
    // Empty strings come back missing: the push is a pandas table, read as pandas' read_csv reads it.
    expect(valuesOf(back)).toEqual({ ...valuesOf(tricky), ...emptyAsMissing });
    expect(valuesOf(back).c).toEqual(["hi, really", "lo", null, "hi, really"]);
    const stack = await store.getStack("tables/tricky");
    expect(stack.head?.message).toBe("first");
    expect(stack.head?.attachments[0]).toMatchObject({ description: "tricky table", application: "pandas/dataframe" });
  });

  it("keeps the index column and pulls rows on request", async () => {
    const store = createMemoryStore();
    const table: ColumnTable = {
      ...rowsToTable([
        { k: "r1", v: 1 },
        { k: "r2", v: 2 },
      ]),
      index: "k",
    };
    await pushFrame("indexed", table, undefined, undefined, { store });
    const back = (await pull("indexed", undefined, { store })) as ColumnTable;
    expect(back.index).toBe("k");
    expect(await pull("indexed", undefined, { store, as: "rows" })).toEqual([
      { k: "r1", v: 1 },
      { k: "r2", v: 2 },
    ]);
  });

  it("round-trips row objects, a plotly figure, an image Blob and markdown", async () => {
    const store = createMemoryStore();
    const rows = [
      { city: "Oslo", pop: 700_000, capital: true, founded: new Date(Date.UTC(1040, 0, 1)) },
      { city: 'Quote "city", Inc', pop: null, capital: false, founded: null },
    ];
    const figure = { data: [{ x: [1, 2, 3], y: [2, 1, 3], type: "bar" }], layout: { title: { text: "Bars" } } };
    const png = new Blob([Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7)], { type: "image/png" });
    await createFrame("mixed", { store, params: { owner: "me" } })
      .commit(rows, "rows", { kind: "rows" })
      .commit(figure, "chart", { kind: "plotly" })
      .commit(png, "picture", { kind: "image" })
      .commit("# Notes\n\n*emphasis*", "notes", { kind: "markdown" })
      .push({ message: "four things" });
    expect(await pull("mixed", { kind: "rows" }, { store, as: "rows" })).toEqual(rows);
    expect(await pull("mixed", { kind: "plotly" }, { store })).toEqual(figure);
    const image = (await pull("mixed", { kind: "image" }, { store })) as Blob;
    expect(image.type).toBe("image/png");
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(new Uint8Array(await png.arrayBuffer()));
    expect(await pull("mixed", { kind: "markdown" }, { store })).toBe("# Notes\n\n*emphasis*");
    const head = (await store.getStack("mixed")).head;
    expect(head?.params).toEqual({ owner: "me" });
    expect(head?.attachments.map((a) => [a.contentType, a.application])).toEqual([
      ["text/csv", "pandas/dataframe"],
      ["application/json", "plotly"],
      ["image/png", "image"],
      ["text/markdown", undefined],
    ]);
  });

  it("follows dstack-py's pull rule", async () => {
    const store = createMemoryStore();
    await pushFrame("single", "only one", undefined, { a: 1 }, { store });
    // No params and one attachment: that one, whatever its params.
    expect(await pull("single", undefined, { store })).toBe("only one");
    const frame = createFrame("multi", { store });
    for (let run = 1; run <= 7; run++) frame.commit(`run ${run}`, undefined, { run, fast: run % 2 === 0 });
    frame.commit("plain");
    await frame.push();
    expect(await pull("multi", { fast: true, run: 4 }, { store })).toBe("run 4");
    // No params and several attachments: the first without params.
    expect(await pull("multi", {}, { store })).toBe("plain");
    // A subset of an attachment's params is not an exact match.
    const error = await rejection(pull("multi", { run: 4 }, { store }));
    expect(error).toBeInstanceOf(AttachmentNotFoundError);
    expect(error.message).toBe(
      "no attachment of dstack/multi (frame " +
        (await store.getStack("multi")).head?.id +
        ") has params {run: 4}; available: {run: 1, fast: false}, {run: 2, fast: true}, {run: 3, fast: false}, " +
        "{run: 4, fast: true}, {run: 5, fast: false} (and 3 more)",
    );
  });

  it("pulls an older frame by id", async () => {
    const store = createMemoryStore();
    const first = await pushFrame("history", "v1", undefined, undefined, { store });
    await pushFrame("history", "v2", undefined, undefined, { store });
    expect(await pull("history", undefined, { store })).toBe("v2");
    expect(await pull("history", undefined, { store, frame: first.frameId })).toBe("v1");
  });

  it("uses the default store", async () => {
    const store = createMemoryStore({ user: "alice" });
    setDefaultStore(store);
    const result = await pushFrame("notes", "# hi");
    expect(result.stack).toBe("alice/notes");
    expect(await pull("notes")).toBe("# hi");
  });

  it("refuses an empty push, bad objects and bad params at commit time", async () => {
    const store = createMemoryStore();
    const frame = createFrame("xxx", { store });
    const error = await rejection(frame.push());
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toBe("nothing to push: call commit() first");
    expect(() => frame.commit(new WeakMap())).toThrow(UnsupportedObjectError);
    expect(() => frame.commit("x", undefined, { bad: null } as never)).toThrow(InvalidRequestError);
    expect(() => createFrame("xxx", { store, params: { bad: [] } as never })).toThrow(/frame params\.bad/);
    expect(frame.size).toBe(0);
    await expect(pushFrame("xxx", Symbol("nope"), undefined, undefined, { store })).rejects.toThrow(
      UnsupportedObjectError,
    );
    await expect(store.getStack("xxx")).rejects.toThrow(StackNotFoundError);
  });

  it("passes signal and onProgress to the store", async () => {
    const store = createMemoryStore();
    const progress: number[] = [];
    await createFrame("ppp", { store })
      .commit("a")
      .commit("b")
      .push({ onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([1, 2]);
    const controller = new AbortController();
    controller.abort();
    await expect(pushFrame("qqq", "a", undefined, undefined, { store, signal: controller.signal })).rejects.toThrow(
      AbortError,
    );
  });

  it("hands onUpload to the store's push, from both forms", async () => {
    const store = createMemoryStore();
    const seen: Array<PushOptions | undefined> = [];
    const spy = {
      ...store,
      push: (frame: FramePush, options?: PushOptions) => {
        seen.push(options);
        return store.push(frame, options);
      },
    };
    const onUpload = () => {};
    await createFrame("up1", { store: spy }).commit("a").push({ onUpload });
    await pushFrame({ stack: "up2", data: "a", store: spy, onUpload });
    expect(seen.map((options) => options?.onUpload)).toEqual([onUpload, onUpload]);
  });

  it("reports missing stacks, frames and headless stacks", async () => {
    const store = createMemoryStore();
    await expect(pull("nothing", undefined, { store })).rejects.toThrow(StackNotFoundError);
    await pushFrame("one", "x", undefined, undefined, { store });
    await expect(pull("one", undefined, { store, frame: "nope" })).rejects.toThrow(/frame not found/);
    const headless = {
      ...store,
      getStack: async (path: string) => ({ ...(await store.getStack(path)), head: null }),
    };
    const error = await rejection(pull("one", undefined, { store: headless }));
    expect(error).toBeInstanceOf(AttachmentNotFoundError);
    expect(error.message).toMatch(/has no frames/);
  });

  it("gives the same rows back from a pulled table", async () => {
    const store = createMemoryStore();
    await pushFrame("ttt", tricky, undefined, undefined, { store });
    const expected = tableToRows(tricky).map((row, r) => ({ ...row, s: emptyAsMissing.s[r], z: emptyAsMissing.z[r] }));
    expect(tableToRows((await pull("ttt", undefined, { store })) as ColumnTable)).toEqual(expected);
  });

  it("sets the stack's access with the frame: pushFrame and createFrame().push take { access }", async () => {
    const store = createMemoryStore();
    const heard: boolean[] = [];
    const off = store.subscribe(() => void store.getStack("acl").then((s) => heard.push(s.private)));
    await pushFrame("acl", "# secret", undefined, undefined, { store, access: "private" });
    expect((await store.getStack("acl")).private).toBe(true);
    await createFrame("acl", { store }).commit("# still").push({ message: "no access named" });
    expect(await store.getStack("acl")).toMatchObject({ private: true, head: { message: "no access named" } });
    await createFrame("acl", { store }).commit("# open").push({ access: "public" });
    expect((await store.getStack("acl")).private).toBe(false);
    off();
    // Every change was one commit: the first thing anyone heard was already private.
    expect(heard[0]).toBe(true);
    for (const access of ["secret", "PRIVATE", true]) {
      const error = await rejection(
        pushFrame("acl-bad", "x", undefined, undefined, { store, access: access as unknown as "private" }),
      );
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error.message).toMatch(/access must be "private" or "public"/);
    }
    await expect(store.getStack("acl-bad")).rejects.toThrow(StackNotFoundError);
  });
});
