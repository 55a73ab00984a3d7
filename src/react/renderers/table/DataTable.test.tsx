import { fireEvent, render, screen, within } from "@testing-library/react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ColumnTable } from "../../../model/columnTable";
import { DataTable } from "./DataTable";

// jsdom has no layout: give scroll containers a desktop-sized box so the virtualizer sees a viewport.
const sizes = {
  clientWidth: Object.getOwnPropertyDescriptor(Element.prototype, "clientWidth"),
  clientHeight: Object.getOwnPropertyDescriptor(Element.prototype, "clientHeight"),
};
beforeAll(() => {
  Object.defineProperty(Element.prototype, "clientWidth", { configurable: true, get: () => 960 });
  Object.defineProperty(Element.prototype, "clientHeight", { configurable: true, get: () => 480 });
});
afterAll(() => {
  if (sizes.clientWidth) Object.defineProperty(Element.prototype, "clientWidth", sizes.clientWidth);
  if (sizes.clientHeight) Object.defineProperty(Element.prototype, "clientHeight", sizes.clientHeight);
});

/** A wide, tall table whose columns share one values array (200 columns of a million rows would be 1.6 GB). */
function bigTable(rows: number, columns: number): ColumnTable {
  const values = new Float64Array(rows);
  for (let r = 0; r < rows; r++) values[r] = (r * 7) % 1000;
  return {
    rowCount: rows,
    columns: Array.from({ length: columns }, (_, c) => ({ name: `col${c}`, type: "number" as const, values })),
  };
}

describe("DataTable", () => {
  it("mounts a few dozen rows and columns of a huge table, with ARIA counts for the whole", () => {
    render(<DataTable table={bigTable(1_000_000, 200)} label="Big" />);
    const table = screen.getByRole("table", { name: "Big" });
    expect(table.getAttribute("aria-rowcount")).toBe("1000001");
    expect(table.getAttribute("aria-colcount")).toBe("200");
    const rows = within(table).getAllByRole("row");
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(60);
    const headers = within(table).getAllByRole("columnheader");
    expect(headers.length).toBeLessThan(20);
    expect(document.querySelector(".dk-table__summary")?.textContent).toBe("1,000,000 rows × 200 columns");
  });

  it("sorts by a column: ascending, descending, then back to the original order", () => {
    const table = {
      rowCount: 4,
      columns: [
        { name: "city", type: "string" as const, values: ["Rome", "Austin", "Oslo", "Lima"] },
        { name: "temp", type: "number" as const, values: new Float64Array([18, 25.5, Number.NaN, 21]) },
      ],
    };
    render(<DataTable table={table} label="Cities" />);
    const firstColumn = () =>
      screen
        .getAllByRole("row")
        .slice(1)
        .map((row) => within(row).getAllByRole("cell")[0]?.textContent);
    const header = screen.getByRole("columnheader", { name: "temp" });
    expect(header.getAttribute("aria-sort")).toBeNull();
    fireEvent.click(within(header).getByRole("button"));
    expect(header.getAttribute("aria-sort")).toBe("ascending");
    expect(firstColumn()).toEqual(["Rome", "Lima", "Austin", "Oslo"]);
    fireEvent.click(within(header).getByRole("button"));
    expect(header.getAttribute("aria-sort")).toBe("descending");
    expect(firstColumn()).toEqual(["Austin", "Lima", "Rome", "Oslo"]);
    fireEvent.click(within(header).getByRole("button"));
    expect(firstColumn()).toEqual(["Rome", "Austin", "Oslo", "Lima"]);
    // A missing number shows as a faded null.
    expect(screen.getByText("null").className).toBe("dk-table__null");
  });

  it("puts the pandas index first and formats dates, booleans and floats", () => {
    const table: ColumnTable = {
      rowCount: 2,
      index: "",
      columns: [
        { name: "when", type: "date", values: new Float64Array([Date.UTC(2020, 0, 2), Date.UTC(2020, 0, 2, 13, 5)]) },
        { name: "ok", type: "boolean", values: new Uint8Array([1, 0]) },
        { name: "x", type: "number", values: new Float64Array([1 / 3, 2]) },
        { name: "", type: "number", values: new Float64Array([0, 1]) },
      ],
    };
    render(<DataTable table={table} label="Typed" />);
    const cells = screen
      .getAllByRole("row")
      .slice(1)
      .map((row) =>
        within(row)
          .getAllByRole("cell")
          .map((c) => c.textContent),
      );
    expect(cells).toEqual([
      ["0", "2020-01-02", "True", "0.333333"],
      ["1", "2020-01-02 13:05:00", "False", "2"],
    ]);
    expect(screen.getAllByRole("columnheader")[0]?.textContent).toBe("(index)");
  });

  it("says so when there are no rows", () => {
    render(<DataTable table={{ rowCount: 0, columns: [{ name: "a", type: "string", values: [] }] }} label="Empty" />);
    const table = screen.getByRole("table", { name: "Empty" });
    expect(table.getAttribute("aria-rowcount")).toBe("1");
    // The header, then one row that says there are none.
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(2);
    expect(rows[1]?.textContent).toBe("No rows");
    expect(document.querySelector(".dk-table__summary")?.textContent).toBe("0 rows × 1 column");
  });
});
