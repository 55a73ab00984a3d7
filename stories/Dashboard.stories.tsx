// The Dashboard catalog: one story per state, each a test through @storybook/addon-vitest in Chromium. The stories
// own what needs a real browser and real data (Plotly drawing the cards, vega-datasets stacks, the store's saved
// copy after an edit); src/react/dashboard's jsdom tests own the merging rules and every keyboard path.
import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fireEvent, userEvent, waitFor, within } from "storybook/test";
import { pushFrame } from "../src/client/frame";
import type { StackStore } from "../src/model/stackStore";
import type { Dashboard as DashboardData } from "../src/model/types";
import { Dashboard, type DashboardProps } from "../src/react";
import { createMemoryStore } from "../src/storage/memoryStore";
import { countryStack, dashboardStacks, fullPath, seedDashboard, TWENTY_COUNTRIES, YEARS } from "./seed/dashboards";
import { carRows } from "./seed/vegaData";
import { forbidStacks, refusingCardStore } from "./support/dashboardStores";
import { ThemedPage } from "./support/page";
import { StoryProvider } from "./support/storeProvider";

// Plotly and the markdown renderer load lazily; a cold Vite server on a loaded machine can take a while to hand
// them over, so every wait gets a generous limit (a failing assertion still fails, only later).
const SLOW = { timeout: 60_000 };
const eventually = <T,>(check: () => T | Promise<T>) => waitFor(check, SLOW);

interface Loaded {
  store: StackStore;
  dashboard: DashboardData;
}

/** A loader: the shared stacks, a fresh dashboard with these cards, and optionally a view of the store. */
const withDashboard =
  (
    init: Parameters<typeof seedDashboard>[1],
    cards: Parameters<typeof seedDashboard>[2],
    wrap: (store: StackStore) => StackStore = (s) => s,
  ) =>
  async (): Promise<Loaded> => {
    const base = await dashboardStacks();
    return { store: wrap(base), dashboard: await seedDashboard(base, init, cards) };
  };

/** The card showing `stack` (relative to the store's user "dstack", or "/user/name"). */
function cardOf(root: HTMLElement, stack: string): HTMLElement {
  const path = stack.startsWith("/") ? stack.slice(1) : `dstack/${stack}`;
  const card = root.querySelector<HTMLElement>(`article[data-stack="${path}"]`);
  if (!card) throw new Error(`no card for ${stack}`);
  return card;
}

/** Waits for the dashboard definition to load (it comes from the store): the card showing `stack`. */
const findCard = (root: HTMLElement, stack: string) => eventually(() => cardOf(root, stack));

const cardStacks = (root: HTMLElement) =>
  [...root.querySelectorAll<HTMLElement>("article[data-stack]")].map((a) => a.dataset.stack);

/** The shown attachment's description in a card, as text. */
const description = (card: HTMLElement) => card.querySelector(".dk-attachment__description")?.textContent;

/** The dashboard-wide widgets (above the cards). */
const sharedControls = async (root: HTMLElement) =>
  within(
    await eventually(() => root.querySelector<HTMLElement>(".dk-dashboard__controls") ?? fail("no shared widgets")),
  );

function fail(message: string): never {
  throw new Error(message);
}

/** Waits for Plotly to draw a card's figure; returns how many points it drew. */
async function drawnPoints(card: HTMLElement, title: string): Promise<number> {
  await eventually(() => {
    expect(card.querySelector<HTMLElement>(".dk-plot")?.dataset.state).toBe("drawn");
    expect(card.querySelector(".dk-plot .gtitle")?.textContent).toBe(title);
  });
  return card.querySelectorAll(".dk-plot .scatterlayer .point").length;
}

const plotted = (origin: string) =>
  carRows.filter((c) => c.Origin === origin && c.Horsepower !== null && c.Miles_per_Gallon !== null).length;

const CARS = [{ stack: "cars/scatter" }, { stack: "cars/table", title: "The cars" }];

const meta = {
  title: "Dashboard",
  component: Dashboard,
  loaders: [withDashboard({ title: "Cars", description: "Two stacks of **cars.json**, one Origin select" }, CARS)],
  render: (args: DashboardProps, { loaded }) => {
    const { store, dashboard } = loaded as Loaded;
    return (
      <ThemedPage dark={args.theme === "dark"}>
        <StoryProvider store={store}>
          <Dashboard id={dashboard.id} {...args} />
        </StoryProvider>
      </ThemedPage>
    );
  },
  args: {},
  parameters: { layout: "padded" },
} satisfies Meta<typeof Dashboard>;

