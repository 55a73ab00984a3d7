import { pandasSchema, toCSV } from "../dataframe/csvWriter";
import { fromDataFrame, isDanfoDataFrame, isDanfoSeries } from "../dataframe/danfo";
import { type ColumnTable, columnTableProblem, isRowArray, rowsToTable } from "../model/columnTable";
import { InvalidRequestError, UnsupportedObjectError } from "../model/errors";
import { type Params, validateParams } from "../model/params";
import type { AttachmentPush, Settings } from "../model/types";

/** `plotly_js_version` written with plotly figures: the figure schema the kit targets. */
export const PLOTLY_JS_VERSION = "2.x";
/** `bokeh_version` written with bokeh `json_item`s that do not carry their own `version`. */
export const BOKEH_VERSION = "2.x";

const SUPPORTED =
  "supported objects are: a ColumnTable, an array of row objects, a danfojs DataFrame or Series, " +
  "a plotly figure ({data, layout?, frames?, config?}), a bokeh json_item ({target_id?, root_id, doc}), " +
  "a Blob or File, image bytes (a Uint8Array holding PNG, JPEG or SVG), a markdown string, " +
  "and JSON values (plain objects, arrays, finite numbers, booleans, null)";

const EXTENSION_TYPES: Record<string, string> = {
  csv: "text/csv",
  json: "application/json",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  svg: "image/svg+xml",
  md: "text/markdown",
  txt: "text/plain",
  html: "text/html",
};

const OCTET_STREAM = "application/octet-stream";

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function onlyKeys(x: Record<string, unknown>, allowed: readonly string[]): boolean {
  return Object.keys(x).every((k) => allowed.includes(k));
}

/** A short description of what was passed, for error messages. */
function describe(x: unknown): string {
  if (x === undefined) return "undefined";
  if (x === null) return "null";
  switch (typeof x) {
    case "function":
      return x.name ? `a function (${x.name})` : "a function";
    case "symbol":
      return "a symbol";
    case "bigint":
      return "a bigint";
    case "number":
      return `the number ${x}`;
    case "object": {
      const name = (Object.getPrototypeOf(x) as { constructor?: { name?: string } } | null)?.constructor?.name;
      if (!name) return "an object";
      if (["Map", "Set", "WeakMap", "WeakSet", "Date", "RegExp", "Promise", "Error", "ArrayBuffer"].includes(name)) {
        return `a ${name}`;
      }
      if (ArrayBuffer.isView(x)) return `a ${name}`;
      return `an instance of ${name}`;
    }
    default:
      return typeof x;
  }
}

function unsupported(what: string, hint?: string): never {
  throw new UnsupportedObjectError(`cannot push ${what}${hint ? ` (${hint})` : ""}; ${SUPPORTED}`);
}

/**
 * Why a value nested in a JSON attachment cannot be written, or undefined. Follows JSON.stringify where it is
 * harmless (undefined properties dropped, undefined/NaN/±Infinity inside become null, Dates become ISO strings,
 * typed arrays become arrays) and refuses where it would silently lose data (functions, symbols, bigints, Maps,
 * Sets, class instances) or loop forever (cycles).
 */
function jsonProblem(value: unknown, path: string, stack: Set<object>): string | undefined {
  if (value === null || value === undefined) return undefined;
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return undefined;
    case "object":
      break;
    default:
      return `${describe(value)} at ${path}`;
  }
  const obj = value as object;
  if (obj instanceof Date) return undefined;
  if (
    ArrayBuffer.isView(obj) &&
    !(obj instanceof DataView) &&
    !(obj instanceof BigInt64Array || obj instanceof BigUint64Array)
  ) {
    return undefined;
  }
  if (stack.has(obj)) return `a circular reference at ${path}`;
  if (Array.isArray(obj)) {
    stack.add(obj);
    for (let i = 0; i < obj.length; i++) {
      const problem = jsonProblem(obj[i], `${path}[${i}]`, stack);
      if (problem) return problem;
    }
    stack.delete(obj);
    return undefined;
  }
  if (!isPlainObject(obj)) return `${describe(obj)} at ${path}`;
  stack.add(obj);
  for (const [key, v] of Object.entries(obj)) {
    const problem = jsonProblem(v, `${path}.${key}`, stack);
    if (problem) return problem;
  }
  stack.delete(obj);
  return undefined;
}

function jsonBytes(value: unknown): Uint8Array {
  const problem = jsonProblem(value, "$", new Set());
  if (problem) unsupported(`an object holding ${problem}`);
  const text = JSON.stringify(value, (_key, v: unknown) =>
    ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v,
  );
  return new TextEncoder().encode(text);
}

/** Whether `x` is a plotly figure: a plain `{data: [trace objects], layout?, frames?, config?}` and nothing else. */
export function isPlotlyFigure(x: unknown): x is { data: Record<string, unknown>[]; layout?: Record<string, unknown> } {
  if (!isPlainObject(x) || !onlyKeys(x, ["data", "layout", "frames", "config"])) return false;
  return (
    Array.isArray(x.data) &&
    x.data.every(isPlainObject) &&
    (x.layout === undefined || isPlainObject(x.layout)) &&
    (x.frames === undefined || Array.isArray(x.frames)) &&
    (x.config === undefined || isPlainObject(x.config))
  );
}

