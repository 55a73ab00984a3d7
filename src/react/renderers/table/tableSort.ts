import { type Column, type ColumnTable, isNullAt } from "../../../model/columnTable";

export type SortDirection = "ascending" | "descending";

export interface TableSort {
  column: number;
  direction: SortDirection;
}

/** Numeric sort keys for a column (NaN where missing), so one fast comparison serves every type. */
function numericKeys(column: Column, rowCount: number): Float64Array | undefined {
  const keys = new Float64Array(rowCount);
  switch (column.type) {
    case "number":
    case "date":
      keys.set(column.values as Float64Array);
      break;
    case "boolean":
      keys.set(column.values as Uint8Array);
      break;
    default: {
      if (!column.dictionary) return undefined;
      // Rank the dictionary once; rows then compare as integers.
      const dictionary = column.dictionary;
      const order = dictionary.map((_, i) => i).sort((a, b) => compareText(dictionary[a] ?? "", dictionary[b] ?? ""));
      const rank = new Float64Array(dictionary.length);
      order.forEach((code, position) => {
        rank[code] = position;
      });
      const codes = column.values as Uint32Array;
      for (let r = 0; r < rowCount; r++) keys[r] = rank[codes[r] as number] as number;
    }
  }
  if (column.nulls) for (let r = 0; r < rowCount; r++) if (column.nulls[r]) keys[r] = Number.NaN;
  return keys;
}

// Plain code-unit order: locale-aware comparison is ~20x slower and a million-row sort must stay interactive.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Row order for a sort: positions into the table, missing values last in both directions, ties in original order.
 * @example sortOrder(table, { column: 1, direction: "descending" })[0] // the row with the largest value
 */
export function sortOrder(table: ColumnTable, sort: TableSort): Uint32Array {
  const n = table.rowCount;
  const column = table.columns[sort.column];
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (!column) return order;
  const sign = sort.direction === "ascending" ? 1 : -1;
  const keys = numericKeys(column, n);
  if (keys) {
    order.sort((a, b) => {
      const x = keys[a] as number;
      const y = keys[b] as number;
      const xMissing = Number.isNaN(x);
      const yMissing = Number.isNaN(y);
      if (xMissing || yMissing) return xMissing === yMissing ? a - b : xMissing ? 1 : -1;
      return x === y ? a - b : (x < y ? -1 : 1) * sign;
    });
    return order;
  }
  const text = column.values as string[];
  order.sort((a, b) => {
    const xMissing = isNullAt(column, a);
    const yMissing = isNullAt(column, b);
    if (xMissing || yMissing) return xMissing === yMissing ? a - b : xMissing ? 1 : -1;
    return compareText(text[a] as string, text[b] as string) * sign || a - b;
  });
  return order;
}

/** The next sort when a column header is pressed: ascending, then descending, then unsorted. */
export function nextSort(current: TableSort | null, column: number): TableSort | null {
  if (!current || current.column !== column) return { column, direction: "ascending" };
  return current.direction === "ascending" ? { column, direction: "descending" } : null;
}
