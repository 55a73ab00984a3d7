// Virtualized rows and cells are absolutely positioned divs (a <table> cannot lay out that way); ARIA table roles
// give them table semantics, and aria-rowcount/aria-rowindex tell screen readers where they are in the whole table.
// biome-ignore-all lint/a11y/useSemanticElements: see above
// biome-ignore-all lint/a11y/useFocusableInteractive: a read-only table, not a grid: rows and cells take no focus
// biome-ignore-all lint/a11y/noNoninteractiveTabindex: the scrolling region takes focus so keys can scroll it
import { useVirtualizer } from "@tanstack/react-virtual";
import { type ReactNode, useMemo, useRef, useState, useTransition } from "react";
import type { Column, ColumnTable } from "../../../model/columnTable";
import { cx } from "../../ui/format";
import { columnWidth, formatCell } from "./formatCell";
import { nextSort, sortOrder, type TableSort } from "./tableSort";

export const ROW_HEIGHT = 32;
export const HEADER_HEIGHT = 36;
const MAX_HEIGHT = 480;
// Before the first measurement (and on the server) the table assumes this viewport, so SSR markup has rows and
// hydration renders the same ones.
const INITIAL_RECT = { width: 960, height: MAX_HEIGHT };
const NUMBER_FORMAT = new Intl.NumberFormat("en");

export interface DataTableProps {
  table: ColumnTable;
  /** Accessible name of the table. */
  label: string;
  /** Extra controls in the toolbar (e.g. a download button). */
  toolbar?: ReactNode;
}

/** The pandas index (when there is one) first, as pandas prints it. */
function displayColumns(table: ColumnTable): Column[] {
  const index = table.index === undefined ? undefined : table.columns.find((c) => c.name === table.index);
  return index ? [index, ...table.columns.filter((c) => c !== index)] : table.columns;
}

const SORT_ICON = { ascending: "▲", descending: "▼" } as const;

/**
 * A virtualized table for a ColumnTable of any size: only the rows and columns in view (plus a small overscan)
 * are in the DOM, so a million rows mount as a few dozen. Column headers sort (ascending, descending, off);
 * missing values show as a faded "null" and sort last.
 */
export function DataTable({ table, label, toolbar }: DataTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const columns = useMemo(() => displayColumns(table), [table]);
  const view = useMemo(() => ({ ...table, columns }), [table, columns]);
  const widths = useMemo(() => columns.map((c) => columnWidth(c, table.rowCount)), [columns, table.rowCount]);
  const [sort, setSort] = useState<TableSort | null>(null);
  const [sorting, startSorting] = useTransition();
  const order = useMemo(() => (sort ? sortOrder(view, sort) : null), [view, sort]);

  const rows = useVirtualizer({
    count: table.rowCount,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollMargin: HEADER_HEIGHT,
    initialRect: INITIAL_RECT,
  });
  const cols = useVirtualizer({
    horizontal: true,
    count: columns.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => widths[i] ?? 120,
    overscan: 2,
    initialRect: INITIAL_RECT,
  });

  const width = cols.getTotalSize();
  const bodyHeight = rows.getTotalSize();
  const height = Math.min(MAX_HEIGHT, HEADER_HEIGHT + Math.max(bodyHeight, ROW_HEIGHT) + 16);
  const virtualColumns = cols.getVirtualItems();
  const numeric = (c: Column | undefined) => c?.type === "number";

  return (
    <div className="dk-table">
      <div className="dk-table__toolbar">
        <span className="dk-table__summary">
          {NUMBER_FORMAT.format(table.rowCount)} {table.rowCount === 1 ? "row" : "rows"} ×{" "}
          {NUMBER_FORMAT.format(columns.length)} {columns.length === 1 ? "column" : "columns"}
          {sorting && <span className="dk-table__sorting"> · sorting…</span>}
        </span>
        {toolbar}
      </div>
      <div
        ref={scroller}
        className="dk-table__scroll"
        style={{ height }}
        tabIndex={0}
        role="region"
        aria-label={`${label}, scrollable`}
      >
        <div
          role="table"
          aria-label={label}
          aria-rowcount={table.rowCount + 1}
          aria-colcount={columns.length}
          aria-busy={sorting || undefined}
          className="dk-table__grid"
          style={{ width }}
        >
          <div role="rowgroup" className="dk-table__head">
            <div role="row" aria-rowindex={1} className="dk-table__row" style={{ height: HEADER_HEIGHT, width }}>
              {virtualColumns.map((vc) => {
                const column = columns[vc.index];
                const direction = sort?.column === vc.index ? sort.direction : undefined;
                return (
                  <div
                    key={vc.key}
                    role="columnheader"
                    aria-colindex={vc.index + 1}
                    aria-sort={direction}
                    className={cx(
                      "dk-table__cell dk-table__cell--head",
                      numeric(column) && "dk-table__cell--number",
                      column?.name === table.index && "dk-table__cell--index",
                    )}
                    style={{ left: vc.start, width: vc.size }}
                  >
                    <button
                      type="button"
                      className="dk-table__sort"
                      onClick={() => startSorting(() => setSort((s) => nextSort(s, vc.index)))}
                    >
                      <span className="dk-table__name">{column?.name || "(index)"}</span>
                      <span className="dk-table__sort-icon" aria-hidden="true">
                        {direction ? SORT_ICON[direction] : ""}
                      </span>
                    </button>
                  </div>
                );
              })}
            </div>
          </div>
          <div role="rowgroup" className="dk-table__body" style={{ height: bodyHeight, width }}>
            {table.rowCount === 0 && (
              <div role="row" className="dk-table__empty">
                <div role="cell">No rows</div>
              </div>
            )}
            {rows.getVirtualItems().map((vr) => {
              const row = order ? (order[vr.index] as number) : vr.index;
              return (
                <div
                  key={vr.key}
                  role="row"
                  aria-rowindex={vr.index + 2}
                  className={cx("dk-table__row", vr.index % 2 === 1 && "dk-table__row--odd")}
                  style={{ transform: `translateY(${vr.start - HEADER_HEIGHT}px)`, width, height: ROW_HEIGHT }}
                >
                  {virtualColumns.map((vc) => {
                    const column = columns[vc.index] as Column;
                    const text = formatCell(column, row);
                    return (
                      <div
                        key={vc.key}
                        role="cell"
                        aria-colindex={vc.index + 1}
                        className={cx(
                          "dk-table__cell",
                          numeric(column) && "dk-table__cell--number",
                          column.name === table.index && "dk-table__cell--index",
                        )}
                        style={{ left: vc.start, width: vc.size }}
                      >
                        {text === null ? <span className="dk-table__null">null</span> : text}
                      </div>
                    );
                  })}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