/** Whether `x` is a bokeh `json_item`: a plain `{target_id?, root_id, doc, version?}`. */
export function isBokehItem(
  x: unknown,
): x is { target_id?: string | null; root_id: string; doc: Record<string, unknown> } {
  return (
    isPlainObject(x) &&
    onlyKeys(x, ["target_id", "root_id", "doc", "version"]) &&
    typeof x.root_id === "string" &&
    isPlainObject(x.doc)
  );
}

function looksLikeColumnTable(x: Record<string, unknown>): boolean {
  return "rowCount" in x && "columns" in x && onlyKeys(x, ["rowCount", "columns", "index"]);
}

/** The image type of some bytes by their magic numbers, or undefined. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  const b = (i: number) => bytes[i];
  if (
    b(0) === 0x89 &&
    b(1) === 0x50 &&
    b(2) === 0x4e &&
    b(3) === 0x47 &&
    b(4) === 0x0d &&
    b(5) === 0x0a &&
    b(6) === 0x1a &&
    b(7) === 0x0a
  ) {
    return "image/png";
  }
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return "image/jpeg";
  const head = new TextDecoder("utf-8")
    .decode(bytes.subarray(0, 4096))
    .replace(/^\uFEFF/, "")
    .trimStart();
  if (head.startsWith("<svg") || (head.startsWith("<?xml") && head.includes("<svg"))) return "image/svg+xml";
  return undefined;
}

function tableAttachment(table: ColumnTable, application: string): AttachmentPush {
  const problem = columnTableProblem(table);
  if (problem !== undefined) unsupported("a malformed ColumnTable", problem);
  if (table.columns.length === 0) unsupported("a table with no columns", "there is nothing to write");
  const settings: Settings = {
    header: true,
    index: table.index !== undefined,
    schema: pandasSchema(table),
    encoding: "utf-8",
  };
  return { data: new TextEncoder().encode(toCSV(table)), contentType: "text/csv", application, settings };
}

function fileType(name: string): string | undefined {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? undefined : EXTENSION_TYPES[name.slice(dot + 1).toLowerCase()];
}

function encodeObject(obj: unknown): AttachmentPush {
  if (typeof File !== "undefined" && obj instanceof File) {
    const contentType = obj.type || fileType(obj.name) || OCTET_STREAM;
    const out: AttachmentPush = { data: obj, contentType, settings: { filename: obj.name } };
    if (contentType.startsWith("image/")) out.application = "image";
    return out;
  }
  if (obj instanceof Blob) {
    const contentType = obj.type || OCTET_STREAM;
    return contentType.startsWith("image/")
      ? { data: obj, contentType, application: "image" }
      : { data: obj, contentType };
  }
  if (obj instanceof Uint8Array || obj instanceof ArrayBuffer) {
    // A copy: the commit is what gets pushed, whatever happens to the caller's buffer afterwards.
    const bytes = new Uint8Array(obj);
    const contentType = sniffImageType(bytes);
    if (!contentType) {
      throw new UnsupportedObjectError(
        "cannot push these bytes: they are not a PNG, JPEG or SVG image; pass a Blob with a type instead, " +
          'e.g. new Blob([bytes], { type: "application/pdf" })',
      );
    }
    return { data: bytes, contentType, application: "image" };
  }
  if (typeof obj === "string") return { data: new TextEncoder().encode(obj), contentType: "text/markdown" };
  if (isDanfoSeries(obj)) return tableAttachment(fromDataFrame(obj), "pandas/series");
  if (isDanfoDataFrame(obj)) return tableAttachment(fromDataFrame(obj), "pandas/dataframe");
  if (isRowArray(obj)) return tableAttachment(rowsToTable(obj), "pandas/dataframe");
  if (isPlainObject(obj)) {
    if (looksLikeColumnTable(obj)) return tableAttachment(obj as unknown as ColumnTable, "pandas/dataframe");
    if (isPlotlyFigure(obj)) {
      return {
        data: jsonBytes(obj),
        contentType: "application/json",
        application: "plotly",
        settings: { plotly_js_version: PLOTLY_JS_VERSION },
      };
    }
    if (isBokehItem(obj)) {
      const version = (obj as { version?: unknown }).version;
      return {
        data: jsonBytes(obj),
        contentType: "application/json",
        application: "bokeh",
        settings: { bokeh_version: typeof version === "string" ? version : BOKEH_VERSION },
      };
    }
    return { data: jsonBytes(obj), contentType: "application/json" };
  }
  if (Array.isArray(obj) || obj === null || typeof obj === "boolean") {
    return { data: jsonBytes(obj), contentType: "application/json" };
  }
  if (typeof obj === "number") {
    if (!Number.isFinite(obj)) unsupported(describe(obj), "JSON has no NaN or Infinity");
    return { data: jsonBytes(obj), contentType: "application/json" };
  }
  return unsupported(describe(obj));
}

/**
 * Turns an object into an attachment as docs/PROTOCOL.md ("Attachments") lays out (CSV for tables, JSON for plotly/bokeh and other
 * JSON values, markdown for strings, images and files as they are). Throws UnsupportedObjectError for anything
 * else and InvalidRequestError for bad params.
 * @example encodeAttachment([{ x: 1 }], "my table", { run: 1 }).contentType // "text/csv"
 */
export function encodeAttachment(obj: unknown, description?: string, params?: Params): AttachmentPush {
  const checked = validateParams(params, "params");
  if (description !== undefined && typeof description !== "string") {
    throw new InvalidRequestError("description must be a string");
  }
  const out = encodeObject(obj);
  if (description !== undefined) out.description = description;
  out.params = checked;
  return out;
}
