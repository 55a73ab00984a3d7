// naValues through real module Workers in Chromium: the option crosses to the worker and the table that comes
// back equals the in-thread parse (pandas attachments decoded by pull with a parser, and a larger generated file).
import { afterAll, describe, expect, it } from "vitest";
import { decodeAttachment } from "../client/decode";
import type { ColumnTable } from "../model/columnTable";
import { PANDAS_NA_VALUES } from "./pandasNa";
import { parseTableSync } from "./parseTable";
import { createTableParser } from "./tableParser";
import { PANDAS_FRAME_CSV, PANDAS_FRAME_INFO, PANDAS_FRAME_ROWS } from "./testing/pandasCsv";
import { normalize } from "./testing/tables";

const parser = createTableParser({ workers: 1 });
afterAll(() => parser.close());

describe("naValues in a worker", () => {
  it("decodes a pandas attachment as the in-thread decoder does", async () => {
    expect(parser.mode).toBe("worker");
    const blob = new Blob([PANDAS_FRAME_CSV]);
    const viaWorker = (await decodeAttachment(PANDAS_FRAME_INFO, blob, { parser })) as ColumnTable;
    const inThread = (await decodeAttachment(PANDAS_FRAME_INFO, blob)) as ColumnTable;
    expect(normalize(viaWorker)).toEqual(normalize(inThread));
    expect(await decodeAttachment(PANDAS_FRAME_INFO, blob, { parser, as: "rows" })).toEqual(PANDAS_FRAME_ROWS);
  });

  it("gives the in-thread table for a file of many NA strings, dictionary-encoded or not", async () => {
    const na = ["", "NA", "nan", "NULL", "<NA>", "n/a"];
    const lines = ['"","x","s","t","b"'];
    for (let r = 0; r < 20_000; r++) {
      const x = r % 7 === 0 ? (na[r % na.length] as string) : String(r / 8);
      const s = r % 5 === 0 ? (na[r % na.length] as string) : `s${r % 40}`;
      const t = r % 3 === 0 ? (na[r % na.length] as string) : `text ${r}`;
      const b = r % 11 === 0 ? (na[r % na.length] as string) : r % 2 ? "True" : "False";
      lines.push([r, x, s, t, b].map((v) => `"${v}"`).join(","));
    }
    const text = `${lines.join("\n")}\n`;
    for (const dictionary of [true, false]) {
      const options = { naValues: PANDAS_NA_VALUES, index: true, dictionary };
      const viaWorker = await parser.parse(text, options);
      const inThread = parseTableSync(text, options);
      expect(normalize(viaWorker)).toEqual(normalize(inThread));
      expect(viaWorker.columns.map((c) => c.type)).toEqual(["number", "number", "string", "string", "boolean"]);
      expect(viaWorker.columns.map((c) => c.nulls?.reduce((n, v) => n + v, 0))).toEqual([
        undefined,
        2858,
        4000,
        6667,
        1819,
      ]);
    }
  });
});
