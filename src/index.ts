// dstack-kit: model, client API and stores. Framework-free; nothing here touches the DOM at import time.

export type { TableParserLike, TableShape } from "./client/decode";
export { getDefaultStore, setDefaultStore } from "./client/defaultStore";
export {
  createFrame,
  type FrameBuilder,
  type FrameOptions,
  type FramePushOptions,
  type PushFrameInput,
  pushFrame,
  type StackAccess,
} from "./client/frame";
export { type PullOptions, pull } from "./client/pull";
export { type PullTableOptions, pullTable } from "./client/pullTable";

export {
  type CellValue,
  type Column,
  type ColumnTable,
  type ColumnType,
  columnValue,
  isColumnTable,
  rowsToTable,
  type TableRow,
  tableToRows,
} from "./model/columnTable";
export {
  cardAttachment,
  cardIsShown,
  type DashboardParams,
  dashboardSelection,
  planDashboardParams,
} from "./model/dashboardParams";
export {
  AbortError,
  AttachmentNotFoundError,
  BadCredentialsError,
  CardNotFoundError,
  DashboardNotFoundError,
  DstackError,
  ForbiddenError,
  FrameNotFoundError,
  InvalidRequestError,
  InvalidStackNameError,
  MalformedAttachmentError,
  ParseError,
  PayloadTooLargeError,
  StackNotFoundError,
  UnsupportedObjectError,
} from "./model/errors";
export {
  availableOptions,
  buildParamSpace,
  type ControlKind,
  completeSelection,
  matchAttachment,
  mergeParamSpaces,
  type ParamControl,
  type ParamOption,
  type ParamSelection,
  type ParamSpace,
  type SelectionValue,
  selectionFor,
  TAB_KEY,
} from "./model/paramSpace";
export type { Params, ParamValue, TabParam } from "./model/params";
export { parseStackPath, type StackPath } from "./model/stackPath";
export type { ReadOptions, StackStore } from "./model/stackStore";
export type {
  AttachmentInfo,
  AttachmentPush,
  Card,
  CardInit,
  CardPatch,
  Dashboard,
  DashboardPatch,
  FrameInfo,
  FramePush,
  FrameSummary,
  PushOptions,
  PushResult,
  Settings,
  StackInfo,
  StackPatch,
  StackSummary,
  StoreEvent,
} from "./model/types";
export { createHttpStore, type HttpStore, type HttpStoreOptions } from "./storage/httpStore";
export { createIndexedDBStore, type IndexedDBStoreOptions } from "./storage/indexedDBStore";
export { createMemoryStore, type MemoryStoreOptions } from "./storage/memoryStore";