export default meta;
type Story = StoryObj<typeof meta>;

/**
 * View mode, from a dashboard object (no store round trip for the definition): titles, the markdown description,
 * each card's head and an "Open" link per card; no editing controls anywhere.
 */
export const ViewMode: Story = {
  render: (args, { loaded }) => {
    const { store, dashboard } = loaded as Loaded;
    return (
      <StoryProvider store={store}>
        <Dashboard dashboard={dashboard} stackHref={(stack) => `#/stacks/${stack}`} {...args} />
      </StoryProvider>
    );
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    expect(canvas.getByRole("heading", { level: 2, name: "Cars" })).toBeTruthy();
    await eventually(() =>
      expect(canvasElement.querySelector(".dk-dashboard__description strong")?.textContent).toBe("cars.json"),
    );
    expect(canvas.getByRole("heading", { level: 3, name: "cars/scatter" })).toBeTruthy();
    expect(canvas.getByRole("heading", { level: 3, name: "The cars" })).toBeTruthy();
    expect(canvas.getByRole("link", { name: "Open stack The cars" }).getAttribute("href")).toBe(
      "#/stacks/dstack/cars/table",
    );
    await eventually(() => expect(description(cardOf(canvasElement, "cars/table"))).toMatch(/^Table: USA/));
    expect(cardOf(canvasElement, "cars/scatter").querySelector(".dk-card__message")?.textContent).toBe(
      "horsepower vs mpg",
    );
    expect(canvas.queryAllByRole("button", { name: /^Edit|^Move|^Remove/ })).toHaveLength(0);
    expect(canvasElement.querySelector(".dk-card__tools, .dk-card__handle")).toBeNull();
  },
};

/**
 * Shared and per-card widgets: Origin (both stacks have it) sits above the cards and drives both; Log scale is the
 * scatter's own, Cylinders the table's. A shared value one card cannot match shows that card's "no attachment" note.
 */
export const SharedAndPerCardWidgets: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const scatter = await findCard(canvasElement, "cars/scatter");
    const table = cardOf(canvasElement, "cars/table");
    const origin = (await (
      await sharedControls(canvasElement)
    ).findByLabelText("Origin", {}, SLOW)) as HTMLSelectElement;
    // Each card's own widget is on that card only.
    expect(await within(scatter).findByRole("checkbox", { name: "Log scale" }, SLOW)).toBeTruthy();
    expect(await within(table).findByRole("slider", { name: "Cylinders" }, SLOW)).toBeTruthy();
    expect(within(scatter).queryByLabelText("Origin")).toBeNull();
    expect(canvas.getAllByLabelText("Origin")).toHaveLength(1);
    expect(canvas.getAllByRole("slider", { name: "Cylinders" })).toHaveLength(1);

    await userEvent.selectOptions(origin, "Europe");
    await eventually(() => {
      expect(description(scatter)).toBe("Scatter: Europe");
      expect(description(table)).toMatch(/^Table: Europe, 4 cylinders/);
    });
    expect(await drawnPoints(scatter, "Cars from Europe")).toBe(plotted("Europe"));

    // The scatter's own checkbox changes the scatter only.
    await userEvent.click(within(scatter).getByRole("checkbox", { name: "Log scale" }));
    await eventually(() => expect(description(scatter)).toBe("Scatter: Europe, log axis"));
    expect(description(table)).toMatch(/^Table: Europe, 4 cylinders/);

    // The table's own slider (stops 3, 4, 5, 6, 8): American V8s; Japan has none, so the table says so.
    const cylinders = within(table).getByRole("slider", { name: "Cylinders" });
    await userEvent.selectOptions(origin, "USA");
    fireEvent.change(cylinders, { target: { value: "4" } });
    await eventually(() => expect(cylinders.getAttribute("aria-valuetext")).toBe("8"));
    await eventually(() => expect(description(table)).toMatch(/^Table: USA, 8 cylinders/));
    await userEvent.selectOptions(origin, "Japan");
    await eventually(() => expect(description(scatter)).toBe("Scatter: Japan, log axis"));
    expect(within(table).getByText("No attachment for these values in this stack.")).toBeTruthy();
    expect(canvas.queryByRole("alert")).toBeNull();
  },
};

const WEATHER = [
  { stack: "weather/temperature" },
  { stack: "weather/days" },
  { stack: "weather/wind" },
  { stack: "weather/notes", columns: 2 as const },
];

