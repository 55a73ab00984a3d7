import { createContext, useContext } from "react";
import type { TableParserLike } from "../client/decode";
import type { StackStore } from "../model/stackStore";
import type { BokehSource, PlotlySource } from "./renderers/externalLibraries";
import type { AttachmentRenderer } from "./renderers/types";

/** `auto` follows the host page's colour scheme: its `color-scheme` declaration, else its background's lightness. */
export type Theme = "light" | "dark" | "auto";

export interface DstackContextValue {
  store: StackStore;
  storeKey: string;
  /** Host renderers first, then the built-in ones they do not replace. */
  renderers: readonly AttachmentRenderer[];
  plotly: PlotlySource | undefined;
  bokeh: BokehSource | undefined;
  /** Whether pushed content may run in the page (bokeh plots embedded in it rather than in a sandboxed frame). */
  trustContent: boolean;
  theme: Theme;
  /** Parses table attachments (e.g. `createTableParser()` from `dstack-kit/dataframe`, in workers); in-thread when undefined. */
  tableParser: TableParserLike | undefined;
  /** Refetch interval (ms) for stack lists, stacks and dashboards; false when the store's events suffice. */
  pollInterval: number | false;
}

export const DstackContext = createContext<DstackContextValue | null>(null);

/** The provider's value; throws a clear error outside `<DstackProvider>`. */
export function useDstackContext(): DstackContextValue {
  const value = useContext(DstackContext);
  if (!value) throw new Error("dstack-kit/react: wrap your components in <DstackProvider store={...}>");
  return value;
}
