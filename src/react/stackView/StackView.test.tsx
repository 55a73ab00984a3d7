// StackView's behaviour, in jsdom. This file owns the view's error states: not found (with a Retry that recovers),
// forbidden, an invalid stack name, and a corrupt attachment (a table whose bytes are not UTF-8, a truncated plotly
// figure) kept in its own box. stories/StackView.stories.tsx shows the same states for the catalog with one smoke
// check each (the alert's kind); assertions about them belong here.
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { createFrame, pushFrame } from "../../client/frame";
import { ForbiddenError } from "../../model/errors";
import type { ParamSelection } from "../../model/paramSpace";
import type { StackStore } from "../../model/stackStore";
import { createMemoryStore } from "../../storage/memoryStore";
import { dstackKeys, storeKeyOf } from "../queryKeys";
import { createFakePlotly } from "../testing/fakePlotly";
import { pushGrid, pushLinePlot, pushSingle, pushTabs } from "../testing/fixtures";
import { renderWithStore } from "../testing/renderWithStore";
import { StackView } from "./StackView";

const fake = () => createFakePlotly().plotly;

async function seeded(seed: (store: StackStore) => Promise<unknown>) {
  const store = createMemoryStore();
  await seed(store);
  return store;
}

/** The markdown attachment the user sees in the panel (the fixtures' attachments are one heading each). */
const shownMarkdown = () => document.querySelector(".dk-stack__panel .dk-attachment__markdown")?.textContent;

/**
 * Waits until the panel shows the markdown attachment whose text is `text`. The first markdown loads its renderer
 * lazily: a loaded machine can take longer than waitFor's default second.
 */
async function expectShown(text: string) {
  await waitFor(() => expect(shownMarkdown()).toBe(text), { timeout: 10_000 });
}

/** The frame message in the header. */
const headerMessage = () => document.querySelector(".dk-stack__header .dk-stack__message")?.textContent;

