// pull / decodeAttachment hand CSV to a table parser when given one (dstack-kit/dataframe's, e.g. in workers),
// with the attachment's settings; without one they parse in-thread with the same core.
import { describe, expect, it } from "vitest";
import { PANDAS_NA_VALUES } from "../dataframe/pandasNa";
import type { ParseOptions } from "../dataframe/parseTable";
import { createTableParser } from "../dataframe/tableParser";
import { type ColumnTable, tableToRows } from "../model/columnTable";
import { MalformedAttachmentError, ParseError } from "../model/errors";
import type { AttachmentInfo } from "../model/types";
import { createMemoryStore } from "../storage/memoryStore";
import { decodeAttachment, type TableParserLike } from "./decode";
import { pushFrame } from "./frame";
import { pull } from "./pull";

function info(extra: Partial<AttachmentInfo> = {}): AttachmentInfo {
  return { index: 0, contentType: "text/csv", params: {}, length: 0, ...extra };
}

/** A parser that records what it was asked, then parses in-thread. */
function spyParser(): TableParserLike & { calls: Array<{ input: Blob | string; options: ParseOptions }> } {
  const inner = createTableParser({ workers: 0 });
  const calls: Array<{ input: Blob | string; options: ParseOptions }> = [];
  return {
    calls,
    parse(input, options) {
      calls.push({ input, options });
      return inner.parse(input, options);
    },
  };
}

describe("CSV through a table parser", () => {
  it("passes the Blob and the settings to the parser", async () => {
    const parser = spyParser();
    const settings = { header: true, index: true, schema: ["int64", "object"] };
    const blob = new Blob(['"","a"\n"0","x"\n']);
    const table = await decodeAttachment(info({ settings }), blob, { parser });
    // A schema makes it a pandas table: missing values as pandas' read_csv reads them.
    expect(parser.calls).toEqual([
      { input: blob, options: { format: "csv", ...settings, naValues: PANDAS_NA_VALUES } },
    ]);
    expect(tableToRows(table as ColumnTable)).toEqual([{ "": 0, a: "x" }]);
  });

  it("decodes other encodings to text first", async () => {
    const parser = spyParser();
    const latin1 = new Blob([Uint8Array.of(0x61, 0x0a, 0xe9, 0x0a)]);
    const rows = await decodeAttachment(info({ settings: { encoding: "latin1" } }), latin1, { parser, as: "rows" });
    expect(parser.calls[0]?.input).toBe("a\né\n");
    expect(rows).toEqual([{ a: "é" }]);
  });

  it("keeps the error contract: ParseError for bad CSV, MalformedAttachmentError for bad UTF-8", async () => {
    const parser = spyParser();
    await expect(decodeAttachment(info(), new Blob(['a\n"x\n']), { parser })).rejects.toBeInstanceOf(ParseError);
    const bad = new Blob([Uint8Array.of(0x61, 0x0a, 0xc3, 0x28, 0x0a)]);
    const error = await decodeAttachment(info(), bad, { parser }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedAttachmentError);
    expect((error as Error).message).toMatch(/line 2, column 1/);
    expect((error as Error & { cause?: unknown }).cause).toBeInstanceOf(ParseError);
  });

  it("pull forwards { parser }", async () => {
    const store = createMemoryStore();
    await pushFrame({
      stack: "tables/x",
      data: [
        { n: 1, s: "a" },
        { n: 2, s: "a" },
      ],
      description: "two rows",
      store,
    });
    const parser = spyParser();
    const table = await pull("tables/x", undefined, { store, parser });
    expect(parser.calls).toHaveLength(1);
    expect(tableToRows(table as ColumnTable)).toEqual([
      { n: 1, s: "a" },
      { n: 2, s: "a" },
    ]);
  });
});
