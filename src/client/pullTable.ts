import { type ColumnTable, isColumnTable } from "../model/columnTable";
import { InvalidRequestError, MalformedAttachmentError } from "../model/errors";
import type { Params } from "../model/params";
import { decodeAttachment } from "./decode";
import { locateAttachment, type PullOptions, pullDecodeOptions } from "./pull";

/** Options of `pullTable`: those of `pull`, but the shape is always a ColumnTable. */
export type PullTableOptions = Omit<PullOptions, "as">;

/** Whether `pull` reads an attachment of this content type as a table (`text/csv`, whatever the application). */
const isTableType = (contentType: string) => (contentType.split(";")[0] ?? "").trim().toLowerCase() === "text/csv";

/**
 * `pull` for a dataframe, typed: the attachment chosen by `pull`'s rule as a ColumnTable (what `useTable` gives in
 * React). An attachment that is not a table (a figure, an image...) is refused with an InvalidRequestError naming
 * its content type, before its bytes are read.
 * @example const table = await pullTable("sales", { region: "EU" }, { store }); table.rowCount
 */
export async function pullTable(stack: string, params?: Params, options: PullTableOptions = {}): Promise<ColumnTable> {
  const { store, frame, attachment, where } = await locateAttachment(stack, params, options);
  if (!isTableType(attachment.contentType)) {
    throw new InvalidRequestError(
      `attachment ${attachment.index} of ${where} is ${attachment.contentType}, not a table (text/csv); pull() reads it`,
    );
  }
  const read = options.signal ? { signal: options.signal } : {};
  const blob = await store.getAttachment(stack, frame.id, attachment.index, read);
  const table = await decodeAttachment(attachment, blob, pullDecodeOptions({ ...options, as: "table" }));
  if (!isColumnTable(table)) {
    throw new MalformedAttachmentError(`attachment ${attachment.index} of ${where} did not decode to a table`);
  }
  return table;
}
