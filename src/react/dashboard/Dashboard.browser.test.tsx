// <Dashboard> in real Chromium: drag and drop, live updates across two IndexedDB connections, an edited dashboard
// surviving a "reload" (a new connection and a new cache), the grid at 1024 and 320 px, and axe in light and dark.
import axe from "axe-core";
import { afterEach, describe, expect, it } from "vitest";
import { page, userEvent } from "vitest/browser";
import { createFrame, pushFrame } from "../../client/frame";
import type { StackStore } from "../../model/stackStore";
import { createIndexedDBStore } from "../../storage/indexedDBStore";
import { createMemoryStore } from "../../storage/memoryStore";
import { renderInBrowser, waitFor } from "../testing/renderInBrowser";
import { Dashboard } from "./Dashboard";

const order = () => [...document.querySelectorAll<HTMLElement>("article[data-stack]")].map((el) => el.dataset.stack);
const cardText = (stack: string) =>
  document.querySelector(`article[data-stack="${stack}"] .dk-attachment__markdown`)?.textContent ?? "";

async function violations(root: Element): Promise<string[]> {
  const result = await axe.run(root, { resultTypes: ["violations"] });
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).join("\n  ")}`,
  );
}

/** Waits until the four cards are there, no skeleton is left, plots have drawn and markdown is parsed. */
const settled = () =>
  waitFor(
    () =>
      document.querySelectorAll("article[data-stack]").length >= 4 &&
      document.querySelectorAll(".dk-skeleton").length === 0 &&
      document.querySelectorAll('.dk-plot[data-state="drawing"]').length === 0 &&
      document.querySelectorAll(".dk-markdown__source").length === 0,
    60_000,
    "every card to render",
  );

/** Two stacks sharing Region, each with a param of its own; a table; a plot; a card whose stack is missing. */
async function seed(store: StackStore): Promise<string> {
  const sales = createFrame("sales", { store });
  for (const region of ["EU", "US"])
    for (const year of [2020, 2021])
      sales.commit(`# Sales ${region} ${year}`, `Sales in **${region}**`, { Region: region, Year: year });
  await sales.push({ message: "sales" });
  const weather = createFrame("weather", { store });
  for (const region of ["EU", "Asia"])
    for (const kind of ["rain", "sun"])
      weather.commit(
        [
          { day: 1, [kind]: 3.5 },
          { day: 2, [kind]: 1.25 },
        ],
        `${kind} in ${region}`,
        { Region: region, Kind: kind },
      );
  await weather.push({ message: "weather" });
  await pushFrame({
    stack: "plot",
    store,
    data: { data: [{ type: "scatter", x: [1, 2, 3], y: [2, 1, 3] }], layout: { title: { text: "A plot" } } },
    description: "A plotly figure",
  });
  const d = await store.createDashboard({ title: "Region report", description: "Sales and weather **by region**" });
  await store.insertCards(store.user, d.id, 0, [
    { stack: "sales" },
    { stack: "weather" },
    { stack: "plot", columns: 2 },
    { stack: "missing" },
  ]);
  return d.id;
}

const databases: string[] = [];
afterEach(async () => {
  await page.viewport(1024, 768);
  for (const name of databases.splice(0)) indexedDB.deleteDatabase(name);
});