/** A shared tab param chooses the cards: Chart shows the chart stacks, Table the table ones; untabbed cards stay. */
export const TabsChooseCards: Story = {
  loaders: [withDashboard({ title: "Seattle weather" }, WEATHER)],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const tabs = await (await sharedControls(canvasElement)).findAllByRole("tab", {}, SLOW);
    expect(tabs.map((t) => t.textContent)).toEqual(["Chart", "Table"]);
    expect(canvas.getByRole("tab", { name: "Chart" }).getAttribute("aria-selected")).toBe("true");
    expect(cardStacks(canvasElement)).toEqual([
      "dstack/weather/temperature",
      "dstack/weather/wind",
      "dstack/weather/notes",
    ]);
    // The tab panel is the grid of cards.
    expect(canvas.getByRole("tabpanel").classList.contains("dk-dashboard__grid")).toBe(true);
    await eventually(() => expect(description(cardOf(canvasElement, "weather/wind"))).toBe("Wind chart"));
    await drawnPoints(cardOf(canvasElement, "weather/temperature"), "Temperature (°C)");

    await userEvent.click(canvas.getByRole("tab", { name: "Table" }));
    await eventually(() =>
      expect(cardStacks(canvasElement)).toEqual(["dstack/weather/days", "dstack/weather/wind", "dstack/weather/notes"]),
    );
    await eventually(() => expect(description(cardOf(canvasElement, "weather/wind"))).toBe("Wind table"));
    expect(await within(cardOf(canvasElement, "weather/days")).findByRole("table", {}, SLOW)).toBeTruthy();
    expect(description(cardOf(canvasElement, "weather/notes"))).toBe("Notes (no tabs: shown on every tab)");
    expect(cardOf(canvasElement, "weather/notes").classList.contains("dk-card--wide")).toBe(true);
  },
};

const BROKEN = [
  { stack: "cars/scatter" },
  { stack: "broken/table", title: "Corrupt upload" },
  { stack: "/nobody/missing", title: "Deleted stack" },
  { stack: "secret/report", title: "Someone's private stack" },
  { stack: "cars/table" },
];

/**
 * Broken cards among good ones: a corrupt attachment, a stack that does not exist and a forbidden one each show
 * their own error inside their own card; the good cards render and the shared widget still drives them.
 */
export const BrokenCardAmongGoodOnes: Story = {
  loaders: [
    withDashboard({ title: "Some cards are broken" }, BROKEN, (store) =>
      forbidStacks(store, [fullPath(store, "secret/report")]),
    ),
  ],
  play: async ({ canvasElement }) => {
    const kindIn = async (stack: string) =>
      (await within(await findCard(canvasElement, stack)).findByRole("alert", {}, SLOW)).dataset.kind;
    expect(await kindIn("broken/table")).toBe("corrupt");
    expect(await kindIn("/nobody/missing")).toBe("not-found");
    expect(await kindIn("secret/report")).toBe("forbidden");
    // Every alert on the page is inside a broken card.
    const alerts = within(canvasElement).getAllByRole("alert");
    expect(alerts.map((a) => a.closest("article")?.dataset.stack).sort()).toEqual([
      "dstack/broken/table",
      "dstack/secret/report",
      "nobody/missing",
    ]);
    const scatter = cardOf(canvasElement, "cars/scatter");
    const table = cardOf(canvasElement, "cars/table");
    await userEvent.selectOptions(
      await (await sharedControls(canvasElement)).findByLabelText("Origin", {}, SLOW),
      "Japan",
    );
    await eventually(() => {
      expect(description(scatter)).toBe("Scatter: Japan");
      expect(description(table)).toMatch(/^Table: Japan, 4 cylinders/);
    });
    expect(await drawnPoints(scatter, "Cars from Japan")).toBe(plotted("Japan"));
  },
};

/** No cards, viewed: a sentence says so, and there are no widgets. */
export const Empty: Story = {
  loaders: [withDashboard({ title: "Nothing yet" }, [])],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    expect(await canvas.findByText("This dashboard has no cards yet.", {}, SLOW)).toBeTruthy();
    expect(canvas.getByRole("heading", { level: 2, name: "Nothing yet" })).toBeTruthy();
    expect(canvasElement.querySelector(".dk-controls, article")).toBeNull();
    expect(canvas.queryByRole("button")).toBeNull();
  },
};

