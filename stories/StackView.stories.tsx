// The StackView catalog: one story per state and widget, each a test through @storybook/addon-vitest in Chromium.
// The error states (NotFound, Forbidden, CorruptAttachment, CorruptFigure) are owned by
// src/react/stackView/StackView.test.tsx: their stories only check that they show the state they are named after
// (the alert's kind). The stories own what needs a real browser and real data: Plotly drawing the figure
// (titles, points), user-event on the widgets against the showcase stacks, the million-row table, images through
// blob: URLs, hostile and GFM markdown in every slot, revisions, the theme and the narrow layout.
import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fireEvent, userEvent, waitFor, within } from "storybook/test";
import { StackView, type StackViewProps } from "../src/react";
import { createMemoryStore } from "../src/storage/memoryStore";
import { pushMillionFlights, pushWeatherRevisions, showcaseStore } from "./seed/showcase";
import { carRows, countryRows, weatherRows } from "./seed/vegaData";
import { ThemedPage } from "./support/page";
import { forbiddenStore, type LoadedStore, neverLoadingStore, StoryProvider } from "./support/storeProvider";

// Plotly loads lazily on the first plot; a cold Vite server can take a while to hand it over.
const SLOW = { timeout: 60_000 };

/** The shown attachment's description, as text. */
const description = (root: HTMLElement) => root.querySelector(".dk-attachment__description")?.textContent;

/** Waits for Plotly to draw the shown figure; returns its title and how many points it drew. */
async function drawnPlot(root: HTMLElement, title: string) {
  await waitFor(() => {
    expect(root.querySelector<HTMLElement>(".dk-plot")?.dataset.state).toBe("drawn");
    expect(root.querySelector(".dk-plot .gtitle")?.textContent).toBe(title);
  }, SLOW);
  return root.querySelectorAll(".dk-plot .scatterlayer .point").length;
}

const plotted = <T extends { Horsepower: number | null; Miles_per_Gallon: number | null }>(cars: T[]) =>
  cars.filter((c) => c.Horsepower !== null && c.Miles_per_Gallon !== null).length;

const meta = {
  title: "StackView",
  component: StackView,
  loaders: [async (): Promise<LoadedStore> => ({ store: await showcaseStore() })],
  render: (args: StackViewProps, { loaded }) => (
    <ThemedPage dark={args.theme === "dark"}>
      <StoryProvider store={(loaded as LoadedStore).store}>
        <StackView {...args} />
      </StoryProvider>
    </ThemedPage>
  ),
  args: { stack: "cars/explorer" },
  parameters: { layout: "padded" },
} satisfies Meta<typeof StackView>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The stack never arrives: skeletons with a "Loading…" status for screen readers. */
export const Loading: Story = {
  loaders: [async (): Promise<LoadedStore> => ({ store: neverLoadingStore(await showcaseStore()) })],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    expect(canvas.getAllByRole("status").length).toBeGreaterThan(0);
    expect(canvasElement.querySelector(".dk-stack")?.getAttribute("aria-busy")).toBe("true");
  },
};

/** Smoke check only: StackView.test.tsx owns the not-found state (message, Retry that recovers). */
export const NotFound: Story = {
  args: { stack: "/nobody/nothing-here" },
  play: async ({ canvasElement }) => {
    expect((await within(canvasElement).findByRole("alert")).dataset.kind).toBe("not-found");
  },
};

/** Smoke check only: StackView.test.tsx owns the forbidden state. */
export const Forbidden: Story = {
  args: { stack: "/alice/private-report" },
  loaders: [async (): Promise<LoadedStore> => ({ store: forbiddenStore(await showcaseStore()) })],
  play: async ({ canvasElement }) => {
    expect((await within(canvasElement).findByRole("alert")).dataset.kind).toBe("forbidden");
  },
};

/**
 * The attachment's bytes are not UTF-8: its box shows a typed error, the rest of the stack stays usable.
 * Smoke check only: StackView.test.tsx owns the corrupt-attachment state.
 */
export const CorruptAttachment: Story = {
  args: { stack: "broken/table" },
  play: async ({ canvasElement }) => {
    expect((await within(canvasElement).findByRole("alert")).dataset.kind).toBe("corrupt");
  },
};

/** A truncated plotly figure. Smoke check only: StackView.test.tsx owns it. */
export const CorruptFigure: Story = {
  args: { stack: "broken/figure" },
  play: async ({ canvasElement }) => {
    expect((await within(canvasElement).findByRole("alert")).dataset.kind).toBe("corrupt");
  },
};

/** One string param: a select. */
export const SelectParam: Story = {
  args: { stack: "cars/by-origin" },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const select = await canvas.findByLabelText("Origin");
    await userEvent.selectOptions(select, "Europe");
    await waitFor(() => expect(description(canvasElement)).toBe("Cars made in Europe"));
    const europe = carRows.filter((c) => c.Origin === "Europe");
    expect(await drawnPlot(canvasElement, "Cars from Europe")).toBe(plotted(europe));
  },
};