describe("Dashboard (Chromium)", () => {
  it("reorders cards by dragging one onto another, and saves the order", async () => {
    const store = createMemoryStore();
    const id = await seed(store);
    const screen = await renderInBrowser(<Dashboard id={id} editable />, store);
    await waitFor(() => order().length === 4, 10_000, "four cards");
    await page.viewport(1024, 768);
    const handle = document.querySelector<HTMLElement>('article[data-stack="dstack/weather"] .dk-card__handle');
    const target = document.querySelector<HTMLElement>('article[data-stack="dstack/sales"]');
    if (!handle || !target) throw new Error("no handle or target");
    await userEvent.dragAndDrop(handle, target);
    await waitFor(() => order()[0] === "dstack/weather", 10_000, "the dragged card first");
    expect(order()).toEqual(["dstack/weather", "dstack/sales", "dstack/plot", "dstack/missing"]);
    await expect.element(screen.getByText("Moved weather to position 1 of 4.")).toBeInTheDocument();
    await waitFor(
      async () => (await store.getDashboard(store.user, id)).cards[0]?.stack === "dstack/weather",
      10_000,
      "the order saved",
    );
  });

  it("updates a card when its stack gets a new head through another IndexedDB connection", async () => {
    const dbName = `dstack-dashboard-live-${crypto.randomUUID()}`;
    databases.push(dbName);
    const viewer = createIndexedDBStore({ dbName });
    const writer = createIndexedDBStore({ dbName });
    try {
      const id = await seed(writer);
      await renderInBrowser(<Dashboard id={id} />, viewer);
      await waitFor(() => cardText("dstack/sales") === "Sales EU 2020", 20_000, "the first sales head");
      const next = createFrame("sales", { store: writer });
      for (const region of ["EU", "US"]) next.commit(`Revised ${region}`, undefined, { Region: region, Year: 2020 });
      await next.push({ message: "revised" });
      await waitFor(() => cardText("dstack/sales") === "Revised EU", 20_000, "the new head in the card");
      // The dashboard's own change (a card removed by the other connection) arrives too
      await writer.deleteCard(writer.user, id, "missing");
      await waitFor(() => order().length === 3, 20_000, "the removed card gone");
    } finally {
      viewer.close?.();
      writer.close?.();
    }
  });

  it("keeps an edited dashboard across a reload (a new connection and a new cache)", async () => {
    const dbName = `dstack-dashboard-reload-${crypto.randomUUID()}`;
    databases.push(dbName);
    const first = createIndexedDBStore({ dbName });
    const id = await seed(first);
    const screen = await renderInBrowser(<Dashboard id={id} editable />, first);
    await screen.getByRole("button", { name: "Move weather up" }).click();
    await screen.getByRole("button", { name: "Full width: sales" }).click();
    await screen.getByRole("button", { name: "Edit dashboard title" }).click();
    await screen.getByLabelText("Dashboard title").fill("Renamed report");
    await userEvent.keyboard("{Enter}");
    await expect.element(screen.getByRole("heading", { level: 2, name: "Renamed report" })).toBeVisible();
    await waitFor(
      async () => (await first.getDashboard(first.user, id)).title === "Renamed report",
      10_000,
      "the title saved",
    );
    await screen.unmount();
    first.close?.();

    const second = createIndexedDBStore({ dbName });
    try {
      const again = await renderInBrowser(<Dashboard id={id} />, second);
      await expect.element(again.getByRole("heading", { level: 2, name: "Renamed report" })).toBeVisible();
      expect(order()).toEqual(["dstack/weather", "dstack/sales", "dstack/plot", "dstack/missing"]);
      expect(document.querySelector('article[data-stack="dstack/sales"]')?.classList.contains("dk-card--wide")).toBe(
        true,
      );
    } finally {
      second.close?.();
    }
  });

  it("lays cards out in two columns when wide, one at 320 px, without horizontal scrolling", async () => {
    const store = createMemoryStore();
    const id = await seed(store);
    await page.viewport(1024, 768);
    await renderInBrowser(<Dashboard id={id} editable />, store);
    await settled();
    const box = (stack: string) =>
      (document.querySelector(`article[data-stack="dstack/${stack}"]`) as HTMLElement).getBoundingClientRect();
    // 1024 px: sales and weather side by side; the wide plot card below them, spanning both
    expect(box("weather").top).toBe(box("sales").top);
    expect(box("weather").left).toBeGreaterThan(box("sales").right);
    expect(box("plot").top).toBeGreaterThan(box("sales").bottom);
    expect(box("plot").width).toBeGreaterThan(box("sales").width * 1.9);

    await page.viewport(320, 640);
    await waitFor(() => box("weather").top > box("sales").bottom, 10_000, "one column");
    const root = document.querySelector<HTMLElement>(".dk-dashboard");
    expect(root?.getBoundingClientRect().width).toBeLessThanOrEqual(320);
    // Plotly redraws at the new width a frame after the resize
    await waitFor(() => document.documentElement.scrollWidth <= 320, 10_000, "no horizontal scrolling");
    for (const card of document.querySelectorAll<HTMLElement>("article[data-stack]")) {
      expect(card.getBoundingClientRect().right).toBeLessThanOrEqual(320);
      expect(card.scrollWidth).toBeLessThanOrEqual(card.clientWidth);
    }
  });

  for (const theme of ["light", "dark"] as const) {
    it(`has no axe violations in view and edit mode, picker open (${theme})`, async () => {
      const store = createMemoryStore();
      const id = await seed(store);
      const view = await renderInBrowser(<Dashboard id={id} theme={theme} />, store);
      await settled();
      expect(await violations(document.body)).toEqual([]);
      await view.unmount();
      const screen = await renderInBrowser(<Dashboard id={id} theme={theme} editable headingLevel={1} />, store);
      await settled();
      expect(await violations(document.body)).toEqual([]);
      await screen.getByRole("button", { name: "Add stacks" }).click();
      await expect.element(screen.getByLabelText("Search stacks")).toBeVisible();
      await waitFor(() => document.querySelectorAll(".dk-picker__item").length > 0, 10_000, "the stack list");
      expect(await violations(document.body)).toEqual([]);
    });
  }
});
