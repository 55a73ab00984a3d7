import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { createFrame, pushFrame } from "../../client/frame";
import { ForbiddenError } from "../../model/errors";
import type { ParamSelection } from "../../model/paramSpace";
import { createMemoryStore } from "../../storage/memoryStore";
import type { StackStore } from "../../storage/stackStore";
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

describe("StackView", () => {
  it("shows a skeleton, then the header, the widgets and the attachment of the first params", async () => {
    const store = await seeded(pushGrid);
    renderWithStore(<StackView stack="grid" />, { store });
    expect(screen.getAllByRole("status").length).toBeGreaterThan(0);
    expect(await screen.findByRole("heading", { name: "dstack/grid" })).toBeTruthy();
    expect(screen.getByText("grid", { selector: ".dk-stack__message" })).toBeTruthy();
    expect((screen.getByLabelText("Region") as HTMLSelectElement).value).toBe("0");
    expect((screen.getByLabelText("Log") as HTMLInputElement).checked).toBe(false);
    expect(screen.getByLabelText("Year").getAttribute("aria-valuetext")).toBe("2019");
    expect(await screen.findByRole("heading", { name: "North 2019" })).toBeTruthy();
  });

  it("switches the attachment when a widget changes (uncontrolled) and reports the full selection", async () => {
    const store = await seeded(pushGrid);
    const changes: ParamSelection[] = [];
    renderWithStore(<StackView stack="grid" defaultParams={{ Year: 2020 }} onParamsChange={(p) => changes.push(p)} />, {
      store,
    });
    expect(await screen.findByRole("heading", { name: "North 2020" })).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Year"), { target: { value: "2" } });
    expect(await screen.findByRole("heading", { name: "North 2021" })).toBeTruthy();
    fireEvent.click(screen.getByLabelText("Log"));
    expect(await screen.findByRole("heading", { name: "North 2021 (log)" })).toBeTruthy();
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
    expect(await screen.findByRole("heading", { name: "South 2019" })).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Year"), { target: { value: "1" } });
    expect(onParamsChange).toHaveBeenCalledWith({ Region: "South", Log: false, Year: 2020 });
    // The parent did not accept the change: the view stays.
    expect(screen.getByRole("heading", { name: "South 2019" })).toBeTruthy();
    expect(screen.getByLabelText("Year").getAttribute("aria-valuetext")).toBe("2019");
    rerender(<StackView stack="grid" params={{ Region: "South", Year: 2021 }} onParamsChange={onParamsChange} />);
    expect(await screen.findByRole("heading", { name: "South 2021" })).toBeTruthy();
  });

  it("renders tabs as a tablist controlling the attachment panel", async () => {
    const store = await seeded(pushTabs);
    renderWithStore(<StackView stack="tabbed" />, { store });
    const tabs = await screen.findAllByRole("tab");
    expect(tabs.map((t) => t.textContent)).toEqual(["Table", "Read me"]);
    const panel = screen.getByRole("tabpanel");
    expect(panel.getAttribute("aria-labelledby")).toBe(tabs[0]?.id);
    expect(await within(panel).findByRole("table")).toBeTruthy();
    fireEvent.keyDown(tabs[0] as HTMLElement, { key: "ArrowRight" });
    expect(await within(panel).findByText("temperatures")).toBeTruthy();
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
    expect(await screen.findByRole("checkbox", { name: "Log" })).toBeTruthy();
    fireEvent.click(screen.getByRole("tab", { name: "Notes" }));
    expect(await screen.findByRole("heading", { name: "Notes" })).toBeTruthy();
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
      await pushFrame("notes", "# Second", "second", undefined, { store, message: "second push" });
    } finally {
      vi.useRealTimers();
    }
    renderWithStore(<StackView stack="notes" />, { store });
    expect(await screen.findByRole("heading", { name: "Second" })).toBeTruthy();
    const picker = screen.getByLabelText("Revision") as HTMLSelectElement;
    const labels = within(picker)
      .getAllByRole("option")
      .map((o) => o.textContent ?? "");
    expect(labels).toHaveLength(2);
    expect(labels[0]).toMatch(/second push \(head\)$/);
    expect(screen.queryByRole("button", { name: "Make head" })).toBeNull();
    fireEvent.change(picker, { target: { value: first } });
    expect(await screen.findByRole("heading", { name: "First" })).toBeTruthy();
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
    const { rerender } = renderWithStore(<StackView stack="first" />, { store });
    expect(await screen.findByRole("heading", { name: "First, new" })).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Revision"), { target: { value: old } });
    expect(await screen.findByRole("heading", { name: "First, old" })).toBeTruthy();
    rerender(<StackView stack="grid" />);
    expect(await screen.findByRole("heading", { name: "North 2019" })).toBeTruthy();
  });

  it("offers no make-head on another user's stack", async () => {
    const alice = createMemoryStore({ user: "alice" });
    await pushSingle(alice, "notes", "# One");
    await pushSingle(alice, "notes", "# Two");
    const frames = (await alice.getStack("notes")).frames;
    // A store acting as bob reading alice's stack: same data, other user.
    const asBob: StackStore = Object.assign(Object.create(alice) as StackStore, { user: "bob" });
    renderWithStore(<StackView stack="/alice/notes" frame={frames[1]?.id} />, { store: asBob });
    expect(await screen.findByRole("heading", { name: "One" })).toBeTruthy();
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
    expect(await screen.findByRole("heading", { name: "Here now" })).toBeTruthy();
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
    expect(await screen.findByText("four coefficients")).toBeTruthy();
    await act(async () => {
      await pushFrame("line_plot", "# Replaced", undefined, undefined, { store, message: "now markdown" });
    });
    expect(await screen.findByRole("heading", { name: "Replaced" })).toBeTruthy();
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
    expect(screen.getByRole("heading", { name: "dstack/broken" })).toBeTruthy();
    expect(screen.getByText("A table whose bytes are not UTF-8")).toBeTruthy();
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
    await pushFrame("timeless", "# Current", "current", undefined, { store, message: "far future" });
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
    expect(await screen.findByRole("heading", { name: "Current" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "dstack/timeless" })).toBeTruthy();
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
    expect(screen.getByText("Use via API")).toBeTruthy();
  });

  it("says so when a stack has no attachment for the chosen params", async () => {
    const store = createMemoryStore();
    await store.push({ stack: "empty", attachments: [] }).catch(() => undefined);
    await pushSingle(store, "single", "# Only");
    renderWithStore(<StackView stack="single" hideApi />, { store });
    expect(await screen.findByRole("heading", { name: "Only" })).toBeTruthy();
    expect(screen.queryByText("Use via API")).toBeNull();
  });
});
