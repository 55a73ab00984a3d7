// dstack-kit/dataframe: the table parser (a pool of Web Workers, or in-thread where there are none), the danfojs
// bridge and the CSV writer. Nothing runs at import time: workers start on the first parse, danfojs loads on the
// first toDataFrame. The kit's other errors (ParseError, AbortError, DstackError) come from `dstack-kit`.

export type { Column, ColumnTable, ColumnType } from "../model/columnTable";
export { toCSV } from "./csvWriter";
export { type DanfoFrameLike, fromDataFrame, toDataFrame } from "./danfo";
export { PANDAS_1_NA_VALUES, PANDAS_NA_VALUES } from "./pandasNa";
export {
  type ParseOptions,
  parseTableSync,
  type TableFormat,
  type TableInput,
  type TableParseOptions,
} from "./parseTable";
export { EncodingError } from "./position";
export { createTableParser, type TableParser, type TableParserOptions } from "./tableParser";
