// <Dashboard> in jsdom: shared and per-card widgets, per-card filtering and states, tabs choosing cards, and editing
// by keyboard with optimistic saves (rolled back when a real server refuses). Drag and drop, live updates across
// IndexedDB connections, reloads, axe and the narrow layout are in Dashboard.browser.test.tsx.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createFrame } from "../../client/frame";
import type { Params } from "../../model/params";
import type { StackStore } from "../../model/stackStore";
import { type Child, startChild } from "../../node/testing/childProcess";
import { tempHomes } from "../../node/testing/tempHome";
import { call } from "../../node/testing/testServer";
import { createHttpStore } from "../../storage/httpStore";
import { createMemoryStore } from "../../storage/memoryStore";
import { renderWithStore } from "../testing/renderWithStore";
import { Dashboard } from "./Dashboard";

/** Pushes markdown attachments `# <stack> <values...>`, one per params object. */
async function pushMarkdown(store: StackStore, stack: string, params: Params[]) {
  const frame = createFrame(stack, { store });
  for (const p of params) {
    const text = Object.values(p)
      .map((v) => (typeof v === "object" ? "tab" : String(v)))
      .join(" ");
    frame.commit(`# ${stack} ${text}`, undefined, p);
  }
  await frame.push({ message: `${stack} pushed` });
}

async function salesAndWeather(store: StackStore) {
  await pushMarkdown(store, "sales", [
    { Region: "EU", Year: 2020 },
    { Region: "US", Year: 2020 },
    { Region: "EU", Year: 2021 },
  ]);
  await pushMarkdown(store, "weather", [
    { Region: "EU", Kind: "rain" },
    { Region: "Asia", Kind: "sun" },
    { Region: "EU", Kind: "sun" },
  ]);
  const dashboard = await store.createDashboard({ title: "Overview", description: "Sales **and** weather" });
  await store.insertCards(store.user, dashboard.id, 0, [{ stack: "sales" }, { stack: "weather", title: "Skies" }]);
  return dashboard.id;
}

const card = (stack: string) => {
  const el = document.querySelector<HTMLElement>(`article[data-stack="dstack/${stack}"]`);
  if (!el) throw new Error(`no card for ${stack}`);
  return el;
};
const cardText = (stack: string) => card(stack).querySelector(".dk-card__body")?.textContent;
const order = () => [...document.querySelectorAll<HTMLElement>("article[data-stack]")].map((el) => el.dataset.stack);
const SLOW = { timeout: 10_000 };

