// The renderers and UI pieces on their own, each story a test in Chromium. Owns: sorting the real Seattle table,
// a million rows mounted from a ColumnTable, GFM and hostile markdown outside a StackView, host renderers, and bokeh
// in its sandboxed frame (real iframes and postMessage). The Errors story is the ErrorState catalog with a smoke
// check of the kinds: error kinds are owned by src/react/ui/format.test.ts (describeError) and the error states of a
// stack by src/react/stackView/StackView.test.tsx.
import type { Meta, StoryObj } from "@storybook/react-vite";
import { expect, userEvent, waitFor, within } from "storybook/test";
import { pushFrame } from "../../src/client/frame";
import { rowsToTable } from "../../src/model/columnTable";
import { AttachmentNotFoundError, ForbiddenError, MalformedAttachmentError } from "../../src/model/errors";
import {
  type AttachmentRenderer,
  type AttachmentRendererProps,
  DataTable,
  ErrorState,
  SafeMarkdown,
  Skeleton,
  StackView,
  useAttachmentBytes,
} from "../../src/react";
import { bokehItem, createFakeBokeh, fakeBokehScriptUrl } from "../../src/react/testing/fakeBokeh";
import { createMemoryStore } from "../../src/storage/memoryStore";
import { GFM_MARKDOWN, HOSTILE_MARKDOWN, millionFlights, showcaseStore } from "../seed/showcase";
import { weatherRows } from "../seed/vegaData";
import { type LoadedStore, StoryProvider } from "../support/storeProvider";

const meta = { title: "Renderers" } satisfies Meta;
export default meta;
type Story = StoryObj<typeof meta>;

const seattle = rowsToTable(weatherRows.map((day) => ({ ...day })));

/** seattle-weather.csv: 1,461 rows, sortable by any column. */
export const Table: Story = {
  render: () => <DataTable table={seattle} label="Seattle weather" />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(within(canvas.getByRole("columnheader", { name: /temp_max/ })).getByRole("button"));
    await userEvent.click(within(canvas.getByRole("columnheader", { name: /temp_max/ })).getByRole("button"));
    const first = canvasElement.querySelector('[aria-rowindex="2"] [aria-colindex="3"]')?.textContent;
    expect(first).toBe(String(Math.max(...weatherRows.map((d) => d.temp_max))));
  },
};

/** A million rows straight from a ColumnTable: mounts instantly, a few dozen rows in the DOM. */
export const MillionRows: Story = {
  render: () => <DataTable table={millionFlights()} label="A million flights" />,
  play: async ({ canvasElement }) => {
    expect(canvasElement.querySelector(".dk-table__summary")?.textContent).toBe("1,000,000 rows × 5 columns");
    expect(canvasElement.querySelectorAll('[role="row"]').length).toBeLessThan(300);
  },
};

/** Hostile markdown: scripts, handlers, javascript: and data: URLs, all inert (the parser loads on first use). */
export const Markdown: Story = {
  render: () => (
    <div className="dk-root">
      <SafeMarkdown>{HOSTILE_MARKDOWN}</SafeMarkdown>
    </div>
  ),
  play: async ({ canvasElement }) => {
    // The image with a javascript: source shows as its alt text, not as an <img>.
    await waitFor(() =>
      expect([...canvasElement.querySelectorAll(".dk-markdown__removed")].map((e) => e.textContent)).toEqual([
        "[image: an image with a javascript: source]",
      ]),
    );
    expect(canvasElement.querySelector("img")).toBeNull();
    expect(canvasElement.querySelector("script, iframe")).toBeNull();
  },
};

/** Notes as written in Jupyter: a GFM table, strikethrough, a task list, autolinks and a footnote. */
export const MarkdownGfm: Story = {
  render: () => (
    <div className="dk-root" style={{ maxWidth: 640 }}>
      <SafeMarkdown>{GFM_MARKDOWN}</SafeMarkdown>
    </div>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const table = await canvas.findByRole("table");
    expect(
      within(table)
        .getAllByRole("columnheader")
        .map((th) => th.textContent),
    ).toEqual(["weather", "days", "mean precipitation (mm)", "mean high (°C)"]);
    // Rain first: the most common weather, with its number of days.
    const rainDays = weatherRows.filter((d) => d.weather === "rain").length;
    const firstRow = within(table).getAllByRole("row")[1] as HTMLTableRowElement;
    expect([...firstRow.cells].slice(0, 2).map((c) => c.textContent)).toEqual(["rain", String(rainDays)]);
    expect(canvasElement.querySelector("del")?.textContent).toBe("rare");
    const boxes = canvas.getAllByRole("checkbox") as HTMLInputElement[];
    expect(boxes.map((box) => [box.checked, box.disabled])).toEqual([
      [true, true],
      [true, true],
      [false, true],
    ]);
    const link = canvas.getByRole("link", { name: "https://vega.github.io/vega-datasets/" });
    expect(link.getAttribute("rel")).toContain("noopener");
  },
};

