import { tableToRows } from "../model/columnTable";
import { InvalidRequestError, MalformedAttachmentError } from "../model/errors";
import type { AttachmentInfo } from "../model/types";
import { readCsv } from "./csv";
import { tableToDataFrame } from "./danfo";

/** Shape of a pulled table: a ColumnTable (default), row objects, or a danfojs DataFrame. */
export type TableShape = "table" | "rows" | "dataframe";

export interface DecodeOptions {
  /** How a `text/csv` attachment is returned; ignored for `table`, refused for other content types. */
  as?: TableShape;
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
    schema: (schema ?? undefined) as string[] | undefined,
    header: header ?? true,
    index: index ?? false,
    encoding: encoding ?? "utf-8",
  };
}

/**
 * Turns stored bytes back into an object by content type:
 * `text/csv` (any application) → ColumnTable read with the attachment's `schema`/`header`/`index` settings
 * (`as: "rows"` → row objects, `as: "dataframe"` → danfojs DataFrame); `application/json` (and `+json`) → the
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
    const { encoding, ...csv } = csvSettings(info);
    const table = readCsv(await decodeText(info, blob, encoding), csv);
    if (as === "rows") return tableToRows(table);
    if (as === "dataframe") return tableToDataFrame(table);
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
