// dstack-kit/dataframe: the table parser (a pool of Web Workers, or in-thread where there are none), the danfojs
// bridge and the CSV writer. Nothing runs at import time: workers start on the first parse, danfojs loads on the
// first toDataFrame.

import type { ColumnTable } from "../model/columnTable";
import { writeCsv } from "./csvWriter";
import { type DanfoFrameLike, dataFrameToTable, tableToDataFrame } from "./danfo";

export type { Column, ColumnTable, ColumnType } from "../model/columnTable";
export { AbortError, DstackError, ParseError } from "../model/errors";
export type { DanfoFrameLike } from "./danfo";
export { PANDAS_1_NA_VALUES, PANDAS_NA_VALUES, pandasNaValues } from "./pandasNa";
export {
  type ParseOptions,
  parseTableSync,
  type TableFormat,
  type TableInput,
  type TableParseOptions,
} from "./parseTable";
export { EncodingError } from "./position";
export { createTableParser, type TableParser, type TableParserOptions } from "./tableParser";

/**
 * A danfojs DataFrame of the table (danfojs is imported on first use). Missing values are null, dates are Dates,
 * dictionary codes are resolved; the index column, if any, becomes the DataFrame's index. Typed structurally, so
 * these types need no danfojs; name danfojs' type to get its methods.
 * @example const df = await toDataFrame<DataFrame>(table); df.describe().print(); // import type { DataFrame } from "danfojs"
 */
export function toDataFrame<Frame extends DanfoFrameLike = DanfoFrameLike>(table: ColumnTable): Promise<Frame> {
  // The object is danfojs' own DataFrame; the caller's danfojs supplies its full type.
  return tableToDataFrame(table) as Promise<Frame>;
}

/**
 * A ColumnTable of a danfojs DataFrame or Series, types inferred from the values; a non-default index becomes
 * an index column named "".
 * @example const table = fromDataFrame(df);
 */
export function fromDataFrame(df: DanfoFrameLike): ColumnTable {
  return dataFrameToTable(df);
}

/**
 * RFC 4180 CSV of the table, header first, the index column first when `table.index` is set; what
 * `parseTableSync` reads back to the same table (see the README for the exact rules). Read with
 * `naValues: PANDAS_NA_VALUES`, as pandas and `pull` read a pushed table, empty strings and strings spelled
 * like pandas' NA markers come back missing.
 * @example toCSV(table) // "a,b\n1,x\n"
 */
export function toCSV(table: ColumnTable): string {
  return writeCsv(table);
}