export const Errors: Story = {
  render: () => (
    <div className="dk-root" style={{ display: "grid", gap: 12 }}>
      <ErrorState
        error={new AttachmentNotFoundError("no attachment of dstack/cars has params {Origin: 'Mars'}")}
        onRetry={() => {}}
      />
      <ErrorState error={new ForbiddenError("alice/secret is private")} />
      <ErrorState
        error={new MalformedAttachmentError("attachment 0 (text/csv) is not valid UTF-8 text")}
        onRetry={() => {}}
      />
      <ErrorState error={new Error("network down")} onRetry={() => {}} />
    </div>
  ),
  play: async ({ canvasElement }) => {
    const kinds = within(canvasElement)
      .getAllByRole("alert")
      .map((a) => a.dataset.kind);
    expect(kinds).toEqual(["not-found", "forbidden", "corrupt", "error"]);
  },
};

export const Skeletons: Story = {
  render: () => (
    <div className="dk-root" style={{ display: "grid", gap: 12 }}>
      <Skeleton variant="header" />
      <Skeleton variant="controls" />
      <Skeleton variant="table" />
    </div>
  ),
  play: async ({ canvasElement }) => {
    expect(within(canvasElement).getAllByRole("status")).toHaveLength(3);
  },
};

/** A host renderer replacing the built-in `image` one: registry entries with a built-in's name win. */
function FramedImage({ stack, frameId, attachment }: AttachmentRendererProps) {
  const { data } = useAttachmentBytes(stack, frameId, attachment);
  return (
    <p data-testid="host-renderer" style={{ border: "4px double currentColor", padding: 8 }}>
      Host renderer: {attachment.contentType}, {data ? `${data.size} bytes` : "loading…"}
    </p>
  );
}
const framedImage: AttachmentRenderer = {
  name: "image",
  test: (a) => a.contentType.startsWith("image/"),
  Component: FramedImage,
};

export const HostRenderer: Story = {
  loaders: [async (): Promise<LoadedStore> => ({ store: await showcaseStore() })],
  render: (_args, { loaded }) => (
    <StoryProvider store={(loaded as LoadedStore).store} renderers={[framedImage]}>
      <StackView stack="images/logos" />
    </StoryProvider>
  ),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(within(canvasElement).getByTestId("host-renderer").textContent).toMatch(/bytes/));
  },
};

/** A bokeh plot's frame, once it has drawn and reported its height. */
async function drawnBokehFrame(canvasElement: HTMLElement, height: number): Promise<HTMLIFrameElement> {
  let frame: HTMLIFrameElement | null = null;
  await waitFor(() => {
    frame = canvasElement.querySelector<HTMLIFrameElement>(".dk-bokeh iframe");
    expect(frame?.getBoundingClientRect().height).toBe(height);
  });
  return frame as unknown as HTMLIFrameElement;
}

/**
 * Bokeh plots draw in a frame sandboxed without `allow-same-origin`, which loads BokehJS from the URLs given to the
 * provider (a stand-in here) and grows to the plot's height.
 */
export const BokehSandboxed: Story = {
  loaders: [async (): Promise<LoadedStore> => ({ store: await showcaseStore() })],
  render: (_args, { loaded }) => (
    <StoryProvider store={(loaded as LoadedStore).store} bokeh={{ scripts: [fakeBokehScriptUrl()] }}>
      <StackView stack="plots/bokeh" />
    </StoryProvider>
  ),
  play: async ({ canvasElement }) => {
    const frame = await drawnBokehFrame(canvasElement, 300);
    expect(frame.getAttribute("sandbox")).toBe("allow-scripts");
  },
};

const HOSTILE_BOKEH = `
  try { parent.document.body.style.background = "red"; } catch (error) {}
  try { window.top.localStorage.setItem("dk-story-pwned", document.cookie); } catch (error) {}
  document.body.append("This plot's CustomJS tried to reach the page and could not.");
`;

/** A plot whose CustomJS reaches for the page's DOM, cookies and storage: it runs, confined to its frame. */
export const BokehHostile: Story = {
  loaders: [
    async (): Promise<LoadedStore> => {
      const store = createMemoryStore();
      await pushFrame({
        stack: "plots/hostile",
        data: bokehItem("p1", { height: 200, documentReady: [HOSTILE_BOKEH] }),
        description: "Hostile",
        store,
      });
      return { store };
    },
  ],
  render: (_args, { loaded }) => (
    <StoryProvider store={(loaded as LoadedStore).store} bokeh={{ scripts: [fakeBokehScriptUrl()] }}>
      <StackView stack="plots/hostile" />
    </StoryProvider>
  ),
  play: async ({ canvasElement }) => {
    // Taller than the 200 px root: the CustomJS ran, and added its line inside the frame.
    await waitFor(() => {
      const frame = canvasElement.querySelector<HTMLIFrameElement>(".dk-bokeh iframe");
      expect(frame?.getBoundingClientRect().height).toBeGreaterThan(200);
    });
    expect(localStorage.getItem("dk-story-pwned")).toBeNull();
    expect(document.body.style.background).toBe("");
  },
};

/** With `trustContent`, the page's own BokehJS embeds plots in the page (for stores only trusted people push to). */
export const BokehTrusted: Story = {
  loaders: [async (): Promise<LoadedStore> => ({ store: await showcaseStore() })],
  render: (_args, { loaded }) => (
    <StoryProvider store={(loaded as LoadedStore).store} bokeh={createFakeBokeh()} trustContent>
      <StackView stack="plots/bokeh" />
    </StoryProvider>
  ),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector(".dk-bokeh > .bk-root")?.textContent).toContain("p1001"));
    expect(canvasElement.querySelector(".dk-bokeh iframe")).toBeNull();
  },
};