describe("Dashboard: viewing", () => {
  it("merges same-named params into one widget at the top and keeps the others on their card", async () => {
    const store = createMemoryStore();
    const id = await salesAndWeather(store);
    renderWithStore(<Dashboard id={id} />, { store });
    await screen.findByRole("heading", { level: 2, name: "Overview" });
    await waitFor(() => expect(cardText("sales")).toBe("sales EU 2020"), SLOW);
    await waitFor(() => expect(cardText("weather")).toBe("weather EU rain"), SLOW);

    const top = document.querySelector<HTMLElement>(".dk-dashboard__controls");
    if (!top) throw new Error("no shared controls");
    const region = within(top).getByLabelText("Region") as HTMLSelectElement;
    expect([...region.options].map((o) => o.textContent)).toEqual(["EU", "US", "Asia"]);
    expect(within(top).queryByLabelText("Year")).toBeNull();
    expect(within(card("sales")).getByLabelText("Year")).toBeTruthy();
    expect(within(card("weather")).getByLabelText("Kind")).toBeTruthy();
    expect(within(card("sales")).queryByLabelText("Region")).toBeNull();

    // US: sales has it, weather does not (its own "no attachment" state, not an error for the page)
    fireEvent.change(region, { target: { value: "1" } });
    await waitFor(() => expect(cardText("sales")).toBe("sales US 2020"), SLOW);
    expect(cardText("weather")).toBe("No attachment for these values in this stack.");
    expect(screen.queryByRole("alert")).toBeNull();

    fireEvent.change(region, { target: { value: "2" } });
    await waitFor(() => expect(cardText("sales")).toBe("No attachment for these values in this stack."));
    expect(within(card("weather")).getByLabelText("Kind")).toBeTruthy();
    // Asia has only sun: the weather card's own select moves the card alone
    fireEvent.change(within(card("weather")).getByLabelText("Kind"), { target: { value: "1" } });
    await waitFor(() => expect(cardText("weather")).toBe("weather Asia sun"), SLOW);
  });

  it("reports the whole selection, takes controlled values and titles cards (default: the stack's name)", async () => {
    const store = createMemoryStore();
    const id = await salesAndWeather(store);
    const changes: unknown[] = [];
    const { rerender } = renderWithStore(
      <Dashboard id={id} params={{ Region: "EU", Year: 2021 }} onParamsChange={(p) => changes.push(p)} />,
      { store },
    );
    await waitFor(() => expect(cardText("sales")).toBe("sales EU 2021"), SLOW);
    expect(within(card("sales")).getByRole("heading", { level: 3 }).textContent).toBe("sales");
    expect(within(card("weather")).getByRole("heading", { level: 3 }).textContent).toBe("Skies");
    fireEvent.change(within(card("weather")).getByLabelText("Kind"), { target: { value: "1" } });
    expect(changes.at(-1)).toEqual({ Region: "EU", Year: 2021, Kind: "sun" });
    // Controlled: nothing moves until the host passes the new values
    expect(cardText("weather")).toBe("weather EU rain");
    rerender(<Dashboard id={id} params={{ Region: "EU", Year: 2021, Kind: "sun" }} />);
    await waitFor(() => expect(cardText("weather")).toBe("weather EU sun"), SLOW);
  });

  it("keeps shared and per-card values in the query string under a prefix, restoring them on load", async () => {
    const store = createMemoryStore();
    const id = await salesAndWeather(store);
    window.history.replaceState(null, "", "/report?d.Region=Asia&d.Kind=sun&other=1");
    try {
      renderWithStore(<Dashboard id={id} urlSync={{ prefix: "d." }} />, { store });
      await waitFor(() => expect(cardText("weather")).toBe("weather Asia sun"), SLOW);
      expect(cardText("sales")).toBe("No attachment for these values in this stack.");
      const region = document.querySelector(".dk-dashboard__controls select") as HTMLSelectElement;
      fireEvent.change(region, { target: { value: "0" } });
      await waitFor(() => expect(cardText("sales")).toBe("sales EU 2020"), SLOW);
      const query = new URLSearchParams(window.location.search);
      expect(Object.fromEntries(query)).toEqual({ "d.Region": "EU", "d.Kind": "sun", "d.Year": "2020", other: "1" });
    } finally {
      window.history.replaceState(null, "", "/");
    }
  });

  it("keeps a broken card in its own box: a missing stack and a forbidden one; the others work", async () => {
    const store = createMemoryStore();
    const id = await salesAndWeather(store);
    await store.insertCards(store.user, id, 1, [{ stack: "gone" }, { stack: "/alice/secret" }]);
    const getStack = store.getStack.bind(store);
    store.getStack = async (stack, options) => {
      if (stack.includes("secret")) {
        const { ForbiddenError } = await import("../../model/errors");
        throw new ForbiddenError("alice/secret is private");
      }
      return getStack(stack, options);
    };
    renderWithStore(<Dashboard id={id} />, { store });
    await waitFor(() => card("gone"));
    const gone = await within(card("gone")).findByRole("alert");
    expect(gone.dataset.kind).toBe("not-found");
    const secret = document.querySelector('article[data-stack="alice/secret"]');
    await waitFor(() => expect(secret?.querySelector("[role=alert]")?.getAttribute("data-kind")).toBe("forbidden"));
    await waitFor(() => expect(cardText("sales")).toBe("sales EU 2020"), SLOW);
    expect(screen.getAllByRole("alert")).toHaveLength(2);
    // The shared widget still drives the good cards
    fireEvent.change(screen.getAllByLabelText("Region")[0] as HTMLElement, { target: { value: "1" } });
    await waitFor(() => expect(cardText("sales")).toBe("sales US 2020"), SLOW);
  });

  it("lets a shared tab param choose which cards show", async () => {
    const store = createMemoryStore();
    await pushMarkdown(store, "plots", [{ Plot: { type: "tab" } }]);
    await pushMarkdown(store, "tables", [{ Table: { type: "tab" } }]);
    await pushMarkdown(store, "both", [{ Plot: { type: "tab" } }, { Table: { type: "tab" } }]);
    await pushMarkdown(store, "notes", [{}]);
    const d = await store.createDashboard({ title: "Tabs" });
    await store.insertCards(
      store.user,
      d.id,
      0,
      ["plots", "tables", "both", "notes"].map((stack) => ({ stack })),
    );
    renderWithStore(<Dashboard id={d.id} />, { store });
    const tabs = await screen.findByRole("tablist", {}, SLOW);
    expect(
      within(tabs)
        .getAllByRole("tab")
        .map((t) => t.textContent),
    ).toEqual(["Plot", "Table"]);
    await waitFor(() => expect(order()).toEqual(["dstack/plots", "dstack/both", "dstack/notes"]), SLOW);
    fireEvent.click(within(tabs).getByRole("tab", { name: "Table" }));
    await waitFor(() => expect(order()).toEqual(["dstack/tables", "dstack/both", "dstack/notes"]));
    await waitFor(() => expect(cardText("both")).toBe("both tab"), SLOW);
    expect(screen.getByRole("tabpanel").id).toBe(document.querySelector(".dk-dashboard__grid")?.id);
  });

  it("never shows a widget for a param with one value: a label instead, on the card and at the top", async () => {
    const store = createMemoryStore();
    await pushMarkdown(store, "alpha", [
      { Unit: "mm", Scale: 1 },
      { Unit: "mm", Scale: 2 },
    ]);
    await pushMarkdown(store, "beta", [{ Unit: "mm", Site: "north" }]);
    const d = await store.createDashboard();
    await store.insertCards(store.user, d.id, 0, [{ stack: "alpha" }, { stack: "beta" }]);
    renderWithStore(<Dashboard id={d.id} />, { store });
    await waitFor(() => expect(cardText("beta")).toBe("beta mm north"), SLOW);
    expect(screen.queryByLabelText("Unit")).toBeNull();
    expect(screen.queryByLabelText("Site")).toBeNull();
    expect(within(card("alpha")).getByLabelText("Scale")).toBeTruthy();
    const fixed = screen.getAllByRole("list", { name: "Fixed parameters" }).map((l) => l.textContent);
    expect(fixed).toEqual(["Unit mm", "Site north"]);
  });

  it("renders a given dashboard object without reading its definition from the store", async () => {
    const store = createMemoryStore();
    const id = await salesAndWeather(store);
    const dashboard = await store.getDashboard(store.user, id);
    const getDashboard = vi.spyOn(store, "getDashboard");
    const opened: string[] = [];
    renderWithStore(<Dashboard dashboard={{ ...dashboard, title: "Given" }} onOpenStack={(s) => opened.push(s)} />, {
      store,
    });
    expect(screen.getByRole("heading", { level: 2, name: "Given" })).toBeTruthy();
    await waitFor(() => expect(cardText("weather")).toBe("weather EU rain"), SLOW);
    fireEvent.click(screen.getByRole("button", { name: "Open stack Skies" }));
    expect(opened).toEqual(["dstack/weather"]);
    expect(getDashboard).not.toHaveBeenCalled();
  });

  it("shifts markdown headings below the card's title, so pushed headings keep the page's outline", async () => {
    const store = createMemoryStore();
    await pushMarkdown(store, "notes", [{ Part: "inside" }]);
    const d = await store.createDashboard({ title: "Outline", description: "## About" });
    await store.insertCards(store.user, d.id, 0, [{ stack: "notes", description: "# Card notes" }]);
    renderWithStore(<Dashboard id={d.id} />, { store });
    // h2 dashboard > its description's top heading ("##") as h3; h3 card > its markdown's "#" as h4
    expect((await screen.findByRole("heading", { name: "notes inside" }, SLOW)).tagName).toBe("H4");
    expect(screen.getByRole("heading", { name: "Card notes" }).tagName).toBe("H4");
    expect(screen.getByRole("heading", { name: "About" }).tagName).toBe("H3");
  });

  it("links each card to its stack when given stackHref", async () => {
    const store = createMemoryStore();
    const id = await salesAndWeather(store);
    renderWithStore(<Dashboard id={id} stackHref={(s) => `/stacks/${s}`} />, { store });
    const link = await screen.findByRole("link", { name: "Open stack sales" });
    expect(link.getAttribute("href")).toBe("/stacks/dstack/sales");
  });

  it("shows an empty dashboard as such, and a missing one as a not-found error", async () => {
    const store = createMemoryStore();
    const d = await store.createDashboard({ title: "Nothing yet" });
    renderWithStore(
      <>
        <Dashboard id={d.id} />
        <Dashboard id="no-such-dashboard" />
      </>,
      { store },
    );
    expect(await screen.findByText("This dashboard has no cards yet.")).toBeTruthy();
    expect((await screen.findByRole("alert")).dataset.kind).toBe("not-found");
  });
});

