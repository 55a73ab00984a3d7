// Generated and mutated parser inputs for the fuzz test and bench/dataframe/fuzz.ts: well-formed tables (so the
// typed paths run), then the same broken in every way a file gets broken: truncated quotes, random bytes, giant
// fields, BOMs, CR-only line ends, ragged rows, invalid UTF-8 anywhere, very wide headers, JSON with keys that
// name Object.prototype's properties. Every input is bounded (under ~100 KB) so that each parse is quick.

import type { TableParseOptions } from "../parseTable";

export interface FuzzCase {
  kind: string;
  bytes: Uint8Array;
  options: TableParseOptions;
}

type Random = () => number;

const encoder = new TextEncoder();

/** Keys that are properties of every object: a parser that reads `row[key]` finds these on Object.prototype. */
export const HOSTILE_KEYS = [
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "__defineGetter__",
  "__lookupSetter__",
] as const;

const TOKENS = [
  "1",
  "0",
  "-3",
  "2.5",
  ".5",
  "1e5",
  "1e",
  "-",
  "007",
  "12345678901234567",
  "nan",
  "Inf",
  "-infinity",
  "true",
  "FALSE",
  "True",
  "x",
  "hello world",
  "é",
  "𝄞",
  "北京",
  " ",
  " 7 ",
  "2020-01-02",
  "2020-02-30",
  "2021-03-04T05:06:07Z",
  "2021-03-04 05:06",
  "2021-03-04T05:06:07.1234+01:00",
  "2021-03-04T05:06:07.5z",
  "2021-03-04T05:06:07.1234567891",
  "2021-03-04T05",
  "2021-03-04Z",
  "2020-02-29 23:59:59.999",
  "0000-01-01",
  '""',
  '"a,b"',
  '"x""y"',
  '"line\nbreak"',
  '"cr\rlf\r\n"',
  '"é,🙂"',
  "\uFEFF",
  "\u00a01\u00a0",
  "a\u000bb",
] as const;

const LINE_ENDS = ["\n", "\n", "\r\n", "\r"] as const;
const DTYPES = ["int64", "float64", "bool", "boolean", "object", "datetime64[ns]", "string", "uint8"] as const;

/** Byte sequences that are not valid UTF-8 on their own (a lone lead, a lone continuation, overlong, surrogate...). */
const INVALID_UTF8: readonly (readonly number[])[] = [
  [0xff],
  [0xfe],
  [0x80],
  [0xbf],
  [0xc3],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x99],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];

/** Bytes a mutation inserts: structure, spaces, a BOM's pieces, high bytes. */
const INTERESTING_BYTES = [
  0x22, 0x2c, 0x0a, 0x0d, 0x09, 0x20, 0x00, 0xef, 0xbb, 0xbf, 0x80, 0xc3, 0xa9, 0xff, 0x61, 0x31,
];

