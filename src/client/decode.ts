import { toDataFrame } from "../dataframe/danfo";
import { isPandasTable, pandasNaValues } from "../dataframe/pandasNa";
import { type ParseOptions, parseTableSync } from "../dataframe/parseTable";
import { EncodingError } from "../dataframe/position";
import { type ColumnTable, tableToRows } from "../model/columnTable";
import { InvalidRequestError, MalformedAttachmentError } from "../model/errors";
import type { AttachmentInfo } from "../model/types";

/** Shape of a pulled table: a ColumnTable (default), row objects, or a danfojs DataFrame. */
export type TableShape = "table" | "rows" | "dataframe";

/** Something that parses tables asynchronously, e.g. `createTableParser()` from `dstack-kit/dataframe`. */
export interface TableParserLike {
  parse(input: Blob | string, options: ParseOptions): Promise<ColumnTable>;
}

export interface DecodeOptions {
  /** How a `text/csv` attachment is returned; ignored for `table`, refused for other content types. */
  as?: TableShape;
  /** Parses CSV with this parser (e.g. off the main thread, in workers); in-thread when omitted. */
  parser?: TableParserLike;
}

/** `text/csv; charset=utf-8` → `text/csv`. */
function mediaType(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}

async function decodeText(info: AttachmentInfo, blob: Blob, encoding = "utf-8"): Promise<string> {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch (cause) {
    throw new MalformedAttachmentError(`attachment ${info.index} has an unknown encoding ${JSON.stringify(encoding)}`, {
      cause,
    });
  }
  try {
    return decoder.decode(await blob.arrayBuffer());
  } catch (cause) {
    throw new MalformedAttachmentError(
      `attachment ${info.index} (${info.contentType}) is not valid ${decoder.encoding.toUpperCase()} text`,
      { cause },
    );
  }
}

function csvSettings(info: AttachmentInfo) {
  const settings = info.settings ?? {};
  const { schema, header, index, encoding } = settings;
  const bad = (what: string) =>
    new MalformedAttachmentError(`attachment ${info.index} has malformed settings: ${what}`);
  if (
    schema !== undefined &&
    schema !== null &&
    !(Array.isArray(schema) && schema.every((s) => typeof s === "string"))
  ) {
    throw bad("schema must be a list of dtype names");
  }
  if (header !== undefined && typeof header !== "boolean") throw bad("header must be a boolean");
  if (index !== undefined && typeof index !== "boolean") throw bad("index must be a boolean");
  if (encoding !== undefined && typeof encoding !== "string") throw bad("encoding must be a string");
  return {
    ...(schema ? { schema: schema as string[] } : {}),
    header: header ?? true,
    index: index ?? false,
    // pandas' missing values (`""` above all: QUOTE_ALL's None/NaN) read as pandas' read_csv reads them.
    ...(isPandasTable(info) ? { naValues: pandasNaValues(settings.version) } : {}),
    encoding: encoding ?? "utf-8",
  };
}

/** A CSV attachment as a ColumnTable: UTF-8 bytes go to the parser as they are, other encodings as text. */
async function decodeCsv(info: AttachmentInfo, blob: Blob, parser: TableParserLike | undefined): Promise<ColumnTable> {
  const { encoding, ...settings } = csvSettings(info);
  const utf8 = /^utf-?8$/i.test(encoding.trim());
  const input = utf8 ? blob : await decodeText(info, blob, encoding);
  const options: ParseOptions = { format: "csv", ...settings };
  try {
    if (parser) return await parser.parse(input, options);
    return parseTableSync(typeof input === "string" ? input : await input.arrayBuffer(), options);
  } catch (cause) {
    if (cause instanceof EncodingError) {
      throw new MalformedAttachmentError(
        `attachment ${info.index} (${info.contentType}) is not valid UTF-8 text: ${cause.message}`,
        { cause },
      );
    }
    throw cause;
  }
}

/**
 * Turns stored bytes back into an object by content type:
 * `text/csv` (any application) → ColumnTable read with the attachment's `schema`/`header`/`index` settings by
 * the dataframe parser (in-thread, or `options.parser`; `as: "rows"` → row objects, `as: "dataframe"` → danfojs
 * DataFrame); a pandas table (application `pandas/dataframe` or `pandas/series`, or a `schema`) has its missing
 * values read as pandas' `read_csv` reads them (`naValues: pandasNaValues(settings.version)`, `""` included);
 * `application/json` (and `+json`) → the
 * parsed value (a plotly figure, a bokeh item, ...); `text/*` → string; `image/*` and anything else → the Blob,
 * typed with the content type. Text is decoded strictly: invalid UTF-8 or JSON → MalformedAttachmentError;
 * CSV that cannot be read → ParseError.
 * @example const table = await decodeAttachment(info, blob); // ColumnTable for a dataframe
 */
export async function decodeAttachment(
  info: AttachmentInfo,
  blob: Blob,
  options: DecodeOptions = {},
): Promise<unknown> {
  const type = mediaType(info.contentType);
  const as = options.as ?? "table";
  if (as !== "table" && type !== "text/csv") {
    throw new InvalidRequestError(
      `as: "${as}" applies to tables (text/csv); attachment ${info.index} is ${info.contentType}`,
    );
  }
  if (type === "text/csv") {
    const table = await decodeCsv(info, blob, options.parser);
    if (as === "rows") return tableToRows(table);
    if (as === "dataframe") return toDataFrame(table);
    return table;
  }
  if (type === "application/json" || type.endsWith("+json")) {
    const text = await decodeText(info, blob);
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw new MalformedAttachmentError(
        `attachment ${info.index} (${info.contentType}) is not valid JSON: ${(cause as Error).message}`,
        { cause },
      );
    }
  }
  if (type.startsWith("text/")) return decodeText(info, blob);
  return blob.type === info.contentType ? blob : blob.slice(0, blob.size, info.contentType);
}
