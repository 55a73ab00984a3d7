// Wide tables: what a column costs must follow its data, not be a fixed buffer per column (a 0.9 MB CSV of
// 150,000 columns took 3.3 s and 890 MB with ~6 KB of buffers per string column). Measured deterministically:
// the bytes of the column buffers the reader holds at the end of its pass, and of the buffers its result keeps.
import { describe, expect, it } from "vitest";
import { CsvReader } from "./csvReader";
import { type PackedTable, transferables, unpackTable } from "./packedTable";
import { parseTableSync } from "./parseTable";

const row = (cols: number, cell: (c: number) => string) => Array.from({ length: cols }, (_, c) => cell(c)).join(",");
const header = (cols: number) => row(cols, (c) => `c${c}`);

/** Reads `text`; returns the input size, the reader's column buffers after its pass, and the result's buffers. */
function measure(text: string) {
  const bytes = new TextEncoder().encode(text);
  const reader = new CsvReader(bytes);
  while (!reader.done) reader.step();
  const during = reader.columnBufferBytes();
  const table: PackedTable = reader.read();
  const kept = transferables(table).reduce((sum, buffer) => sum + buffer.byteLength, 0);
  return { input: bytes.length, during: during / bytes.length, kept: kept / bytes.length, table };
}

describe("wide tables", () => {
  it("20,000 string columns and one row: column buffers a small multiple of the input", () => {
    const { during, kept, table } = measure(`${header(20_000)}\n${row(20_000, (c) => `v${c % 3}`)}\n`);
    expect(table.columns).toHaveLength(20_000);
    // Was ~250x (1 KiB pool, 64 dictionary entries and 128 hash slots per column before any value). Now a
    // value's bytes, its code, one dictionary entry and four hash slots: ~50 bytes for ~8 bytes of input.
    expect(during).toBeLessThan(8);
    expect(kept).toBeLessThan(4);
    expect(unpackTable(table).columns[19_999]?.values).toEqual(["v1"]);
  });

  it("20,000 number columns and one row: no spare rows per column", () => {
    // Was 16x: 17 rows allocated per column for one row.
    const { during, kept } = measure(`${header(20_000)}\n${row(20_000, (c) => String(c % 10))}\n`);
    expect(during).toBeLessThan(2);
    expect(kept).toBeLessThan(2);
  });

  it("2,000 mixed columns and 20 rows, CR line ends, and a header alone", () => {
    const cell = (r: number) => (c: number) => (c % 3 === 0 ? String(r) : c % 3 === 1 ? `s${r % 3}` : "");
    const lines = [header(2000), ...Array.from({ length: 20 }, (_, r) => row(2000, cell(r)))];
    for (const text of [lines.join("\n"), lines.join("\r")]) {
      const { during, kept, table } = measure(text);
      expect(table.rowCount).toBe(20);
      expect(during).toBeLessThan(4);
      expect(kept).toBeLessThan(4);
    }
    expect(measure(header(20_000)).during).toBe(0);
  });

  it("a long column of unique strings: the pool grows with the rows, to about what they need", () => {
    // Past the first row estimate (256 KiB), so the reader re-estimates the rows and grows every column once;
    // a pool growing by half again and again ended up to 50% larger than its bytes (and left the smaller ones).
    const lines = ["name", ...Array.from({ length: 300_000 }, (_, r) => `user_${(r * 7919).toString(36)}`)];
    const { during, table } = measure(`${lines.join("\n")}\n`);
    expect(table.rowCount).toBe(300_000);
    // Each row: its bytes (the input less the line feed) and a 4-byte end offset.
    const mean = lines.slice(1).reduce((sum, line) => sum + line.length, 0) / 300_000;
    const needed = (mean + 4) / (mean + 1);
    expect(during).toBeGreaterThan(needed * 0.9);
    expect(during).toBeLessThan(needed * 1.1);
  });

  it("reads what a narrow table of the same values reads", () => {
    const wide = parseTableSync(`${header(3000)}\n${row(3000, (c) => `${c}`)}\n${row(3000, (c) => `x${c % 2}`)}\n`);
    expect(wide.columns.every((c) => c.type === "string")).toBe(true);
    expect(wide.columns.slice(0, 2).map((c) => Array.from({ length: 2 }, (_, r) => c.values[r]))).toEqual([
      ["0", "x0"],
      ["1", "x1"],
    ]);
  });
});
