// JSON keys are data: a column named after a property of Object.prototype reads its own values, and a row
// without that key has a missing value there, never what Object.prototype holds.
import { describe, expect, it } from "vitest";
import { type ColumnTable, columnValue } from "../model/columnTable";
import { parseTableSync } from "./parseTable";

const KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"] as const;

const json = (text: string) => parseTableSync(text, { format: "json" });

/** Column name → its cells (tableToRows would put a "__proto__" cell on the row's prototype). */
function cells(table: ColumnTable) {
  return table.columns.map((c) => [
    c.name,
    c.type,
    Array.from({ length: table.rowCount }, (_, r) => columnValue(c, r)),
  ]);
}

describe("JSON keys named after Object.prototype's properties", () => {
  it.each(KEYS)("%s: row objects, the key in one row only", (key) => {
    const name = JSON.stringify(key);
    // Was: a non-ParseError (a function in a cell) for constructor & co., ["1", "{}"] for __proto__.
    expect(cells(json(`[{${name}:1},{}]`))).toEqual([[key, "number", [1, null]]]);
    expect(cells(json(`[{},{${name}:"x"},{"a":2}]`))).toEqual([
      [key, "string", [null, "x", null]],
      ["a", "number", [null, null, 2]],
    ]);
    expect(cells(json(`[{${name}:{"b":[1]}},{${name}:null}]`))).toEqual([[key, "string", ['{"b":[1]}', null]]]);
  });

  it.each(KEYS)("%s: column arrays", (key) => {
    const name = JSON.stringify(key);
    expect(cells(json(`{${name}:[1,2],"b":["x",null]}`))).toEqual([
      [key, "number", [1, 2]],
      ["b", "string", ["x", null]],
    ]);
  });

  it("all of them at once, with a schema too, and nothing leaks into Object.prototype", () => {
    const row = JSON.stringify(Object.fromEntries(KEYS.map((k, i) => [k, i])));
    const mixed = json(`[${row},{"__proto__":{"polluted":true}}]`);
    expect(cells(mixed)[0]).toEqual(["__proto__", "string", ["0", '{"polluted":true}']]);
    expect(cells(mixed).slice(1)).toEqual(KEYS.slice(1).map((k, i) => [k, "number", [i + 1, null]]));
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    const typed = parseTableSync(`[${row},{}]`, { format: "json", schema: KEYS.map(() => "int64") });
    expect(cells(typed)).toEqual(KEYS.map((k, i) => [k, "number", [i, null]]));
  });

  it("CSV headers with these names read as any other", () => {
    const table = parseTableSync(`${KEYS.join(",")}\n1,x,true,,2020-01-01\n`);
    expect(cells(table).map(([name, type]) => [name, type])).toEqual([
      ["__proto__", "number"],
      ["constructor", "string"],
      ["toString", "boolean"],
      ["hasOwnProperty", "string"],
      ["valueOf", "date"],
    ]);
  });
});
