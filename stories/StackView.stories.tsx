import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, fireEvent, userEvent, waitFor, within } from "storybook/test";
import { StackView, type StackViewProps } from "../src/react";
import { createMemoryStore } from "../src/storage/memoryStore";
import { pushMillionFlights, pushWeatherRevisions, showcaseStore } from "./seed/showcase";
import { ThemedPage } from "./support/page";
import { forbiddenStore, type LoadedStore, neverLoadingStore, StoryProvider } from "./support/storeProvider";

// Plotly loads lazily on the first plot; a cold Vite server can take a while to hand it over.
const SLOW = { timeout: 60_000 };

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

export const NotFound: Story = {
  args: { stack: "/nobody/nothing-here" },
  play: async ({ canvasElement }) => {
    const alert = await within(canvasElement).findByRole("alert");
    expect(alert.dataset.kind).toBe("not-found");
    expect(within(alert).getByRole("button", { name: "Retry" })).toBeTruthy();
  },
};

export const Forbidden: Story = {
  args: { stack: "/alice/private-report" },
  loaders: [async (): Promise<LoadedStore> => ({ store: forbiddenStore(await showcaseStore()) })],
  play: async ({ canvasElement }) => {
    const alert = await within(canvasElement).findByRole("alert");
    expect(alert.dataset.kind).toBe("forbidden");
  },
};

/** The attachment's bytes are not UTF-8: its box shows a typed error, the rest of the stack stays usable. */
export const CorruptAttachment: Story = {
  args: { stack: "broken/table" },
  play: async ({ canvasElement }) => {
    const alert = await within(canvasElement).findByRole("alert");
    expect(alert.dataset.kind).toBe("corrupt");
    expect(within(canvasElement).getByRole("heading", { name: "dstack/broken/table" })).toBeTruthy();
  },
};

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
    await waitFor(() => expect(canvas.getByText("Cars made in Europe")).toBeTruthy());
    await waitFor(() => expect(canvasElement.querySelector('.dk-plot[data-state="drawn"]')).toBeTruthy(), SLOW);
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
    await waitFor(() => expect(canvas.getByText("Japan", { selector: "strong" })).toBeTruthy());
  },
};

/** One boolean param: a checkbox. */
export const CheckboxParam: Story = {
  args: { stack: "cars/log-scale" },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole("checkbox", { name: "Log scale" }));
    await waitFor(() => expect(canvas.getByText("Log horsepower axis")).toBeTruthy());
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
    await waitFor(() => expect(canvas.getByText("Countries in 2005")).toBeTruthy());
  },
};

/** `{type: "tab"}` params: tabs. */
export const TabsParam: Story = {
  args: { stack: "weather/seattle" },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getByRole("table")).toBeTruthy());
    await userEvent.click(canvas.getByRole("tab", { name: "Chart" }));
    await waitFor(() => expect(canvasElement.querySelector('.dk-plot[data-state="drawn"]')).toBeTruthy(), SLOW);
  },
};

/** Tabs, a select, a slider and a checkbox on one stack (the Data tab has no Log scale). */
export const ManyParams: Story = {
  args: { stack: "cars/explorer" },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole("tablist");
    expect(canvas.getByLabelText("Origin")).toBeTruthy();
    expect(canvas.getByRole("slider", { name: "Cylinders" })).toBeTruthy();
    expect(canvas.getByRole("checkbox", { name: "Log scale" })).toBeTruthy();
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
    await waitFor(() => expect(canvasElement.querySelector(".dk-plot .main-svg")).toBeTruthy(), SLOW);
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
    expect(canvas.getByRole("columnheader", { name: "mean high (°C)" })).toBeTruthy();
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
