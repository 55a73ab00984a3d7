// The parsers the dataframe benchmark compares, each from the same UTF-8 bytes to typed values, in Node and in
// the browser. Every contender but ours needs a string first, so decoding is part of its time. With
// `--input=string` each is given the text instead (parseText), and ours encodes it as a user's string is.
import { autoType, csvParse } from "d3-dsv";
import Papa from "papaparse";
import { inferSchema, initParser } from "udsv";
import { parseTableSync } from "../../src/dataframe/parseTable";

export interface Contender {
  name: string;
  /** Parses the whole input; returns the number of rows (a cheap check that everyone read the same table). */
  parse(bytes: Uint8Array): number | Promise<number>;
  /** The same from the file's text (absent: the contender reads a File, as danfojs' readCSV does). */
  parseText?(text: string): number | Promise<number>;
}

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Ours: `parse` is parseTableSync, from src/ (browsers bundle it) or from bundled.ts (Node). */
export function oursWith(parse: typeof parseTableSync): Contender {
  return {
    name: "ours, in-thread core",
    parse: (bytes) => parse(bytes).rowCount,
    parseText: (text) => parse(text).rowCount,
  };
}

export const ours: Contender = oursWith(parseTableSync);

const udsvRows = (text: string) => {
  const columns = initParser(inferSchema(text)).typedCols(text);
  return (columns[0] as unknown[] | undefined)?.length ?? 0;
};

export const udsv: Contender = { name: "uDSV typed", parse: (bytes) => udsvRows(decode(bytes)), parseText: udsvRows };

const papaRows = (text: string) =>
  Papa.parse(text, { header: true, dynamicTyping: true, skipEmptyLines: "greedy" }).data.length;

export const papa: Contender = {
  name: "PapaParse dynamicTyping",
  parse: (bytes) => papaRows(decode(bytes)),
  parseText: papaRows,
};

const d3Rows = (text: string) => csvParse(text, autoType).length;

export const d3: Contender = { name: "d3-dsv + autoType", parse: (bytes) => d3Rows(decode(bytes)), parseText: d3Rows };

type DanfoModule = typeof import("danfojs");

/**
 * danfojs readCSV's own code path (danfojs-base/io/browser/io.csv.js): PapaParse with its options, then
 * `new DataFrame(rows)`. In Node, readCSV itself cannot run: it reads files with FileReaderSync/XMLHttpRequest.
 */
export function danfoCodePath(dfd: DanfoModule): Contender {
  const frameRows = (text: string) => {
    const rows = Papa.parse(text, { header: true, dynamicTyping: true, skipEmptyLines: "greedy", delimiter: "," }).data;
    return new dfd.DataFrame(rows).shape[0] as number;
  };
  return { name: "danfojs readCSV", parse: (bytes) => frameRows(decode(bytes)), parseText: frameRows };
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
