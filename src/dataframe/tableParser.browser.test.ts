// The worker pool in real Chromium with real module Workers: transfer, cancellation, errors, failures.
import { afterAll, describe, expect, it } from "vitest";
import { tableToRows } from "../model/columnTable";
import { AbortError, DstackError, ParseError } from "../model/errors";
import { parseTableSync } from "./parseTable";
import { EncodingError } from "./position";
import { createTableParser } from "./tableParser";
import { mixedCsvBytes } from "./testing/mixedCsv";

// Everything through the workers here (small inputs would otherwise be parsed in-thread).
const parser = createTableParser({ workers: 2, inThreadBelow: 0 });
afterAll(() => parser.close());

const encode = (text: string) => new TextEncoder().encode(text);

/** Resolves in a later task (a message to self), after every microtask queued before it. */
const nextTask = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });

describe("createTableParser in Chromium", () => {
  it("runs in module workers and returns typed columns", async () => {
    expect(parser.mode).toBe("worker");
    const table = await parser.parse("a,b,c,d\n1,x,true,2020-01-01\n2,x,false,\n", { format: "csv" });
    expect(table.columns.map((c) => c.values.constructor.name)).toEqual([
      "Float64Array",
      "Uint32Array",
      "Uint8Array",
      "Float64Array",
    ]);
    expect(table.columns[1]?.dictionary).toEqual(["x"]);
    expect(tableToRows(table)).toEqual([
      { a: 1, b: "x", c: true, d: new Date(Date.UTC(2020, 0, 1)) },
      { a: 2, b: "x", c: false, d: null },
    ]);
  });

  it("transfers the input: the source ArrayBuffer is detached afterwards", async () => {
    const buffer = encode("a\n1\n2\n").buffer;
    const table = await parser.parse(buffer);
    expect(table.rowCount).toBe(2);
    expect(buffer.byteLength).toBe(0);
    // A typed array over its whole buffer is transferred too; a partial view is copied and left alone.
    const whole = encode("a\n1\n");
    await parser.parse(whole);
    expect(whole.byteLength).toBe(0);
    const backing = encode("xxa\n1\n");
    const part = backing.subarray(2);
    expect((await parser.parse(part)).rowCount).toBe(1);
    expect(backing.byteLength).toBe(6);
  });

  it("reads Blobs and strings, and reports progress from the worker", async () => {
    const bytes = mixedCsvBytes(6 * 1024 * 1024);
    const calls: number[] = [];
    const table = await parser.parse(new Blob([bytes]), { onProgress: (done) => calls.push(done) });
    expect(table.columns.map((c) => c.name)).toEqual([
      "id",
      "price",
      "score",
      "active",
      "when",
      "region",
      "name",
      "comment",
    ]);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.at(-1)).toBe(bytes.length);
    expect((await parser.parse("a\tb\n1\t2\n", { format: "tsv" })).columns).toHaveLength(2);
    expect((await parser.parse('{"a":[1,2]}', { format: "json" })).rowCount).toBe(2);
  });

  it("parses a small string input on the page, from that string, as from its bytes", async () => {
    const lines = ["id,name,kind"];
    for (let r = 0; r < 5000; r++)
      lines.push(`${r},user_${(r * 7919).toString(36)},${r % 3 === 0 ? '"a ""b"""' : "c"}`);
    const text = `${lines.join("\n")}\n`;
    // The default: inputs under 2 MiB stay on the page.
    const onPage = createTableParser({ workers: 1 });
    const table = await onPage.parse(text);
    await onPage.close();
    expect(tableToRows(table)).toEqual(tableToRows(parseTableSync(encode(text))));
    expect(table.columns[1]?.values[4999]).toBe(`user_${(4999 * 7919).toString(36)}`);
    expect(table.columns[2]?.dictionary).toEqual(['a "b"', "c"]);
  });

  it("parses a large string through a worker, not ASCII past its first piece, as from its bytes", async () => {
    // Over 4 Mi UTF-16 units (more than one piece), and not ASCII past the first piece, so the bytes outgrow one
    // byte per unit and the worker gets a view of a larger buffer: the table is still the bytes' table.
    const lines = ["id,name"];
    for (let r = 0; r < 400_000; r++) lines.push(`${r},${r < 300_000 ? "plain" : "naïve 😀"} ${r % 50}`);
    const text = `${lines.join("\n")}\n`;
    expect(text.length).toBeGreaterThan(4 * 1024 * 1024);
    const table = await parser.parse(text);
    const expected = parseTableSync(encode(text));
    expect(table.rowCount).toBe(400_000);
    expect(table.columns[1]?.dictionary).toEqual(expected.columns[1]?.dictionary);
    expect(table.columns[1]?.dictionary).toContain("naïve 😀 49");
    expect(table).toEqual(expected);
  });

  it("rebuilds ParseError with its line and column, and the pool carries on", async () => {
    const error = await parser.parse('a,b\n1,"oops\n').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect([(error as ParseError).line, (error as ParseError).column]).toEqual([2, 3]);
    const encoding = await parser.parse(Uint8Array.of(0x89, 0x50, 0x4e, 0x47)).catch((e: unknown) => e);
    expect(encoding).toBeInstanceOf(EncodingError);
    expect((await parser.parse("a\n1\n")).rowCount).toBe(1);
  });

  it("cancels a running parse at once, not when the worker is done, and stays usable", async () => {
    const bytes = mixedCsvBytes(40 * 1024 * 1024);
    const controller = new AbortController();
    let outcome: Promise<string> | undefined;
    const pending = parser.parse(bytes, {
      signal: controller.signal,
      onProgress: () => {
        if (outcome) return;
        controller.abort();
        // No clock: the parse must be rejected before any other task runs (a worker's answer or a timer is a
        // task), i.e. by abort() itself, whatever the machine's load.
        outcome = Promise.race([
          pending.then(
            () => "resolved",
            (e: unknown) => (e instanceof AbortError ? "rejected before the next task" : String(e)),
          ),
          nextTask().then(() => "still pending at the next task"),
        ]);
      },
    });
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(await outcome).toBe("rejected before the next task");
    // The terminated worker is replaced on demand.
    const again = await Promise.all([parser.parse("a\n1\n"), parser.parse("a\n2\n"), parser.parse("a\n3\n")]);
    expect(again.map((t) => tableToRows(t)[0]?.a)).toEqual([1, 2, 3]);
  });

  it("cancels a queued parse without touching the running one", async () => {
    const single = createTableParser({ workers: 1 });
    const controller = new AbortController();
    const running = single.parse(mixedCsvBytes(4 * 1024 * 1024));
    const queued = single.parse("a\n1\n", { signal: controller.signal });
    controller.abort();
    await expect(queued).rejects.toBeInstanceOf(AbortError);
    expect((await running).rowCount).toBeGreaterThan(40_000);
    await single.close();
  });

  it("rejects, rather than hangs, when the worker cannot start", async () => {
    const broken = createTableParser({
      workers: 1,
      workerUrl: new URL("/no-such-worker.js", location.href),
      inThreadBelow: 0,
    });
    const error = await broken.parse("a\n1\n").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DstackError);
    expect((error as DstackError).code).toBe("worker_failed");
    await broken.close();
  });

  it("splits a large input across the workers and gives the one-worker table", async () => {
    const split = createTableParser({ workers: 2, inThreadBelow: 0, splitFrom: 256 * 1024 });
    const one = createTableParser({ workers: 1, inThreadBelow: 0 });
    try {
      const bytes = mixedCsvBytes(2 * 1024 * 1024);
      const calls: number[] = [];
      const table = await split.parse(bytes.slice(), { onProgress: (done) => calls.push(done) });
      expect(table).toEqual(await one.parse(bytes.slice()));
      expect(calls.at(-1)).toBe(bytes.length);
      // A view of part of a buffer is the caller's: split or not, the parser works on a copy and leaves it alone.
      const backing = new Uint8Array(bytes.length + 3);
      backing.set(bytes, 3);
      const part = backing.subarray(3);
      expect(await split.parse(part)).toEqual(table);
      expect(backing.byteLength).toBe(bytes.length + 3);
      expect(part[0]).toBe(bytes[0]);
      // Three pieces: the first worker sends the two others their copies.
      const three = createTableParser({ workers: 3, inThreadBelow: 0, splitFrom: 256 * 1024 });
      const input = bytes.slice();
      expect(await three.parse(input.buffer)).toEqual(table);
      expect(input.byteLength).toBe(0); // moved to the first worker, not copied on this thread
      await three.close();
      // Pieces that disagree: a column of numbers in the first half and text in the second, one empty in the
      // first half. The pieces that came finished with their own kinds are read again with the agreed ones.
      const rows = ["n,late,empty"];
      for (let i = 0; i < 60_000; i++)
        rows.push(`${i},${i < 30_000 ? i % 97 : `t${i % 13}`},${i < 30_000 ? "" : i % 7}`);
      const disagreeing = `${rows.join("\n")}\n`;
      const mixedKinds = await split.parse(disagreeing);
      expect(mixedKinds.columns.map((c) => c.type)).toEqual(["number", "string", "number"]);
      expect(mixedKinds).toEqual(await one.parse(disagreeing));
      // A quoted line break near the middle, where the cut is guessed: a piece fails, one worker reads it all.
      const text = new TextDecoder().decode(bytes);
      const middle = text.indexOf("\n", text.length >> 1);
      const row = `\n1,2.5,3,True,2020-01-01T00:00:00,north,user_x,"x\n${"y\n".repeat(4000)}z"`;
      const quoted = `${text.slice(0, middle)}${row}${text.slice(middle)}`;
      const expected = await one.parse(quoted);
      expect(await split.parse(quoted)).toEqual(expected);
      // Errors are the one-worker errors, with their line and column.
      const broken = `${text.slice(0, middle)}\n1,2,3,4,5,6,7,8,9${text.slice(middle)}`;
      const error = await split.parse(broken).catch((e: unknown) => e);
      const oneError = await one.parse(broken).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParseError);
      expect(error).toEqual(oneError);
    } finally {
      await split.close();
      await one.close();
    }
  });

  it("rejects pending parses on close", async () => {
    const closing = createTableParser({ workers: 1 });
    const pending = closing.parse(mixedCsvBytes(4 * 1024 * 1024));
    await closing.close();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    await expect(closing.parse("a\n1\n")).rejects.toBeInstanceOf(AbortError);
  });
});