/** No cards, editable: the hint points at "Add stacks"; the picker searches the store and adds a card, saved. */
export const EmptyEditable: Story = {
  loaders: [withDashboard({ title: "Nothing yet" }, [])],
  args: { editable: true },
  play: async ({ canvasElement, loaded }) => {
    const { store, dashboard } = loaded as Loaded;
    const canvas = within(canvasElement);
    expect(await canvas.findByText(/Use “Add stacks” to put stacks on it/, {}, SLOW)).toBeTruthy();
    await userEvent.click(canvas.getByRole("button", { name: "Add stacks" }));
    const search = await canvas.findByRole("searchbox", { name: "Search stacks" }, SLOW);
    expect(document.activeElement).toBe(search);
    await userEvent.type(search, "weather/t");
    await eventually(() =>
      expect(within(canvas.getByRole("region", { name: "Add stacks" })).getAllByRole("listitem")).toHaveLength(1),
    );
    await userEvent.click(canvas.getByRole("button", { name: "Add dstack/weather/temperature" }));
    // The picker's button for it is disabled now: a stack is on a dashboard once.
    await eventually(() =>
      expect(canvas.getByRole("button", { name: /dstack\/weather\/temperature/ }).hasAttribute("disabled")).toBe(true),
    );
    await eventually(() => expect(cardStacks(canvasElement)).toEqual(["dstack/weather/temperature"]));
    await eventually(async () =>
      expect((await store.getDashboard(dashboard.user, dashboard.id)).cards.map((c) => c.stack)).toEqual([
        "dstack/weather/temperature",
      ]),
    );
    await userEvent.click(canvas.getByRole("button", { name: "Done" }));
    expect(canvas.queryByRole("searchbox")).toBeNull();
  },
};

const THREE = [{ stack: "cars/scatter" }, { stack: "cars/table", title: "The cars" }, { stack: "weather/notes" }];

/**
 * Edit mode: Move up from the keyboard reorders the cards, the live region announces it and focus stays on the moved
 * card's button; a card renamed inline and switched to full width; every change is in the store's copy.
 */
export const EditMode: Story = {
  loaders: [withDashboard({ title: "Cars and notes" }, THREE)],
  args: { editable: true },
  play: async ({ canvasElement, loaded }) => {
    const { store, dashboard } = loaded as Loaded;
    const saved = () => store.getDashboard(dashboard.user, dashboard.id);
    const canvas = within(canvasElement);
    const up = await canvas.findByRole("button", { name: "Move The cars up" }, SLOW);
    expect(canvas.getByRole("button", { name: "Move cars/scatter up" }).hasAttribute("disabled")).toBe(true);
    up.focus();
    await userEvent.keyboard("{Enter}");
    await eventually(() =>
      expect(cardStacks(canvasElement)).toEqual(["dstack/cars/table", "dstack/cars/scatter", "dstack/weather/notes"]),
    );
    const live = canvasElement.querySelector('[aria-live="polite"]');
    expect(live?.textContent).toBe("Moved The cars to position 1 of 3.");
    // "Up" is disabled at the top: focus went to the moved card's other move button.
    await eventually(() =>
      expect((document.activeElement as HTMLElement | null)?.getAttribute("aria-label")).toBe("Move The cars down"),
    );
    await eventually(async () => expect((await saved()).cards[0]?.stack).toBe("dstack/cars/table"));

    // Rename a card inline (Enter saves).
    await userEvent.click(canvas.getByRole("button", { name: "Edit title of card cars/scatter" }));
    const field = canvas.getByRole("textbox", { name: "Title of card cars/scatter" });
    await userEvent.type(field, "Horsepower and mpg{Enter}");
    expect(await canvas.findByRole("heading", { level: 3, name: "Horsepower and mpg" }, SLOW)).toBeTruthy();
    await eventually(async () => expect((await saved()).cards[1]?.title).toBe("Horsepower and mpg"));

    // Full width.
    const wide = canvas.getByRole("button", { name: "Full width: weather/notes" });
    await userEvent.click(wide);
    expect(wide.getAttribute("aria-pressed")).toBe("true");
    expect(cardOf(canvasElement, "weather/notes").classList.contains("dk-card--wide")).toBe(true);
    await eventually(async () => expect((await saved()).cards[2]?.columns).toBe(2));

    // The dashboard's own title.
    await userEvent.click(canvas.getByRole("button", { name: "Edit dashboard title" }));
    await userEvent.clear(canvas.getByRole("textbox", { name: "Dashboard title" }));
    await userEvent.type(canvas.getByRole("textbox", { name: "Dashboard title" }), "Renamed{Enter}");
    expect(await canvas.findByRole("heading", { level: 2, name: "Renamed" }, SLOW)).toBeTruthy();
    await eventually(async () => expect((await saved()).title).toBe("Renamed"));
    expect(canvas.queryByRole("alert")).toBeNull();
  },
};

