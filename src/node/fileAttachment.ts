// A file on disk as an attachment, typed the way dstack-py types the same objects (docs/PROTOCOL.md, "Attachments"): CSV as a pandas
// dataframe with its inferred schema, JSON (plotly and bokeh recognised), PNG/JPEG/SVG images, markdown. The
// bytes are pushed as they are in the file; only the metadata is derived.
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { encodeAttachment, sniffImageType } from "../client/encode";
import { pandasSchema } from "../dataframe/csvWriter";
import { parseTableSync } from "../dataframe/parseTable";
import type { ColumnTable } from "../model/columnTable";
import { InvalidRequestError, ParseError } from "../model/errors";
import { type Params, validateParams } from "../model/params";
import type { AttachmentPush } from "../model/types";

const TEXT_TYPES: Record<string, string> = {
  ".md": "text/markdown",
  ".markdown": "text/markdown",
  ".txt": "text/plain",
  ".html": "text/html",
  ".htm": "text/html",
};

function utf8(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidRequestError(`${name} is not UTF-8 text`);
  }
}

/** Reads `file` and describes it as an attachment. */
export async function fileAttachment(file: string, description?: string, params?: Params): Promise<AttachmentPush> {
  const bytes = new Uint8Array(await readFile(file));
  const name = basename(file);
  const ext = extname(name).toLowerCase();
  const out: AttachmentPush = { data: bytes, contentType: "application/octet-stream", params: validateParams(params) };
  let settings: Record<string, unknown> = {};
  if (ext === ".csv") {
    let table: ColumnTable;
    try {
      // The byte-level parser: no string copy of the file, and invalid UTF-8 is a ParseError at its position.
      table = parseTableSync(bytes, { dictionary: false });
    } catch (error) {
      if (error instanceof ParseError) throw new InvalidRequestError(`${name}: ${error.message}`);
      throw error;
    }
    out.contentType = "text/csv";
    out.application = "pandas/dataframe";
    settings = { header: true, index: false, schema: pandasSchema(table), encoding: "utf-8" };
  } else if (ext === ".json") {
    let value: unknown;
    try {
      value = JSON.parse(utf8(bytes, name));
    } catch (error) {
      throw new InvalidRequestError(`${name} is not valid JSON: ${(error as Error).message}`);
    }
    const encoded = encodeAttachment(value);
    out.contentType = encoded.contentType;
    if (encoded.application !== undefined) out.application = encoded.application;
    settings = { ...encoded.settings };
  } else if (ext === ".svg") {
    out.contentType = "image/svg+xml";
    out.application = "image";
  } else if (ext === ".png" || ext === ".jpg" || ext === ".jpeg") {
    const sniffed = sniffImageType(bytes);
    const expected = ext === ".png" ? "image/png" : "image/jpeg";
    if (sniffed !== expected)
      throw new InvalidRequestError(`${name} is not a ${expected.slice(6).toUpperCase()} image`);
    out.contentType = expected;
    out.application = "image";
  } else if (TEXT_TYPES[ext]) {
    utf8(bytes, name);
    out.contentType = TEXT_TYPES[ext] as string;
  }
  out.settings = { ...settings, filename: name };
  if (description !== undefined) out.description = description;
  return out;
}
