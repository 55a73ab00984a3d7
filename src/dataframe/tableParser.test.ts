// createTableParser where there are no Web Workers (Node): the same parser, in-thread, with progress, abort
// and close; and nothing starts before the first parse.
import { afterEach, describe, expect, it, vi } from "vitest";
import { tableToRows } from "../model/columnTable";
import { AbortError, DstackError } from "../model/errors";
import { createTableParser } from "./tableParser";

const big = `a,b\n${"1,x\n".repeat(3_000_000)}`; // ~12 MiB: several progress slices

describe("createTableParser without workers", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("parses in-thread every input kind", async () => {
    const parser = createTableParser();
    expect(parser.mode).toBe("in-thread");
    const text = "a\tb\n1\tx\n";
    const expected = [{ a: 1, b: "x" }];
    const bytes = new TextEncoder().encode(text);
    for (const input of [text, bytes, bytes.buffer.slice(0), new Blob([text]), new DataView(bytes.buffer)]) {
      expect(tableToRows(await parser.parse(input, { format: "tsv" }))).toEqual(expected);
    }
    await parser.close();
  });

  it("reports progress up to the total", async () => {
    const parser = createTableParser({ workers: 0 });
    const calls: Array<[number, number]> = [];
    await parser.parse(big, { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls.length).toBeGreaterThan(2);
    const total = new TextEncoder().encode(big).length;
    expect(calls.at(-1)).toEqual([total, total]);
    expect(calls.every(([d], i) => i === 0 || d >= (calls[i - 1] as [number, number])[0])).toBe(true);
  });

  it("rejects with AbortError when the signal aborts, before or during the parse", async () => {
    const parser = createTableParser({ workers: 0 });
    await expect(parser.parse("a\n1\n", { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    const controller = new AbortController();
    const pending = parser.parse(big, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect((await parser.parse("a\n1\n")).rowCount).toBe(1);
  });

  it("refuses parses after close, bad options and bad inputs", async () => {
    const parser = createTableParser({ workers: 0 });
    // @ts-expect-error: not a format
    await expect(parser.parse("a", { format: "xml" })).rejects.toBeInstanceOf(DstackError);
    // @ts-expect-error: not an input
    await expect(parser.parse(42)).rejects.toBeInstanceOf(DstackError);
    expect(() => createTableParser({ workers: -1 })).toThrow(DstackError);
    await parser.close();
    await expect(parser.parse("a\n1\n")).rejects.toBeInstanceOf(AbortError);
  });

  it("starts no worker at import or creation, only on the first parse", async () => {
    const started: unknown[] = [];
    vi.stubGlobal(
      "Worker",
      class {
        constructor(url: unknown) {
          started.push(url);
        }
        addEventListener() {}
        removeEventListener() {}
        postMessage() {}
        terminate() {}
      },
    );
    vi.resetModules();
    const { createTableParser: create } = await import("./index");
    const parser = create({ workers: 2, workerUrl: "https://example.test/worker.js", inThreadBelow: 0 });
    expect(parser.mode).toBe("worker");
    expect(started).toEqual([]);
    void parser.parse(new TextEncoder().encode("a\n1\n")).catch(() => {});
    expect(started).toEqual(["https://example.test/worker.js"]);
    await parser.close();
  });
});