/** Removing a card when the store refuses: the card comes back and a dismissable alert says what failed. */
export const SaveRefused: Story = {
  loaders: [withDashboard({ title: "Read-only server" }, THREE, refusingCardStore)],
  args: { editable: true },
  play: async ({ canvasElement, loaded }) => {
    const { store, dashboard } = loaded as Loaded;
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole("button", { name: "Remove The cars" }, SLOW));
    const alert = await canvas.findByRole("alert", {}, SLOW);
    expect(alert.textContent).toContain("Could not remove the card; the change was undone.");
    expect(alert.textContent).toContain("the server refused the change (story)");
    expect(cardStacks(canvasElement)).toEqual(["dstack/cars/scatter", "dstack/cars/table", "dstack/weather/notes"]);
    expect((await store.getDashboard(dashboard.user, dashboard.id)).cards).toHaveLength(3);
    await userEvent.click(within(alert).getByRole("button", { name: "Dismiss" }));
    expect(canvas.queryByRole("alert")).toBeNull();
  },
};

const TWENTY = TWENTY_COUNTRIES.map((country) => ({ stack: countryStack(country), title: country }));

/** Twenty cards under one shared Year slider: every card follows it. */
export const TwentyCards: Story = {
  loaders: [withDashboard({ title: "Twenty countries" }, TWENTY)],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const slider = await (await sharedControls(canvasElement)).findByRole("slider", { name: "Year" }, SLOW);
    expect(canvasElement.querySelectorAll("article")).toHaveLength(20);
    const descriptions = () => [...canvasElement.querySelectorAll("article")].map(description);
    await eventually(() => expect(descriptions()).toEqual(TWENTY_COUNTRIES.map((c) => `${c} in ${YEARS[0]}`)));
    fireEvent.change(slider, { target: { value: String(YEARS.length - 1) } });
    await eventually(() => expect(descriptions()).toEqual(TWENTY_COUNTRIES.map((c) => `${c} in ${YEARS.at(-1)}`)));
    await eventually(() => expect(canvasElement.querySelectorAll('.dk-card__body [role="table"]')).toHaveLength(20));
    // One Year widget for all twenty, none on the cards.
    expect(canvas.getAllByRole("slider")).toHaveLength(1);
  },
};

/**
 * Live: a new head of a card's stack shows without a reload, and a stack deleted meanwhile turns only its own card
 * into an error. A store of its own, as the story pushes and deletes.
 */
export const LiveUpdates: Story = {
  loaders: [
    async (): Promise<Loaded> => {
      const store = createMemoryStore();
      await pushFrame({ stack: "live/visits", data: "1,024 visits", description: "Visits, revision 1", store });
      await pushFrame({ stack: "live/notes", data: "Counting since Monday.", description: "Notes", store });
      const dashboard = await seedDashboard(store, { title: "Live" }, [
        { stack: "live/visits" },
        { stack: "live/notes" },
      ]);
      return { store, dashboard };
    },
  ],
  play: async ({ canvasElement, loaded }) => {
    const { store } = loaded as Loaded;
    const visits = await findCard(canvasElement, "live/visits");
    await eventually(() => expect(description(visits)).toBe("Visits, revision 1"));
    await pushFrame({ stack: "live/visits", data: "2,048 visits", description: "Visits, revision 2", store });
    await eventually(() => expect(description(cardOf(canvasElement, "live/visits"))).toBe("Visits, revision 2"));
    await eventually(() => expect(cardOf(canvasElement, "live/visits").textContent).toContain("2,048 visits"));

    await store.deleteStack("live/notes");
    const alert = await within(cardOf(canvasElement, "live/notes")).findByRole("alert", {}, SLOW);
    expect(alert.dataset.kind).toBe("not-found");
    expect(within(cardOf(canvasElement, "live/visits")).queryByRole("alert")).toBeNull();
    await pushFrame({ stack: "live/visits", data: "4,096 visits", description: "Visits, revision 3", store });
    await eventually(() => expect(description(cardOf(canvasElement, "live/visits"))).toBe("Visits, revision 3"));
  },
};

/** The dark theme on a dark host page. */
export const Dark: Story = {
  args: { theme: "dark" },
  play: async ({ canvasElement }) => {
    const root = await eventually(() => canvasElement.querySelector<HTMLElement>(".dk-dashboard") as HTMLElement);
    expect(root.dataset.dkTheme).toBe("dark");
    await within(canvasElement).findAllByRole("article", {}, SLOW);
  },
};