const pick = <T>(random: Random, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
const int = (random: Random, below: number) => Math.floor(random() * below);

function concat(parts: readonly (Uint8Array | readonly number[])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function csvText(random: Random, columns: number, rows: number, delimiter = ","): string {
  const lineEnd = pick(random, LINE_ENDS);
  const names = Array.from({ length: columns }, (_, c) => (random() < 0.05 ? pick(random, HOSTILE_KEYS) : `c${c}`));
  const lines = [names.join(delimiter)];
  // Columns mostly keep one kind of token, so that typed columns happen (and sometimes break late).
  const kinds = Array.from({ length: columns }, () => int(random, TOKENS.length));
  for (let r = 0; r < rows; r++) {
    // Ragged rows: sometimes fewer fields, rarely more.
    const width = random() < 0.1 ? int(random, columns + 1) : random() < 0.03 ? columns + 1 : columns;
    const cells: string[] = [];
    for (let c = 0; c < width; c++) {
      const r2 = random();
      const kind = kinds[c] ?? 0;
      cells.push(r2 < 0.12 ? "" : r2 < 0.85 ? (TOKENS[kind] as string) : pick(random, TOKENS));
    }
    lines.push(cells.join(delimiter));
    if (random() < 0.05) lines.push("");
  }
  return (random() < 0.1 ? "\uFEFF" : "") + lines.join(lineEnd) + (random() < 0.7 ? lineEnd : "");
}

function randomOptions(random: Random, columns: number): TableParseOptions {
  const options: TableParseOptions = {};
  if (random() < 0.2) options.header = false;
  if (random() < 0.1) options.index = true;
  if (random() < 0.2) options.dictionary = false;
  if (random() < 0.2) {
    const length = random() < 0.8 ? columns : 1 + int(random, columns + 2);
    options.schema = Array.from({ length }, () => pick(random, DTYPES));
  }
  return options;
}

/** One to three random edits of `bytes`. */
function mutate(random: Random, bytes: Uint8Array): Uint8Array {
  let out = bytes;
  const edits = 1 + int(random, 3);
  for (let k = 0; k < edits; k++) {
    const at = int(random, out.length + 1);
    switch (int(random, 8)) {
      case 0: // truncate (cuts quotes and multi-byte characters)
        out = out.slice(0, at);
        break;
      case 1: // insert an interesting byte
        out = concat([out.subarray(0, at), [pick(random, INTERESTING_BYTES)], out.subarray(at)]);
        break;
      case 2: // insert invalid UTF-8
        out = concat([out.subarray(0, at), pick(random, INVALID_UTF8), out.subarray(at)]);
        break;
      case 3: {
        // delete a range
        const end = Math.min(out.length, at + 1 + int(random, 8));
        out = concat([out.subarray(0, at), out.subarray(end)]);
        break;
      }
      case 4: {
        // duplicate a range
        const end = Math.min(out.length, at + 1 + int(random, 16));
        out = concat([out.subarray(0, end), out.subarray(at, end), out.subarray(end)]);
        break;
      }
      case 5: // every line end becomes a lone CR
        out = Uint8Array.from(
          out.filter((b, i) => !(b === 0x0a && out[i - 1] === 0x0d)),
          (b) => (b === 0x0a ? 0x0d : b),
        );
        break;
      case 6: // a quote opened and never closed
        out = concat([out.subarray(0, at), [0x22], out.subarray(at).filter((b) => b !== 0x22)]);
        break;
      default: // flip one byte
        if (out.length > 0) {
          out = out.slice();
          const i = Math.min(at, out.length - 1);
          out[i] = (out[i] as number) ^ (1 << int(random, 8));
        }
    }
  }
  return out;
}

function structuredCsv(random: Random): FuzzCase {
  const columns = 1 + int(random, 6);
  const text = csvText(random, columns, int(random, 12));
  return { kind: "csv", bytes: encoder.encode(text), options: randomOptions(random, columns) };
}

function randomBytes(random: Random): FuzzCase {
  const alphabet = [...INTERESTING_BYTES, 0x22, 0x2c, 0x0a, 0x31, 0x32, 0x2e, 0x65, 0x74, 0x72, 0x75];
  const bytes = Uint8Array.from({ length: int(random, 96) }, () =>
    random() < 0.7 ? pick(random, alphabet) : int(random, 256),
  );
  return { kind: "random bytes", bytes, options: randomOptions(random, 3) };
}

function giantField(random: Random): FuzzCase {
  const size = 1000 + int(random, 30_000);
  const unit = pick(random, ["x", "é", "𝄞", "1", '""', "a,b", "\n"]);
  let body = unit.repeat(Math.ceil(size / unit.length));
  const quoted = random() < 0.5 || /[",\n]/.test(unit);
  if (quoted) body = `"${body}"`;
  if (random() < 0.3) body = body.slice(0, -1); // a giant unclosed quote, or a cut-off character
  const text = `a,big,c\n1,${body},3\n2,short,4\n`;
  return { kind: "giant field", bytes: encoder.encode(text), options: randomOptions(random, 3) };
}

function wideHeader(random: Random): FuzzCase {
  // Mostly hundreds of columns, now and then thousands (a header alone, or one row).
  const huge = random() < 0.1;
  const columns = huge ? 2000 + int(random, 8000) : 100 + int(random, 1000);
  const text = csvText(random, columns, huge ? int(random, 2) : int(random, 4));
  return { kind: "wide", bytes: encoder.encode(text), options: randomOptions(random, columns) };
}

function jsonValue(random: Random): unknown {
  const r = random();
  if (r < 0.15) return null;
  if (r < 0.35) return Math.round((random() - 0.5) * 1e4) / 100;
  if (r < 0.45) return random() < 0.5;
  if (r < 0.75) return pick(random, ["x", "é", "", "1", "true", "2020-01-01", "__proto__", "constructor"]);
  if (r < 0.85) return { [pick(random, HOSTILE_KEYS)]: 1 };
  return [1, "a"];
}

/** JSON text of rows or column arrays whose keys are mostly Object.prototype's names; keys written by hand. */
function hostileJson(random: Random): FuzzCase {
  const keys = [...HOSTILE_KEYS, "a", "b", "", "0", "length"];
  const chosen = Array.from({ length: 1 + int(random, 5) }, () => pick(random, keys));
  let text: string;
  if (random() < 0.7) {
    const rows = Array.from({ length: int(random, 6) }, () => {
      const fields = chosen
        .filter(() => random() < 0.7)
        .map((k) => `${JSON.stringify(k)}:${JSON.stringify(jsonValue(random))}`);
      return `{${fields.join(",")}}`;
    });
    text = `[${rows.join(",\n")}]`;
  } else {
    const length = int(random, 5);
    const distinct = [...new Set(chosen)];
    const fields = distinct.map((k) => {
      const values = Array.from({ length: random() < 0.9 ? length : length + 1 }, () =>
        JSON.stringify(jsonValue(random)),
      );
      return `${JSON.stringify(k)}:[${values.join(",")}]`;
    });
    text = `{${fields.join(",")}}`;
  }
  const options: TableParseOptions = { format: "json" };
  if (random() < 0.1) options.index = true;
  if (random() < 0.2) options.dictionary = false;
  let bytes: Uint8Array = encoder.encode((random() < 0.1 ? "\uFEFF" : "") + text);
  if (random() < 0.25) bytes = mutate(random, bytes);
  return { kind: "json", bytes, options };
}

/** TSV without commas or quotes: tabs are always delimiters, so the CSV reference applies with tabs as commas. */
function plainTsv(random: Random): FuzzCase {
  const columns = 1 + int(random, 5);
  const text = csvText(random, columns, int(random, 8), "\t").replace(/[",]/g, "");
  return { kind: "tsv", bytes: encoder.encode(text), options: { ...randomOptions(random, columns), format: "tsv" } };
}

/** One generated input. */
export function fuzzCase(random: Random): FuzzCase {
  const r = random();
  if (r < 0.3) return structuredCsv(random);
  if (r < 0.6) {
    const base = structuredCsv(random);
    return { ...base, kind: "mutated csv", bytes: mutate(random, base.bytes) };
  }
  if (r < 0.7) return randomBytes(random);
  if (r < 0.73) return giantField(random);
  if (r < 0.76) return wideHeader(random);
  if (r < 0.92) return hostileJson(random);
  return plainTsv(random);
}

/**
 * The same valid input with one invalid sequence inserted at every byte position (and one byte of a multi-byte
 * character moved across a delimiter): where the first bad byte is must be reported exactly, wherever it lands.
 */
export function* invalidUtf8Everywhere(): Generator<FuzzCase> {
  const base = encoder.encode('name,city,n\r\nJosé,"Zürich, CH",1\n李,北京,2\r"🙂",x,3\n\uFEFFé,"a""b",4');
  for (const bad of INVALID_UTF8) {
    for (let at = 0; at <= base.length; at++) {
      const bytes = concat([base.subarray(0, at), bad, base.subarray(at)]);
      yield { kind: "invalid UTF-8 everywhere", bytes, options: {} };
    }
  }
  // A valid character split in two by a delimiter or a line break: each half is invalid in its own cell.
  for (let at = 1; at < base.length; at++) {
    if (((base[at] as number) & 0xc0) !== 0x80) continue;
    for (const separator of [0x2c, 0x0a, 0x0d]) {
      const bytes = concat([base.subarray(0, at), [separator], base.subarray(at)]);
      yield { kind: "split character", bytes, options: { dictionary: at % 2 === 0 } };
    }
  }
}
