import { type Column, isNullAt } from "../../../model/columnTable";
import { isoTimestamp } from "../../ui/format";

/** Text of one cell as the table shows it; `null` for a missing value (shown as a faded "null"). */
export function formatCell(column: Column, row: number): string | null {
  if (isNullAt(column, row)) return null;
  switch (column.type) {
    case "number": {
      const n = (column.values as Float64Array)[row] as number;
      if (Number.isInteger(n) || !Number.isFinite(n)) return String(n);
      // Up to 6 decimals without trailing zeros, as pandas prints floats.
      return String(Number(n.toFixed(6)));
    }
    case "boolean":
      return (column.values as Uint8Array)[row] ? "True" : "False";
    case "date": {
      const ms = (column.values as Float64Array)[row] as number;
      const iso = isoTimestamp(ms);
      // Beyond what a Date can hold: the raw number, rather than a RangeError that would take the table down.
      if (iso === undefined) return String(ms);
      // Midnight-only dates read as dates; otherwise date and time without the noise of ms and Z.
      return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.slice(0, 19).replace("T", " ");
    }
    default:
      return column.dictionary
        ? (column.dictionary[(column.values as Uint32Array)[row] as number] as string)
        : ((column.values as string[])[row] as string);
  }
}

const CHAR_PX = 8;
const PADDING_PX = 24;

/** Column width in px from its type, header and a sample of values, so wide text is readable and numbers are tight. */
export function columnWidth(column: Column, rowCount: number): number {
  let chars = column.name.length + 2;
  if (column.type === "date") chars = Math.max(chars, 19);
  else if (column.type === "boolean") chars = Math.max(chars, 5);
  else {
    const sample = Math.min(rowCount, 200);
    for (let r = 0; r < sample; r++) chars = Math.max(chars, (formatCell(column, r) ?? "").length);
  }
  return Math.min(360, Math.max(72, chars * CHAR_PX + PADDING_PX));
}
