// On the thread that keeps the table, string columns are made into strings while the input is read (no packed
// copy held next to them). That must give the same table as the packed form a worker sends, and as the
// reference reader, on inputs that cross its windows of rows: type switches with a backfill, missing runs,
// late dictionary give-ups, non-ASCII, quoted fields and NA values. An ASCII input takes the other way of making
// them (slices of the input's text), and must give the same tables.
import { describe, expect, it } from "vitest";
import { CsvReader } from "./csvReader";
import { InputText } from "./inputText";
import { type PackedColumn, unpackTable } from "./packedTable";
import { csvReaderOptions, parsePacked, parseTableSync, type TableParseOptions } from "./parseTable";
import { createTableParser } from "./tableParser";
import { referenceRead } from "./testing/referenceReader";
import { normalize, seededRandom } from "./testing/tables";

/** 30,000 rows (about 1 MB) whose string columns cross many windows of 8,192 rows and 64 KiB. */
function generated(seed: number, ascii = false): Uint8Array {
  const random = seededRandom(seed);
  const lines = ["id,turns,name,sparse,late,quoted"];
  for (let r = 0; r < 30_000; r++) {
    // A number column that turns to strings at row 20,000 (rows before it are backfilled), a fifth missing.
    const turns = r === 20_000 ? "text" : random() < 0.2 ? "" : String(Math.floor(random() * 1000));
    const name = r % 13 === 0 ? (ascii ? `name ${r}` : `名前${r}🙂`) : r % 17 === 0 ? "NA" : `user_${r.toString(36)}`;
    const sparse = r % 9_000 === 0 ? `only${r}` : "";
    // Repeats at first (a dictionary), then mostly new values (given up after 4,096 of them).
    const late = r < 10_000 ? `k${r % 50}` : `late${r}`;
    const quoted = r % 5 === 0 ? `"say ""hi""\nto ${r}"` : r % 7 === 0 ? '""' : `plain${r % 3000}`;
    lines.push(`${r},${turns},${name},${sparse},${late},${quoted}`);
  }
  return new TextEncoder().encode(`${lines.join("\n")}\n`);
}

function packedPath(bytes: Uint8Array, options: TableParseOptions) {
  return unpackTable(new CsvReader(bytes, csvReaderOptions(options)).read());
}

describe("strings made while reading", () => {
  const cases = [{}, { dictionary: false }, { naValues: ["NA", "text"] }] as TableParseOptions[];
  for (const [options, ascii] of cases.flatMap(
    (o) =>
      [
        [o, false],
        [o, true],
      ] as const,
  )) {
    it(`gives the packed path's table and the reference's, ${ascii ? "ASCII" : "non-ASCII"}, options ${JSON.stringify(options)}`, () => {
      const bytes = generated(7, ascii);
      // The precondition of slicing from the input's text (else each window's pool is decoded).
      expect(new InputText(bytes).get() !== null).toBe(ascii);
      const made = normalize(parseTableSync(bytes, options));
      expect(made).toEqual(normalize(packedPath(bytes, options)));
      const reference = referenceRead(bytes, options);
      expect("table" in reference && normalize(reference.table)).toEqual(made);
      expect(made.columns.map((c) => c.type)).toEqual([
        "number",
        options.naValues ? "number" : "string",
        "string",
        "string",
        "string",
        "string",
      ]);
    });
  }

  it("gives a string input's table from that string as from its bytes", async () => {
    for (const ascii of [true, false]) {
      const bytes = generated(9, ascii);
      const text = new TextDecoder().decode(bytes);
      const fromBytes = normalize(parseTableSync(bytes));
      expect(normalize(parseTableSync(text))).toEqual(fromBytes);
      const parser = createTableParser({ workers: 0 });
      expect(normalize(await parser.parse(text))).toEqual(fromBytes);
      await parser.close();
    }
  });

  it("hands over plain string columns as strings, not packed bytes", () => {
    const columns = parsePacked(generated(8), {}, true).columns;
    const name = columns.find((c) => c.name === "name") as PackedColumn;
    expect(Array.isArray(name.values)).toBe(true);
    const packed = parsePacked(generated(8), {}).columns.find((c) => c.name === "name") as PackedColumn;
    expect(Array.isArray(packed.values)).toBe(false);
  });
});
