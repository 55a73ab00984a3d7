// Every CSV and TSV of vega-datasets parses to the same values as d3-dsv's csvParse/tsvParse + autoType, up to
// two principled differences, both checked below:
// - Types are per column (as pandas), not per cell: a column is numeric only if every non-empty value is a
//   number. In airports.csv, d3 turns the codes "0E0" and "0B1" into the numbers 0 and 1 (`+"0B1"` is binary);
//   here the whole `iata` column stays text.
// - A date-time without an offset is UTC (as pandas reads it); d3 reads it as local time. For those values the
//   comparison uses what d3 gives in a UTC process (`new Date(text + "Z")`), so the test passes in any time zone
//   (local time would even skip values: 2010-03-14T02:00:00 does not exist in New York).
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { autoType, csvParse, tsvParse } from "d3-dsv";
import { describe, expect, it } from "vitest";
import { columnValue } from "../model/columnTable";
import { parseTableSync } from "./parseTable";

// The package's exports hide package.json: find data/ from its main module (build/index.js).
const root = join(dirname(createRequire(import.meta.url).resolve("vega-datasets")), "..", "data");
const files = readdirSync(root).filter((f) => /\.(csv|tsv)$/.test(f));
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{3})?)?$/;

/** d3's value in our terms: NaN is missing, date-times without an offset read as UTC. */
function fromD3(value: unknown, raw: string): unknown {
  if (typeof value === "number" && Number.isNaN(value)) return null;
  if (value instanceof Date) {
    return LOCAL_DATE_TIME.test(raw) ? new Date(`${raw}Z`).getTime() : value.getTime();
  }
  return value;
}

describe("vega-datasets against d3-dsv + autoType", () => {
  it("covers the package's CSV and TSV files", () => expect(files.length).toBeGreaterThanOrEqual(24));

  it.each(files)("%s", (file) => {
    const text = readFileSync(join(root, file), "utf8");
    const tsv = file.endsWith(".tsv");
    const parse = tsv ? tsvParse : csvParse;
    const raw = parse(text);
    const typed = parse(text, autoType) as unknown as Array<Record<string, unknown>>;
    const table = parseTableSync(new TextEncoder().encode(text), { format: tsv ? "tsv" : "csv" });
    expect(table.rowCount).toBe(raw.length);
    expect(table.columns.map((c) => c.name)).toEqual(raw.columns);
    const perCellTyped: string[] = [];
    for (const column of table.columns) {
      const ours = Array.from({ length: table.rowCount }, (_, r) => {
        const v = columnValue(column, r);
        return v instanceof Date ? v.getTime() : v;
      });
      if (column.type === "string") {
        // Text as written (missing for empty fields).
        expect(ours).toEqual(raw.map((row) => (row[column.name] === "" ? null : row[column.name])));
        if (typed.some((row) => typeof row[column.name] !== "string" && row[column.name] !== null)) {
          perCellTyped.push(column.name);
        }
      } else {
        expect(ours).toEqual(typed.map((row, r) => fromD3(row[column.name], raw[r]?.[column.name] ?? "")));
      }
    }
    // The only column d3 types cell by cell where we keep text.
    expect(perCellTyped).toEqual(file === "airports.csv" ? ["iata"] : []);
  });
});
