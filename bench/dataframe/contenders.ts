// The parsers the dataframe benchmark compares, each from the same UTF-8 bytes to typed values, in Node and in
// the browser. Every contender but ours needs a string first, so decoding is part of its time.
import { autoType, csvParse } from "d3-dsv";
import Papa from "papaparse";
import { inferSchema, initParser } from "udsv";
import { parseTableSync } from "../../src/dataframe/parseTable";

export interface Contender {
  name: string;
  /** Parses the whole input; returns the number of rows (a cheap check that everyone read the same table). */
  parse(bytes: Uint8Array): number | Promise<number>;
}

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Ours: `parse` is parseTableSync, from src/ (browsers bundle it) or from bundled.ts (Node). */
export function oursWith(parse: typeof parseTableSync): Contender {
  return { name: "ours, in-thread core", parse: (bytes) => parse(bytes).rowCount };
}

export const ours: Contender = oursWith(parseTableSync);

export const udsv: Contender = {
  name: "uDSV typed",
  parse(bytes) {
    const text = decode(bytes);
    const parser = initParser(inferSchema(text));
    const columns = parser.typedCols(text);
    return (columns[0] as unknown[] | undefined)?.length ?? 0;
  },
};

/** PapaParse with dynamicTyping; `skipEmptyLines: "greedy"` as danfojs uses it. */
export const papa: Contender = {
  name: "PapaParse dynamicTyping",
  parse: (bytes) =>
    Papa.parse(decode(bytes), { header: true, dynamicTyping: true, skipEmptyLines: "greedy" }).data.length,
};

export const d3: Contender = {
  name: "d3-dsv + autoType",
  parse: (bytes) => csvParse(decode(bytes), autoType).length,
};

type DanfoModule = typeof import("danfojs");

/**
 * danfojs readCSV's own code path (danfojs-base/io/browser/io.csv.js): PapaParse with its options, then
 * `new DataFrame(rows)`. In Node, readCSV itself cannot run: it reads files with FileReaderSync/XMLHttpRequest.
 */
export function danfoCodePath(dfd: DanfoModule): Contender {
  return {
    name: "danfojs readCSV",
    parse(bytes) {
      const rows = Papa.parse(decode(bytes), {
        header: true,
        dynamicTyping: true,
        skipEmptyLines: "greedy",
        delimiter: ",",
      }).data;
      return new dfd.DataFrame(rows).shape[0] as number;
    },
  };
}

/** danfojs' real readCSV on a File (browsers). */
export function danfoReadCsv(dfd: DanfoModule, fileName: string): Contender {
  return {
    name: "danfojs readCSV",
    async parse(bytes) {
      const df = await dfd.readCSV(new File([bytes as Uint8Array<ArrayBuffer>], fileName));
      return df.shape[0] as number;
    },
  };
}
