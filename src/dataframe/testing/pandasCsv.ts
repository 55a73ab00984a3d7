// Bytes pandas 1.5 writes for dstack-py pushes with missing values, and what pandas' read_csv reads back.
//
// dstack-py 0.5 pushes a DataFrame or Series as `obj.to_csv(buf, index=True, header=True, encoding="utf-8",
// quoting=csv.QUOTE_ALL)` with settings { header, index, schema: [index dtype, *column dtypes], encoding,
// version: pandas.__version__ }. What to_csv does with missing values: every one (None, np.nan, pd.NA, pd.NaT) is
// written as `na_rep`, "" by default, and QUOTE_ALL quotes it like any other field: `""`. Floats are written as
// numpy prints them (1.5, -2.0, 1e-05), nullable integers and booleans as Python does (1, True), datetimes as
// "YYYY-MM-DD HH:MM:SS" when any value has a time of day. An unnamed index has an empty header, an unnamed
// Series the header "0". Lines end with os.linesep ("\n" on Linux and macOS).

import type { AttachmentInfo } from "../../model/types";

const info = (application: string, settings: Record<string, unknown>): AttachmentInfo => ({
  index: 0,
  contentType: "text/csv",
  application,
  params: {},
  settings,
  length: 0,
});

/**
 * import csv; import numpy as np; import pandas as pd  # pandas 1.5.3
 * df = pd.DataFrame({
 *     "obj": ["a", None, np.nan, pd.NA, ""],
 *     "str": pd.array(["x", None, "y", pd.NA, "z"], dtype="string"),
 *     "n": pd.array([1, None, 3, pd.NA, 5], dtype="Int64"),
 *     "flag": pd.array([True, None, False, pd.NA, True], dtype="boolean"),
 *     "x": [1.5, np.nan, -2.0, None, 1e-05],
 *     "when": pd.to_datetime(["2020-01-02 03:04:05", None, "2020-06-30", pd.NaT, "2021-12-31 23:59:59"]),
 * })
 * dstack.push_frame("nulls", df)  # DataFrameEncoder: df.to_csv(buf, index=True, quoting=csv.QUOTE_ALL)
 *
 * pandas' read_csv (dstack-py's pull) reads every `""` as NaN, row 4's empty string in "obj" included.
 */
export const PANDAS_FRAME_CSV = [
  '"","obj","str","n","flag","x","when"',
  '"0","a","x","1","True","1.5","2020-01-02 03:04:05"',
  '"1","","","","","",""',
  '"2","","y","3","False","-2.0","2020-06-30 00:00:00"',
  '"3","","","","","",""',
  '"4","","z","5","True","1e-05","2021-12-31 23:59:59"',
  "",
].join("\n");

export const PANDAS_FRAME_INFO = info("pandas/dataframe", {
  header: true,
  index: true,
  schema: ["int64", "object", "string", "Int64", "boolean", "float64", "datetime64[ns]"],
  encoding: "utf-8",
  version: "1.5.3",
});

/** What pandas reads from PANDAS_FRAME_CSV, as the kit's rows (NaN, <NA> and NaT as null). */
export const PANDAS_FRAME_ROWS = [
  { "": 0, obj: "a", str: "x", n: 1, flag: true, x: 1.5, when: new Date(Date.UTC(2020, 0, 2, 3, 4, 5)) },
  { "": 1, obj: null, str: null, n: null, flag: null, x: null, when: null },
  { "": 2, obj: null, str: "y", n: 3, flag: false, x: -2, when: new Date(Date.UTC(2020, 5, 30)) },
  { "": 3, obj: null, str: null, n: null, flag: null, x: null, when: null },
  { "": 4, obj: null, str: "z", n: 5, flag: true, x: 1e-5, when: new Date(Date.UTC(2021, 11, 31, 23, 59, 59)) },
];

/**
 * s = pd.Series(["a", None, "b", np.nan])  # object, unnamed
 * dstack.push_frame("series", s)  # SeriesEncoder: s.to_csv(buf, index=True, quoting=csv.QUOTE_ALL)
 */
export const PANDAS_SERIES_CSV = '"","0"\n"0","a"\n"1",""\n"2","b"\n"3",""\n';

export const PANDAS_SERIES_INFO = info("pandas/series", {
  header: true,
  index: true,
  schema: ["int64", "object"],
  encoding: "utf-8",
  version: "1.5.3",
});

export const PANDAS_SERIES_ROWS = [
  { "": 0, "0": "a" },
  { "": 1, "0": null },
  { "": 2, "0": "b" },
  { "": 3, "0": null },
];

/**
 * Strings that read_csv takes for NA markers, held as data:
 * df = pd.DataFrame({"code": ["NA", "N/A", "n/a", "#N/A", "NULL", "null", "nan", "-NaN", "<NA>", "None", "ok"]})
 * dstack.push_frame("codes", df)  # pandas 1.5.3
 *
 * pandas 1.5's read_csv reads all but "None" and "ok" as NaN; pandas 2.0 and later read "None" as NaN too.
 */
export const PANDAS_CODES_CSV = [
  '"","code"',
  ...["NA", "N/A", "n/a", "#N/A", "NULL", "null", "nan", "-NaN", "<NA>", "None", "ok"].map((s, i) => `"${i}","${s}"`),
  "",
].join("\n");

export const pandasCodesInfo = (version: string): AttachmentInfo =>
  info("pandas/dataframe", {
    header: true,
    index: true,
    schema: ["int64", "object"],
    encoding: "utf-8",
    version,
  });

/**
 * Typed columns whose missing cells carry pd.NA's text:
 * df = pd.DataFrame({"x": [0.5, np.nan], "n": pd.array([None, 7], dtype="Int64"),
 *                    "flag": pd.array([pd.NA, False], dtype="boolean"), "when": pd.to_datetime([None, "2020-01-02"])})
 * df.to_csv(buf, index=False, quoting=csv.QUOTE_ALL, na_rep="<NA>")
 * pushed with its dtypes as settings.schema by a client other than dstack-py (no application). Dates-only
 * datetimes are written as "YYYY-MM-DD".
 */
export const PANDAS_NA_REP_CSV = '"x","n","flag","when"\n"0.5","<NA>","<NA>","<NA>"\n"<NA>","7","False","2020-01-02"\n';

export const PANDAS_NA_REP_INFO: AttachmentInfo = {
  index: 0,
  contentType: "text/csv",
  params: {},
  settings: { header: true, index: false, schema: ["float64", "Int64", "boolean", "datetime64[ns]"] },
  length: 0,
};

export const PANDAS_NA_REP_ROWS = [
  { x: 0.5, n: null, flag: null, when: null },
  { x: null, n: 7, flag: false, when: new Date(Date.UTC(2020, 0, 2)) },
];
