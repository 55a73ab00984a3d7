// pandas' missing values in CSV. pandas writes every missing cell (None, NaN, pd.NA, NaT) as an empty field, which
// dstack-py's QUOTE_ALL turns into `""`, and `read_csv` reads a fixed set of spellings back as NaN, quoted or not.
// The kit reads pandas attachments with the same set, so both sides see the same missing cells in the same bytes.

import type { AttachmentInfo } from "../model/types";

/**
 * The strings pandas 1.x `read_csv` reads as missing by default (its `na_values` when `keep_default_na` is on),
 * quoted or not, in every column. `""` is the one pandas' own `to_csv` writes.
 */
export const PANDAS_1_NA_VALUES: readonly string[] = Object.freeze([
  "",
  "#N/A",
  "#N/A N/A",
  "#NA",
  "-1.#IND",
  "-1.#QNAN",
  "-NaN",
  "-nan",
  "1.#IND",
  "1.#QNAN",
  "<NA>",
  "N/A",
  "NA",
  "NULL",
  "NaN",
  "n/a",
  "nan",
  "null",
]);

/** pandas 2.0 and later: the 1.x set plus `"None"`. */
export const PANDAS_NA_VALUES: readonly string[] = Object.freeze([...PANDAS_1_NA_VALUES, "None"]);

/**
 * The NA strings of the pandas that wrote an attachment, from the `version` setting dstack-py sends
 * (`pandas.__version__`): the 1.x set before 2.0, the current set from 2.0 on and when the version is unknown
 * (the kit's own pushes carry none).
 * @example pandasNaValues("1.5.3").includes("None") // false
 */
export function pandasNaValues(version?: unknown): readonly string[] {
  const major = typeof version === "string" ? /^\s*(\d+)\./.exec(version)?.[1] : undefined;
  return major !== undefined && Number(major) < 2 ? PANDAS_1_NA_VALUES : PANDAS_NA_VALUES;
}

/**
 * Whether a CSV attachment comes from pandas (or claims pandas' rules): application `pandas/dataframe` or
 * `pandas/series` (dstack-py and this kit write these), or a pandas `schema` in its settings.
 */
export function isPandasTable(info: Pick<AttachmentInfo, "application" | "settings">): boolean {
  const application = info.application?.trim().toLowerCase();
  if (application === "pandas/dataframe" || application === "pandas/series") return true;
  return Array.isArray(info.settings?.schema);
}