describe("StackView", () => {
  it("shows a skeleton, then the header, the widgets and the attachment of the first params", async () => {
    const store = await seeded(pushGrid);
    renderWithStore(<StackView stack="grid" />, { store });
    expect(screen.getAllByRole("status").length).toBeGreaterThan(0);
    const title = await screen.findByRole("heading", { level: 2, name: "dstack/grid" });
    // The view is a region named by the stack's title.
    expect(screen.getByRole("region", { name: "dstack/grid" }).getAttribute("aria-labelledby")).toBe(title.id);
    expect(headerMessage()).toBe("grid");
    expect((screen.getByLabelText("Region") as HTMLSelectElement).value).toBe("0");
    expect((screen.getByLabelText("Log") as HTMLInputElement).checked).toBe(false);
    expect(screen.getByLabelText("Year").getAttribute("aria-valuetext")).toBe("2019");
    await expectShown("North 2019");
  });

  it("switches the attachment when a widget changes (uncontrolled) and reports the full selection", async () => {
    const store = await seeded(pushGrid);
    const changes: ParamSelection[] = [];
    renderWithStore(<StackView stack="grid" defaultParams={{ Year: 2020 }} onParamsChange={(p) => changes.push(p)} />, {
      store,
    });
    await expectShown("North 2020");
    fireEvent.change(screen.getByLabelText("Year"), { target: { value: "2" } });
    await expectShown("North 2021");
    fireEvent.click(screen.getByLabelText("Log"));
    await expectShown("North 2021 (log)");
    expect(changes).toEqual([
      { Region: "North", Log: false, Year: 2021 },
      { Region: "North", Log: true, Year: 2021 },
    ]);
  });

  it("disables the options that match nothing given the other values", async () => {
    const store = await seeded(pushGrid);
    renderWithStore(<StackView stack="grid" defaultParams={{ Log: true }} />, { store });
    const region = (await screen.findByLabelText("Region")) as HTMLSelectElement;
    const south = within(region).getByRole("option", { name: "South" }) as HTMLOptionElement;
    expect(south.disabled).toBe(true);
    fireEvent.click(screen.getByLabelText("Log"));
    await waitFor(() => expect(south.disabled).toBe(false));
    fireEvent.change(region, { target: { value: "1" } });
    // South was never pushed with Log: the checkbox cannot turn it on.
    await waitFor(() => expect((screen.getByLabelText("Log") as HTMLInputElement).disabled).toBe(true));
  });

  it("is controlled by params: widgets ask, the parent decides", async () => {
    const store = await seeded(pushGrid);
    const onParamsChange = vi.fn();
    const { rerender } = renderWithStore(
      <StackView stack="grid" params={{ Region: "South", Year: 2019 }} onParamsChange={onParamsChange} />,
      { store },
    );
    await expectShown("South 2019");
    fireEvent.change(screen.getByLabelText("Year"), { target: { value: "1" } });
    expect(onParamsChange).toHaveBeenCalledWith({ Region: "South", Log: false, Year: 2020 });
    // The parent did not accept the change: the view stays.
    expect(shownMarkdown()).toBe("South 2019");
    expect(screen.getByLabelText("Year").getAttribute("aria-valuetext")).toBe("2019");
    rerender(<StackView stack="grid" params={{ Region: "South", Year: 2021 }} onParamsChange={onParamsChange} />);
    await expectShown("South 2021");
    expect(screen.getByLabelText("Year").getAttribute("aria-valuetext")).toBe("2021");
  });

  it("renders tabs as a tablist controlling the attachment panel", async () => {
    const store = await seeded(pushTabs);
    renderWithStore(<StackView stack="tabbed" />, { store });
    const tabs = await screen.findAllByRole("tab");
    expect(tabs.map((t) => t.textContent)).toEqual(["Table", "Read me"]);
    const panel = screen.getByRole("tabpanel");
    expect(panel.getAttribute("aria-labelledby")).toBe(tabs[0]?.id);
    const table = await within(panel).findByRole("table");
    expect(table.getAttribute("aria-rowcount")).toBe("4"); // the header and three cities
    expect(table.getAttribute("aria-colcount")).toBe("2");
    expect(panel.querySelector(".dk-table__summary")?.textContent).toBe("3 rows × 2 columns");
    fireEvent.keyDown(tabs[0] as HTMLElement, { key: "ArrowRight" });
    expect((await within(panel).findByText("temperatures")).tagName).toBe("STRONG");
    expect(within(panel).queryByRole("table")).toBeNull();
    expect(screen.getByRole("tab", { name: "Read me" }).getAttribute("aria-selected")).toBe("true");
    expect(document.activeElement).toBe(screen.getByRole("tab", { name: "Read me" }));
  });

  it("hides controls the shown attachment does not have (a param of another tab)", async () => {
    const store = createMemoryStore();
    const frame = createFrame("mixed_tabs", { store });
    frame.commit("# Linear", undefined, { Plot: { type: "tab" }, Log: false });
    frame.commit("# Log", undefined, { Plot: { type: "tab" }, Log: true });
    frame.commit("# Notes", undefined, { Notes: { type: "tab" } });
    await frame.push();
    renderWithStore(<StackView stack="mixed_tabs" />, { store });
    expect(((await screen.findByRole("checkbox", { name: "Log" })) as HTMLInputElement).checked).toBe(false);
    await expectShown("Linear");
    fireEvent.click(screen.getByRole("tab", { name: "Notes" }));
    await expectShown("Notes");
    expect(screen.queryByRole("checkbox", { name: "Log" })).toBeNull();
  });

  it("lists revisions newest first, shows an older one, and makes it the head", async () => {
    const store = createMemoryStore();
    // Two pushes a minute apart on a fake clock (only Date is faked; promises and timers stay real).
    vi.useFakeTimers({ toFake: ["Date"], now: Date.UTC(2020, 5, 1, 12) });
    let first: string;
    try {
      first = await pushSingle(store, "notes", "# First", "first");
      vi.setSystemTime(Date.UTC(2020, 5, 1, 12, 1));
      await pushFrame({ stack: "notes", data: "# Second", description: "second", store, message: "second push" });
    } finally {
      vi.useRealTimers();
    }
    renderWithStore(<StackView stack="notes" />, { store });
    await expectShown("Second");
    const picker = screen.getByLabelText("Revision") as HTMLSelectElement;
    const labels = within(picker)
      .getAllByRole("option")
      .map((o) => o.textContent ?? "");
    expect(labels).toHaveLength(2);
    expect(labels[0]).toMatch(/second push \(head\)$/);
    expect(screen.queryByRole("button", { name: "Make head" })).toBeNull();
    fireEvent.change(picker, { target: { value: first } });
    await expectShown("First");
    fireEvent.click(screen.getByRole("button", { name: "Make head" }));
    await waitFor(async () => expect((await store.getStack("notes")).head?.id).toBe(first));
    await waitFor(() => expect(screen.queryByRole("button", { name: "Make head" })).toBeNull());
    expect(within(picker).getAllByRole("option")[1]?.textContent).toMatch(/\(head\)$/);
  });

  it("starts another stack from its own head and defaults when the stack prop changes", async () => {
    const store = createMemoryStore();
    const old = await pushSingle(store, "first", "# First, old");
    await pushSingle(store, "first", "# First, new");
    await pushGrid(store);
    const { rerender, queryClient } = renderWithStore(<StackView stack="first" />, { store });
    await expectShown("First, new");
    fireEvent.change(screen.getByLabelText("Revision"), { target: { value: old } });
    await expectShown("First, old");
    // The grid is in the cache already (the host showed it before): the view switches without a loading state.
    await act(() =>
      queryClient.fetchQuery({
        queryKey: dstackKeys.stack(storeKeyOf(store), "dstack/grid"),
        queryFn: () => store.getStack("grid"),
      }),
    );
    rerender(<StackView stack="grid" />);
    await expectShown("North 2019");
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("dstack/grid");
    // The grid's own head, not the revision chosen on the other stack.
    const revision = screen.getByLabelText("Revision") as HTMLSelectElement;
    expect(revision.selectedOptions[0]?.textContent).toMatch(/grid \(head\)$/);
  });

  it("offers no make-head on another user's stack", async () => {
    const alice = createMemoryStore({ user: "alice" });
    await pushSingle(alice, "notes", "# One");
    await pushSingle(alice, "notes", "# Two");
    const frames = (await alice.getStack("notes")).frames;
    // A store acting as bob reading alice's stack: same data, other user.
    const asBob: StackStore = Object.assign(Object.create(alice) as StackStore, { user: "bob" });
    renderWithStore(<StackView stack="/alice/notes" frame={frames[1]?.id} />, { store: asBob });
    await expectShown("One");
    expect(screen.queryByRole("button", { name: "Make head" })).toBeNull();
  });

  it("shows a typed not-found error with a retry that recovers once the stack exists", async () => {
    const store = createMemoryStore();
    renderWithStore(<StackView stack="later" />, { store });
    const alert = await screen.findByRole("alert");
    expect(alert.getAttribute("data-kind")).toBe("not-found");
    expect(alert.textContent).toContain("stack not found: dstack/later");
    await pushSingle(store, "later", "# Here now");
    fireEvent.click(within(alert).getByRole("button", { name: "Retry" }));
    await expectShown("Here now");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows a forbidden error", async () => {
    const store = createMemoryStore();
    const forbidden: StackStore = Object.assign(Object.create(store) as StackStore, {
      getStack: () => Promise.reject(new ForbiddenError("bob may not read alice/secret")),
    });
    renderWithStore(<StackView stack="/alice/secret" />, { store: forbidden });
    const alert = await screen.findByRole("alert");
    expect(alert.getAttribute("data-kind")).toBe("forbidden");
    expect(alert.textContent).toContain("You don't have access");
  });

  it("reports an invalid stack name as an error instead of throwing", async () => {
    renderWithStore(<StackView stack="a--b" />);
    expect((await screen.findByRole("alert")).getAttribute("data-kind")).toBe("invalid");
  });

  it("updates live when the store reports a push", async () => {
    const store = await seeded(pushLinePlot);
    renderWithStore(<StackView stack="line_plot" />, { store, plotly: fake() });
    await waitFor(() => expect(headerMessage()).toBe("four coefficients"));
    expect(screen.getByLabelText("Coefficient").getAttribute("aria-valuetext")).toBe("0.5");
    await act(async () => {
      await pushFrame({ stack: "line_plot", data: "# Replaced", store, message: "now markdown" });
    });
    await expectShown("Replaced");
    expect(headerMessage()).toBe("now markdown");
    expect(screen.queryByLabelText("Coefficient")).toBeNull();
  });

  it("keeps a failing attachment in its box: a corrupt table shows a typed error, the page stays", async () => {
    const store = createMemoryStore();
    await store.push({
      stack: "broken",
      message: "bad bytes",
      attachments: [
        {
          data: new Uint8Array([0xff, 0xfe, 0xfd]),
          contentType: "text/csv",
          application: "pandas/dataframe",
          description: "A table whose bytes are not UTF-8",
        },
      ],
    });
    renderWithStore(<StackView stack="broken" />, { store });
    const alert = await screen.findByRole("alert");
    expect(alert.getAttribute("data-kind")).toBe("corrupt");
    expect(alert.querySelector(".dk-error__title")?.textContent).toBe("This attachment could not be read");
    // In the attachment's box, under its description; the header and the revision picker stay.
    const box = alert.closest(".dk-attachment");
    expect(box?.getAttribute("data-renderer")).toBe("table");
    expect(box?.querySelector(".dk-attachment__description")?.textContent).toBe("A table whose bytes are not UTF-8");
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("dstack/broken");
    expect(headerMessage()).toBe("bad bytes");
    expect(within(screen.getByLabelText("Revision")).getAllByRole("option")).toHaveLength(1);
  });

  it("keeps a truncated plotly figure in its box as a corrupt attachment", async () => {
    const store = createMemoryStore();
    await store.push({
      stack: "broken_figure",
      message: "truncated figure",
      attachments: [
        {
          data: new TextEncoder().encode('{"data": [{"type": "scatter", "x": [1, 2'),
          contentType: "application/json",
          application: "plotly",
          description: "A plotly figure cut short",
        },
      ],
    });
    const { plotly, calls } = createFakePlotly();
    renderWithStore(<StackView stack="broken_figure" />, { store, plotly });
    const alert = await screen.findByRole("alert");
    expect(alert.getAttribute("data-kind")).toBe("corrupt");
    expect(alert.querySelector(".dk-error__title")?.textContent).toBe("This attachment could not be read");
    const box = alert.closest(".dk-attachment");
    expect(box?.getAttribute("data-renderer")).toBe("plotly");
    expect(box?.querySelector(".dk-attachment__description")?.textContent).toBe("A plotly figure cut short");
    expect(headerMessage()).toBe("truncated figure");
    expect(calls.react).toHaveLength(0);
  });

  it("shows the pull call for the attachment on screen in TypeScript and Python", async () => {
    const store = await seeded(pushLinePlot);
    renderWithStore(<StackView stack="line_plot" defaultParams={{ Coefficient: 1.5 }} />, { store, plotly: fake() });
    await screen.findByText("Use via API");
    const code = [...document.querySelectorAll(".dk-api__code")].map((e) => e.textContent);
    expect(code[0]).toContain('pull("/dstack/line_plot", { Coefficient: 1.5 }, { store })');
    expect(code[1]).toContain('ds.pull("/dstack/line_plot", params={"Coefficient": 1.5})');
  });

  it("shows a stack whose frame times no Date can hold, with the times as text", async () => {
    const store = createMemoryStore();
    await pushSingle(store, "timeless", "# Old");
    await pushFrame({ stack: "timeless", data: "# Current", description: "current", store, message: "far future" });
    // Stores refuse such times at push time; a store double still serves them, as an old or foreign store might.
    const times = [1e16, -1e16];
    const skew = <T extends { timestamp: number }>(frame: T, i = 0): T => ({ ...frame, timestamp: times[i] ?? 0 });
    const skewed: StackStore = {
      ...store,
      getStack: async (stack) => {
        const info = await store.getStack(stack);
        return { ...info, head: info.head && skew(info.head), frames: info.frames.map(skew) };
      },
      getFrame: async (stack, frameId) => {
        const info = await store.getStack(stack);
        return skew(
          await store.getFrame(stack, frameId),
          Math.max(
            0,
            info.frames.findIndex((f) => f.id === frameId),
          ),
        );
      },
    };
    renderWithStore(<StackView stack="timeless" />, { store: skewed });
    await expectShown("Current");
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("dstack/timeless");
    const time = document.querySelector(".dk-stack__meta time");
    expect(time?.textContent).toBe("unknown time (10000000000000000)");
    expect(time?.hasAttribute("datetime")).toBe(false);
    const labels = within(screen.getByLabelText("Revision"))
      .getAllByRole("option")
      .map((o) => o.textContent);
    expect(labels).toEqual([
      "unknown time (10000000000000000) · far future (head)",
      expect.stringMatching(/^unknown time \(-10000000000000000\) · /),
    ]);
    // The API panel still shows the pull call: the times did not break the rest of the view.
    expect(document.querySelector(".dk-api__code")?.textContent).toContain('pull("/dstack/timeless"');
  });

  it("says so when a stack has no attachment for the chosen params", async () => {
    const store = createMemoryStore();
    await store.push({ stack: "empty", attachments: [] }).catch(() => undefined);
    await pushSingle(store, "single", "# Only");
    renderWithStore(<StackView stack="single" hideApi />, { store });
    await expectShown("Only");
    expect(screen.queryByText("Use via API")).toBeNull();
  });

  it("shows a param with one value as a label, never as a one-stop slider or a one-option select", async () => {
    const store = createMemoryStore();
    const frame = createFrame("fixed", { store });
    frame.commit("# Small", "small", { Site: "north", Scale: 1, Size: 10 });
    frame.commit("# Large", "large", { Site: "north", Scale: 2, Size: 10 });
    await frame.push();
    renderWithStore(<StackView stack="fixed" hideApi />, { store });
    await expectShown("Small");
    expect(screen.getByLabelText("Scale").getAttribute("aria-valuetext")).toBe("1");
    expect(screen.queryByLabelText("Site")).toBeNull();
    expect(screen.queryByLabelText("Size")).toBeNull();
    expect(screen.getByRole("list", { name: "Fixed parameters" }).textContent).toBe("Site northSize 10");
  });

  it("lists the newest 50 revisions of a long history and pages older ones in", async () => {
    const store = createMemoryStore();
    for (let i = 1; i <= 55; i++) await pushFrame({ stack: "long", data: `# Rev ${i}`, message: `rev ${i}`, store });
    renderWithStore(<StackView stack="long" hideApi />, { store });
    await expectShown("Rev 55");
    const picker = screen.getByLabelText("Revision") as HTMLSelectElement;
    expect(picker.options).toHaveLength(50);
    expect(screen.getByText("50 of 55")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Show older" }));
    await waitFor(() => expect(picker.options).toHaveLength(55));
    expect(picker.options[54]?.textContent).toContain("rev 1");
    expect(screen.queryByRole("button", { name: "Show older" })).toBeNull();
  });
});
