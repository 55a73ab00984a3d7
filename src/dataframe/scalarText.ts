// Scalar literals in table text (numbers, booleans, ISO dates, pandas dtypes) as every reader of the kit types
// them: the byte-level CSV reader, the JSON reader, the NA matcher and the test reference all call these.
import type { ColumnType } from "../model/columnTable";

/** Maps a pandas dtype to a column type; unknown dtypes read as strings. */
export function typeOfDtype(dtype: string): ColumnType {
  const d = dtype.trim().toLowerCase();
  if (/^(u?int|float)(8|16|32|64)?$/.test(d)) return "number";
  if (d === "bool" || d === "boolean") return "boolean";
  if (d.startsWith("datetime64")) return "date";
  return "string";
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** An integer literal as `int*` schema columns accept it (after trimming). */
export const INTEGER = /^[+-]?\d+$/;
const SPECIAL_NUMBER = /^[+-]?(?:inf|infinity|nan)$/i;
/** A boolean literal (after trimming). */
export const BOOLEAN = /^(?:true|false)$/i;
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(?:\s*(Z|[+-]\d{2}(?::?\d{2})?))?$/i;

/** A number, NaN for nan (a missing value), or undefined when `text` is not a number. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (NUMBER.test(t)) return Number(t);
  if (!SPECIAL_NUMBER.test(t)) return undefined;
  const lower = t.toLowerCase();
  if (lower.endsWith("nan")) return Number.NaN;
  return lower.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

/**
 * Epoch ms of an ISO 8601 date or date-time (`T` or space separated, optional seconds, fraction, `Z` or
 * `±HH[:MM]` offset), or undefined. Times without an offset are UTC; the fraction is cut to milliseconds.
 */
export function parseIsoDate(text: string): number | undefined {
  const m = ISO_DATE.exec(text.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  let time = date.getTime();
  const zone = m[8];
  if (zone !== undefined && zone.toUpperCase() !== "Z") {
    const digits = zone.slice(1).replace(":", "");
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMinutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (offsetHours > 23 || offsetMinutes > 59) return undefined;
    const sign = zone.startsWith("-") ? -1 : 1;
    time -= sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  }
  return time;
}