/** 62 countries: a select with a search box (WAI-ARIA combobox). */
export const SearchableSelectParam: Story = {
  args: { stack: "gapminder/countries" },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const input = await canvas.findByRole("combobox", { name: "Country" });
    await userEvent.clear(input);
    await userEvent.type(input, "japa");
    await userEvent.keyboard("{ArrowDown}{Enter}");
    expect((input as HTMLInputElement).value).toBe("Japan");
    await waitFor(() => expect(description(canvasElement)).toBe("Life expectancy in Japan, 1955–2005 (gapminder)"));
    expect(canvasElement.querySelector(".dk-attachment__description strong")?.textContent).toBe("Japan");
  },
};

/** One boolean param: a checkbox. */
export const CheckboxParam: Story = {
  args: { stack: "cars/log-scale" },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const box = (await canvas.findByRole("checkbox", { name: "Log scale" })) as HTMLInputElement;
    expect(box.checked).toBe(false);
    await waitFor(() => expect(description(canvasElement)).toBe("Linear axis"));
    await userEvent.click(box);
    expect(box.checked).toBe(true);
    await waitFor(() => expect(description(canvasElement)).toBe("Log horsepower axis"));
  },
};

/** One number param: a slider whose stops are exactly the pushed years. */
export const SliderParam: Story = {
  args: { stack: "gapminder/years" },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const slider = await canvas.findByRole("slider", { name: "Year" });
    expect(slider.getAttribute("aria-valuetext")).toBe("1955");
    // user-event cannot drive range inputs; a change event is what a drag or a key press ends in.
    fireEvent.change(slider, { target: { value: "10" } });
    await waitFor(() => expect(slider.getAttribute("aria-valuetext")).toBe("2005"));
    await waitFor(() => expect(description(canvasElement)).toBe("Countries in 2005"));
  },
};

/** `{type: "tab"}` params: tabs. */
export const TabsParam: Story = {
  args: { stack: "weather/seattle" },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const table = await canvas.findByRole("table", {}, SLOW);
    expect(table.getAttribute("aria-rowcount")).toBe(String(weatherRows.length + 1));
    await userEvent.click(canvas.getByRole("tab", { name: "Chart" }));
    expect(canvas.getByRole("tab", { name: "Chart" }).getAttribute("aria-selected")).toBe("true");
    await drawnPlot(canvasElement, "Temperature (°C)");
    expect(canvas.queryByRole("table")).toBeNull();
  },
};

/** Tabs, a select, a slider and a checkbox on one stack (the Data tab has no Log scale). */
export const ManyParams: Story = {
  args: { stack: "cars/explorer" },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole("tablist");
    // The first attachment's values: the plot tab, American 4-cylinder cars, a linear axis.
    expect(canvas.getByRole("tab", { selected: true }).textContent).toBe("Plot");
    expect((canvas.getByLabelText("Origin") as HTMLSelectElement).selectedOptions[0]?.textContent).toBe("USA");
    expect(canvas.getByRole("slider", { name: "Cylinders" }).getAttribute("aria-valuetext")).toBe("4");
    expect((canvas.getByRole("checkbox", { name: "Log scale" }) as HTMLInputElement).checked).toBe(false);
    const usa4 = carRows.filter((c) => c.Origin === "USA" && c.Cylinders === 4).length;
    await waitFor(() =>
      expect(description(canvasElement)).toBe(`Horsepower vs fuel economy: USA, 4 cylinders (${usa4} cars)`),
    );
    await userEvent.click(canvas.getByRole("tab", { name: "Data" }));
    await waitFor(() => expect(canvas.queryByRole("checkbox", { name: "Log scale" })).toBeNull());
  },
};

/** No European V8s and no Japanese 5-cylinder cars: those options are disabled, the slider skips them. */
export const ImpossibleCombinations: Story = {
  args: { stack: "cars/explorer", defaultParams: { Origin: "USA", Cylinders: 8 } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const origin = await canvas.findByLabelText("Origin");
    const europe = within(origin).getByRole("option", { name: "Europe" }) as HTMLOptionElement;
    expect(europe.disabled).toBe(true);
    expect(canvasElement.querySelectorAll(".dk-slider__tick--off").length).toBe(2);
  },
};

export const PlotlyFigure: Story = {
  args: { stack: "gapminder/years", defaultParams: { Year: 2005 } },
  play: async ({ canvasElement }) => {
    const countries = countryRows.filter((r) => r.year === 2005).length;
    expect(await drawnPlot(canvasElement, "Fertility and life expectancy, 2005")).toBe(countries);
  },
};

/** A heatmap is not in plotly.js-basic-dist: a message names it and offers the figure JSON. */
export const UnsupportedTraceType: Story = {
  args: { stack: "plots/volcano" },
  play: async ({ canvasElement }) => {
    expect((await within(canvasElement).findByRole("note")).textContent).toContain('"heatmap"');
  },
};