describe("Dashboard: editing", () => {
  it("moves cards up and down by keyboard, keeps focus on the moved card and announces the move", async () => {
    const store = createMemoryStore();
    const id = await salesAndWeather(store);
    await pushMarkdown(store, "third", [{}]);
    await store.insertCards(store.user, id, 2, [{ stack: "third" }]);
    renderWithStore(<Dashboard id={id} editable />, { store });
    await waitFor(() => expect(order()).toEqual(["dstack/sales", "dstack/weather", "dstack/third"]));

    const up = screen.getByRole("button", { name: "Move third up" });
    up.focus();
    fireEvent.click(up);
    await waitFor(() => expect(order()).toEqual(["dstack/sales", "dstack/third", "dstack/weather"]));
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Move third up" }));
    expect(document.querySelector("[aria-live=polite]")?.textContent).toBe("Moved third to position 2 of 3.");
    fireEvent.click(screen.getByRole("button", { name: "Move third up" }));
    await waitFor(() => expect(order()).toEqual(["dstack/third", "dstack/sales", "dstack/weather"]));
    // At the top "up" is disabled: focus goes to the card's other move button
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Move third down" }));
    await waitFor(async () =>
      expect((await store.getDashboard(store.user, id)).cards.map((c) => c.stack)).toEqual([
        "dstack/third",
        "dstack/sales",
        "dstack/weather",
      ]),
    );
  });

  it("edits title, description, card title and width, removes and adds cards, all saved to the store", async () => {
    const store = createMemoryStore();
    const id = await salesAndWeather(store);
    await pushMarkdown(store, "extra-report", [{}]);
    await pushMarkdown(store, "other", [{}]);
    renderWithStore(<Dashboard id={id} editable />, { store });
    await screen.findByRole("heading", { name: "Overview" });

    fireEvent.click(screen.getByRole("button", { name: "Edit dashboard title" }));
    const title = screen.getByLabelText("Dashboard title");
    expect(document.activeElement).toBe(title);
    fireEvent.change(title, { target: { value: "  Quarterly  " } });
    fireEvent.keyDown(title, { key: "Enter" });
    await screen.findByRole("heading", { level: 2, name: "Quarterly" });
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Edit dashboard title" }));

    fireEvent.click(screen.getByRole("button", { name: "Edit dashboard description" }));
    const description = screen.getByLabelText("Dashboard description");
    fireEvent.change(description, { target: { value: "Escape drops this" } });
    fireEvent.keyDown(description, { key: "Escape" });
    expect(screen.queryByLabelText("Dashboard description")).toBeNull();

    fireEvent.click(screen.getByRole("button", { name: "Edit title of card Skies" }));
    const cardTitle = screen.getByLabelText("Title of card Skies");
    fireEvent.change(cardTitle, { target: { value: "Weather" } });
    fireEvent.keyDown(cardTitle, { key: "Enter" });
    await within(card("weather")).findByRole("heading", { name: "Weather" });

    const wide = within(card("sales")).getByRole("button", { name: "Full width: sales" });
    fireEvent.click(wide);
    await waitFor(() => expect(card("sales").classList.contains("dk-card--wide")).toBe(true));
    expect(wide.getAttribute("aria-pressed")).toBe("true");

    fireEvent.click(screen.getByRole("button", { name: "Remove Weather" }));
    await waitFor(() => expect(order()).toEqual(["dstack/sales"]));

    fireEvent.click(screen.getByRole("button", { name: "Add stacks" }));
    const search = await screen.findByLabelText("Search stacks");
    fireEvent.change(search, { target: { value: "extra" } });
    const picker = screen.getByRole("region", { name: "Add stacks" });
    await waitFor(() => expect(within(picker).getAllByRole("listitem")).toHaveLength(1));
    fireEvent.click(within(picker).getByRole("button", { name: "Add dstack/extra-report" }));
    await waitFor(() => expect(order()).toEqual(["dstack/sales", "dstack/extra-report"]));
    expect(within(picker).getByRole("button", { name: "Added dstack/extra-report" })).toHaveProperty("disabled", true);

    await waitFor(async () => {
      const saved = await store.getDashboard(store.user, id);
      expect(saved).toMatchObject({ title: "Quarterly", description: "Sales **and** weather" });
      expect(saved.cards).toEqual([
        { stack: "dstack/sales", columns: 2 },
        { stack: "dstack/extra-report", columns: 1 },
      ]);
    });
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("saves a description with Ctrl+Enter (Enter adds a line), and switches privacy where the store is shared", async () => {
    const store = createMemoryStore();
    const id = await salesAndWeather(store);
    renderWithStore(<Dashboard id={id} editable showPrivacy />, { store });
    fireEvent.click(await screen.findByRole("button", { name: "Edit dashboard description" }));
    const description = screen.getByLabelText("Dashboard description");
    fireEvent.change(description, { target: { value: "Line one\nline **two**" } });
    fireEvent.keyDown(description, { key: "Enter" });
    expect(screen.getByLabelText("Dashboard description")).toBe(description);
    fireEvent.keyDown(description, { key: "Enter", ctrlKey: true });
    await waitFor(() => expect(screen.queryByLabelText("Dashboard description")).toBeNull());
    fireEvent.click(screen.getByRole("checkbox", { name: "Private" }));
    await waitFor(async () =>
      expect(await store.getDashboard(store.user, id)).toMatchObject({
        description: "Line one\nline **two**",
        private: true,
      }),
    );
    expect((await screen.findByText("two")).tagName).toBe("STRONG");
  });

  it("offers no privacy switch on a store in this browser unless asked", async () => {
    const store = createMemoryStore();
    const id = await salesAndWeather(store);
    renderWithStore(<Dashboard id={id} editable />, { store });
    await screen.findByRole("button", { name: "Add stacks" });
    expect(screen.queryByRole("checkbox", { name: "Private" })).toBeNull();
  });

  it("lists the dashboard's stacks in the picker as added, and says so for a search without matches", async () => {
    const store = createMemoryStore();
    const id = await salesAndWeather(store);
    renderWithStore(<Dashboard id={id} editable />, { store });
    fireEvent.click(await screen.findByRole("button", { name: "Add stacks" }));
    expect(await screen.findByRole("button", { name: "Added dstack/sales" })).toHaveProperty("disabled", true);
    fireEvent.change(screen.getByLabelText("Search stacks"), { target: { value: "zzz" } });
    expect(screen.getByText("No stack matches “zzz”.")).toBeTruthy();
    fireEvent.keyDown(screen.getByLabelText("Search stacks"), { key: "Escape" });
    expect(screen.queryByLabelText("Search stacks")).toBeNull();
  });
});

describe("Dashboard: saves refused by a real server", () => {
  // In a process of its own: the server reads request bodies with Node's Blob, which this jsdom realm replaces.
  let child: Child | undefined;
  let server = { apiUrl: "", token: "", users: { guest: "" } };
  const homes = tempHomes("dstack-dashboard-");
  beforeAll(async () => {
    child = startChild("serverProcess.child.ts", [homes()], { ...process.env, DSTACK_TEST_USERS: "guest" });
    server = JSON.parse(await child.line(/apiUrl/));
  });
  afterAll(async () => {
    child?.process.kill();
    await child?.exited;
  });

  it("shows the edit at once, rolls it back when the server refuses, and shows a dismissable error", async () => {
    const owner = createHttpStore({ server: server.apiUrl, user: "dstack", token: server.token, events: false });
    for (const name of ["one", "two"]) {
      const data = Buffer.from(`# ${name}`).toString("base64");
      const attachments = [{ content_type: "text/markdown", data }];
      const json = { stack: `dstack/${name}`, id: crypto.randomUUID(), attachments };
      expect((await call(server.apiUrl, "POST", "/stacks/push", { token: server.token, json })).status).toBe(200);
    }
    const d = await owner.createDashboard({ title: "Shared" });
    await owner.insertCards("dstack", d.id, 0, [{ stack: "one" }, { stack: "two" }]);
    // Another user sees the public dashboard but may not change it: every save is refused
    const reader = createHttpStore({ server: server.apiUrl, user: "guest", token: server.users.guest, events: false });
    renderWithStore(<Dashboard id={d.id} user="dstack" editable />, { store: reader });
    await waitFor(() => expect(order()).toEqual(["dstack/one", "dstack/two"]), SLOW);
    fireEvent.click(screen.getByRole("button", { name: "Move two up" }));
    expect(order()).toEqual(["dstack/two", "dstack/one"]);
    const alert = await screen.findByRole("alert", {}, SLOW);
    expect(alert.textContent).toContain("Could not move the card; the change was undone.");
    expect(order()).toEqual(["dstack/one", "dstack/two"]);
    fireEvent.click(within(alert).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByRole("alert")).toBeNull();
    expect((await owner.getDashboard("dstack", d.id)).cards.map((c) => c.stack)).toEqual(["dstack/one", "dstack/two"]);
  });
});
