// The virtualized table in Chromium with real layout: a million rows from the store mount as a few dozen DOM rows,
// stay that way while scrolling to the end, and sort.
import { describe, expect, it } from "vitest";
import { pushMillionFlights } from "../../../../stories/seed/showcase";
import { flightRows } from "../../../../stories/seed/vegaData";
import { pushFrame } from "../../../client/frame";
import { createMemoryStore } from "../../../storage/memoryStore";
import { StackView } from "../../stackView/StackView";
import { renderInBrowser, waitFor } from "../../testing/renderInBrowser";

const MAX_DOM_ROWS = 300;
const domRows = () => document.querySelectorAll('.dk-table [role="row"]').length;
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

describe("virtualized table (Chromium)", () => {
  it("shows a 1,000,000-row table with a few dozen DOM rows, scrolled anywhere, and sorts it", async () => {
    const store = createMemoryStore();
    await pushMillionFlights(store);
    await renderInBrowser(<StackView stack="flights/million" />, store);
    const grid = await waitFor(
      () => document.querySelector<HTMLElement>('.dk-table [role="table"]'),
      60_000,
      "the table",
    );
    expect(grid.getAttribute("aria-rowcount")).toBe("1000001");
    const rendered = domRows();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(MAX_DOM_ROWS);

    const scroller = document.querySelector<HTMLElement>(".dk-table__scroll") as HTMLElement;
    scroller.scrollTop = scroller.scrollHeight;
    await waitFor(() => document.querySelector('[aria-rowindex="1000001"]'), 10_000, "the last row");
    expect(domRows()).toBeLessThan(MAX_DOM_ROWS);

    scroller.scrollTop = 0;
    await nextFrame();
    const header = document.querySelector<HTMLElement>(
      '[role="columnheader"][aria-colindex="2"] button',
    ) as HTMLElement;
    expect(header.textContent).toContain("delay");
    header.click();
    await waitFor(
      () => document.querySelector('[role="columnheader"][aria-sort="ascending"]'),
      30_000,
      "the sorted column",
    );
    await nextFrame();
    const firstDelay = document.querySelector('[aria-rowindex="2"] [aria-colindex="2"]')?.textContent;
    expect(firstDelay).toBe(String(Math.min(...flightRows.map((f) => f.delay))));
  });

  it("stripes rows across the whole box when the columns are narrower than it, as the header band is", async () => {
    const store = createMemoryStore();
    const rows = Array.from({ length: 6 }, (_, i) => ({ a: i, b: `x${i}` }));
    await pushFrame({ stack: "narrow/table", data: rows, store });
    await renderInBrowser(<StackView stack="narrow/table" />, store);
    const odd = await waitFor(() => document.querySelector<HTMLElement>(".dk-table__row--odd"), 30_000, "rows");
    const scroller = document.querySelector<HTMLElement>(".dk-table__scroll") as HTMLElement;
    const head = document.querySelector<HTMLElement>(".dk-table__head") as HTMLElement;
    const columns = [...odd.querySelectorAll<HTMLElement>('[role="cell"]')];
    const columnsRight = Math.max(...columns.map((c) => c.getBoundingClientRect().right));
    // The case this covers: columns end well before the box does
    expect(columnsRight).toBeLessThan(scroller.getBoundingClientRect().right - 100);
    expect(odd.getBoundingClientRect().width).toBe(scroller.clientWidth);
    expect(head.getBoundingClientRect().width).toBe(scroller.clientWidth);
  });
});
