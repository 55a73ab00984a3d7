/** `1536` → `"1.5 KB"`: sizes as people read them (powers of 1024, one decimal above bytes). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "unknown size";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

const DATE_TIME = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
const DATE_TIME_SECONDS = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium" });

/**
 * A frame time for headers and the revision picker (reader's time zone; see suppressHydrationWarning uses). Total:
 * a time no Date can hold (beyond ±8.64e15 ms, NaN, ±Infinity) is shown as text instead of throwing.
 */
export function formatTimestamp(ms: number, precision: "minutes" | "seconds" = "minutes"): string {
  // Date's own range check: Intl.DateTimeFormat throws a RangeError past it.
  if (Number.isNaN(new Date(ms).getTime())) return Number.isFinite(ms) ? `unknown time (${ms})` : "unknown time";
  return (precision === "seconds" ? DATE_TIME_SECONDS : DATE_TIME).format(ms);
}

/** `ms` as an ISO 8601 string, or undefined when no Date can hold it (where `toISOString` would throw). */
export function isoTimestamp(ms: number): string | undefined {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Class names, skipping empty ones. */
export function cx(...names: Array<string | false | null | undefined>): string {
  return names.filter(Boolean).join(" ");
}

export { downloadName } from "../../model/downloadName";