/** A million rows, pushed as CSV and parsed in the page; the table keeps a few dozen rows in the DOM. */
export const MillionRowTable: Story = {
  args: { stack: "flights/million" },
  loaders: [
    async (): Promise<LoadedStore> => {
      const store = createMemoryStore();
      await pushMillionFlights(store);
      return { store };
    },
  ],
  play: async ({ canvasElement }) => {
    const table = await within(canvasElement).findByRole("table", {}, SLOW);
    expect(table.getAttribute("aria-rowcount")).toBe("1000001");
    expect(canvasElement.querySelectorAll('[role="row"]').length).toBeLessThan(300);
  },
};

export const Image: Story = {
  args: { stack: "images/logos" },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const img = (await canvas.findByRole("img", { name: "The 7-Zip logo" })) as HTMLImageElement;
    expect(img.src.startsWith("blob:")).toBe(true);
    await userEvent.selectOptions(canvas.getByLabelText("Logo"), "SVG");
    await canvas.findByRole("img", { name: "An SVG with a script inside" });
    expect(canvasElement.querySelector("svg script")).toBeNull();
  },
};

/** Scripts, handlers, javascript: and data: URLs in the readme, the description and the attachment: all inert. */
export const HostileMarkdown: Story = {
  args: { stack: "notes/hostile" },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getAllByRole("heading", { name: "Quarterly notes" })).toHaveLength(3));
    expect(canvasElement.querySelector("script, iframe")).toBeNull();
    for (const link of canvasElement.querySelectorAll("a")) expect(link.href).not.toMatch(/^(javascript|data):/);
    expect((window as { __pwned?: unknown }).__pwned).toBeUndefined();
  },
};

/** GitHub-flavoured notes in the attachment, its description and the readme: tables, strikethrough, task lists. */
export const GfmMarkdown: Story = {
  args: { stack: "notes/weather" },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getAllByRole("table")).toHaveLength(2));
    // Right-aligned, as the table's "---:" asks.
    expect(canvas.getByRole("columnheader", { name: "mean high (°C)" }).style.textAlign).toBe("right");
    expect([...canvasElement.querySelectorAll("del")].map((del) => del.textContent)).toEqual([
      "draft",
      "draft",
      "rare",
    ]);
    for (const box of canvas.getAllByRole("checkbox")) expect((box as HTMLInputElement).disabled).toBe(true);
    expect(canvas.getByRole("link", { name: "www.example.com" }).getAttribute("href")).toBe("http://www.example.com");
  },
};

export const BokehWithoutBokehJS: Story = {
  args: { stack: "plots/bokeh" },
  play: async ({ canvasElement }) => {
    expect((await within(canvasElement).findByRole("note")).textContent).toContain("Bokeh");
  },
};

/** A format without a preview: its type, size and a download. */
export const DownloadOnly: Story = {
  args: { stack: "files/flights" },
  play: async ({ canvasElement }) => {
    const button = await within(canvasElement).findByRole("button", { name: /Download/ });
    expect(button.textContent).toContain("flights-200k.arrow");
  },
};

/** Four revisions: the picker lists them newest first, an older one can become the head. */
export const Revisions: Story = {
  args: { stack: "weather/by-year" },
  loaders: [
    async (): Promise<LoadedStore> => {
      const store = createMemoryStore();
      await pushWeatherRevisions(store);
      return { store };
    },
  ],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const picker = (await canvas.findByLabelText("Revision")) as HTMLSelectElement;
    expect(picker.options[0]?.textContent).toMatch(/2015 data \(head\)$/);
    await userEvent.selectOptions(picker, picker.options[3] as HTMLOptionElement);
    await userEvent.click(await canvas.findByRole("button", { name: "Make head" }));
    await waitFor(() => expect(picker.options[3]?.textContent).toMatch(/2012 data \(head\)$/));
  },
};

export const Light: Story = { args: { stack: "cars/explorer", theme: "light" } };

export const Dark: Story = {
  args: { stack: "cars/explorer", theme: "dark" },
  play: async ({ canvasElement }) => {
    const root = await waitFor(() => canvasElement.querySelector<HTMLElement>(".dk-stack") as HTMLElement);
    expect(getComputedStyle(root).backgroundColor).toBe("rgb(13, 17, 23)");
  },
};

/** The layout at 320 px: fields stack, nothing scrolls sideways. */
export const NarrowScreen: Story = {
  args: { stack: "cars/explorer" },
  render: (args, { loaded }) => (
    <div style={{ width: 320 }}>
      <StoryProvider store={(loaded as LoadedStore).store}>
        <StackView {...args} />
      </StoryProvider>
    </div>
  ),
  play: async ({ canvasElement }) => {
    await within(canvasElement).findByRole("tablist");
    const root = canvasElement.querySelector<HTMLElement>(".dk-stack") as HTMLElement;
    expect(root.scrollWidth).toBeLessThanOrEqual(root.clientWidth);
  },
};
