import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { AttachmentInfo } from "../../model/types";
import { createMemoryStore } from "../../storage/memoryStore";
import { StackView } from "../stackView/StackView";
import { createFakePlotly } from "../testing/fakePlotly";
import { pushSingle } from "../testing/fixtures";
import { objectUrls } from "../testing/objectUrls";
import { renderWithStore } from "../testing/renderWithStore";
import { defaultRenderers, mergeRenderers, pickRenderer } from "./defaultRenderers";
import type { AttachmentRenderer } from "./types";

const info = (contentType: string, application?: string): AttachmentInfo => ({
  index: 0,
  contentType,
  params: {},
  length: 10,
  ...(application ? { application } : {}),
});

const Host = () => null;

// Throws until `flaky.fixed`: React retries a failed render once by itself, so a one-off throw would not reach
// the boundary.
const flaky = { fixed: false };
const Flaky: AttachmentRenderer["Component"] = () => {
  if (!flaky.fixed) throw new Error("renderer bug");
  return <p>Recovered</p>;
};

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);

describe("renderer registry", () => {
  it("picks the built-in renderer by content type and application", () => {
    const name = (a: AttachmentInfo) => pickRenderer(defaultRenderers, a)?.name;
    expect(name(info("application/json", "plotly"))).toBe("plotly");
    expect(name(info("application/json", "bokeh"))).toBe("bokeh");
    expect(name(info("text/csv", "pandas/dataframe"))).toBe("table");
    expect(name(info("text/csv; charset=utf-8"))).toBe("table");
    expect(name(info("image/svg+xml", "matplotlib"))).toBe("image");
    expect(name(info("text/markdown"))).toBe("markdown");
    expect(name(info("application/json"))).toBe("text");
    expect(name(info("text/plain"))).toBe("text");
    expect(name(info("text/html"))).toBe("download");
    expect(name(info("application/x-parquet"))).toBe("download");
  });

  it("tries host renderers first; one with a built-in's name replaces it; a throwing test is a no", () => {
    const merged = mergeRenderers([
      { name: "broken", test: () => JSON.parse("{") as boolean, Component: Host },
      { name: "geojson", test: (a) => a.contentType === "application/geo+json", Component: Host },
      { name: "image", test: (a) => a.contentType.startsWith("image/"), Component: Host },
    ]);
    expect(merged.map((r) => r.name)).toEqual([
      "broken",
      "geojson",
      "image",
      "plotly",
      "bokeh",
      "table",
      "markdown",
      "text",
      "download",
    ]);
    expect(pickRenderer(merged, info("application/geo+json"))?.name).toBe("geojson");
    expect(pickRenderer(merged, info("image/png"))?.Component).toBe(Host);
  });
});

describe("renderers in a StackView", () => {
  it("isolates a renderer that throws: its box shows the error with Retry, the page stays", async () => {
    const store = createMemoryStore();
    await pushSingle(store, "report", "# Fine", "A description that still shows");
    flaky.fixed = false;
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    renderWithStore(<StackView stack="report" />, {
      store,
      renderers: [{ name: "markdown", test: (a) => a.contentType === "text/markdown", Component: Flaky }],
    });
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The markdown renderer failed");
    expect(alert.textContent).toContain("renderer bug");
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("dstack/report");
    const box = alert.closest(".dk-attachment");
    expect(box?.querySelector(".dk-attachment__description")?.textContent).toBe("A description that still shows");
    flaky.fixed = true;
    fireEvent.click(within(alert).getByRole("button", { name: "Retry" }));
    // The renderer is mounted again in the same box, and the error is gone.
    await waitFor(() => expect(box?.querySelector(".dk-attachment__body")?.textContent).toBe("Recovered"));
    expect(screen.queryByRole("alert")).toBeNull();
    spy.mockRestore();
  });

  it("keeps hostile markdown inert: no script, no handlers, no javascript: or data: URLs", async () => {
    const hostile = [
      "# Title",
      "<script>window.__pwned = 1</script>",
      '<img src="x" onerror="window.__pwned = 2">',
      "[click](javascript:window.__pwned=3)",
      "[spaced]( javascript:alert(1))",
      "[entity](jav&#x61;script:alert(1))",
      "![img](javascript:alert(1))",
      "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
      '<a href="javascript:alert(1)">raw link</a>',
      "<iframe src='https://example.com'></iframe>",
      "<style>body { display: none }</style>",
      "[ok](https://example.com)",
    ].join("\n\n");
    const store = createMemoryStore();
    await pushSingle(store, "hostile", hostile, hostile);
    await store.updateStack("hostile", { readme: hostile });
    const { container } = renderWithStore(<StackView stack="hostile" />, { store });
    await waitFor(() => expect(screen.getAllByRole("heading", { name: "Title" })).toHaveLength(3));
    expect(container.querySelector("script, iframe, style, object, embed")).toBeNull();
    for (const element of container.querySelectorAll("*")) {
      for (const attribute of element.attributes) {
        expect(attribute.name.startsWith("on"), `${element.tagName} ${attribute.name}`).toBe(false);
        if (attribute.name === "href" || attribute.name === "src") {
          expect(attribute.value.trim().toLowerCase()).not.toMatch(/^(javascript|data|vbscript):/);
        }
      }
    }
    const safe = screen.getAllByRole("link", { name: "ok" })[0] as HTMLAnchorElement;
    expect(safe.getAttribute("href")).toBe("https://example.com");
    expect(safe.getAttribute("rel")).toContain("noopener");
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it("draws images through an object URL revoked on unmount; SVG goes in an <img>, never inline", async () => {
    const store = createMemoryStore();
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=1"><script>window.__pwned=2</script></svg>';
    await pushSingle(store, "vector", new Blob([svg], { type: "image/svg+xml" }), "A vector image");
    await pushSingle(store, "raster", new Blob([PNG], { type: "image/png" }));
    const { container, unmount } = renderWithStore(
      <>
        <StackView stack="vector" />
        <StackView stack="raster" />
      </>,
      { store },
    );
    const vector = (await screen.findByRole("img", { name: "A vector image" })) as HTMLImageElement;
    const raster = (await screen.findByRole("img", { name: "Image attachment 0" })) as HTMLImageElement;
    expect(container.querySelector("svg")).toBeNull();
    const urls = [vector.src, raster.src];
    for (const url of urls) {
      expect(url).toMatch(/^blob:/);
      expect(objectUrls().revoked.has(url)).toBe(false);
    }
    unmount();
    for (const url of urls) expect(objectUrls().revoked.has(url)).toBe(true);
  });

  it("offers a download with name and size for formats without a preview", async () => {
    const store = createMemoryStore();
    await store.push({
      stack: "binary",
      attachments: [
        {
          data: new Uint8Array(2048),
          contentType: "application/x-parquet",
          settings: { filename: "data/flights.parquet" },
        },
      ],
    });
    renderWithStore(<StackView stack="binary" />, { store });
    const button = await screen.findByRole("button", { name: /Download/ });
    expect(button.textContent).toContain("flights.parquet · 2.0 KB");
    expect(document.querySelector(".dk-notice p")?.textContent).toBe("No preview for application/x-parquet.");
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    fireEvent.click(button);
    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    const anchor = click.mock.contexts[0] as HTMLAnchorElement;
    expect(anchor.download).toBe("flights.parquet");
    expect(anchor.href).toMatch(/^blob:/);
    click.mockRestore();
  });

  it("pretty-prints JSON and shows plain text", async () => {
    const store = createMemoryStore();
    await pushSingle(store, "config", { model: "xgboost", depth: 6 });
    await pushSingle(store, "log", new Blob(["line 1\nline 2"], { type: "text/plain" }));
    renderWithStore(
      <>
        <StackView stack="config" />
        <StackView stack="log" />
      </>,
      { store },
    );
    await waitFor(() => expect(document.querySelectorAll(".dk-text__body")).toHaveLength(2));
    const [json, text] = [...document.querySelectorAll(".dk-text__body")].map((e) => e.textContent);
    expect(json).toBe('{\n  "model": "xgboost",\n  "depth": 6\n}');
    expect(text).toBe("line 1\nline 2");
  });

  it("draws plotly figures with the provider's Plotly, themed; names trace types the build lacks", async () => {
    const store = createMemoryStore();
    await pushSingle(store, "scatter", { data: [{ type: "scatter", x: [1, 2], y: [3, 4] }], layout: { width: 2000 } });
    await pushSingle(store, "heat", {
      data: [
        { type: "heatmap", z: [[1, 2]] },
        { type: "contour", z: [[1]] },
      ],
    });
    const { plotly, calls } = createFakePlotly();
    const loader = vi.fn(async () => plotly);
    const { unmount } = renderWithStore(
      <>
        <StackView stack="scatter" theme="dark" />
        <StackView stack="heat" />
      </>,
      { store, plotly: loader },
    );
    await waitFor(() => expect(document.querySelector(".dk-plot")?.getAttribute("data-state")).toBe("drawn"));
    // Drawn into the plot's own element, with the figure's one trace.
    expect(document.querySelector(".dk-plot__canvas")?.getAttribute("data-fake-plotly")).toBe("1");
    expect(loader).toHaveBeenCalledTimes(1);
    expect(calls.react).toHaveLength(1);
    const layout = calls.react[0]?.layout as Record<string, unknown>;
    expect(layout.width).toBeUndefined();
    expect(layout.font).toEqual({ color: "#e6e8eb" });
    expect(layout.paper_bgcolor).toBe("rgba(0,0,0,0)");
    const note = await screen.findByRole("note");
    expect(note.textContent).toContain('"heatmap", "contour"');
    expect(within(note).getByRole("button").textContent).toBe("Download figure JSONheat-0.json · 70 B");
    unmount();
    expect(calls.purge).toBe(1);
  });

  it("says how to get bokeh drawn without BokehJS", async () => {
    const store = createMemoryStore();
    await pushSingle(store, "bokeh_plot", { target_id: null, root_id: "p1", doc: { roots: [] }, version: "2.4.3" });
    renderWithStore(<StackView stack="bokeh_plot" />, { store });
    const note = await screen.findByRole("note");
    expect(note.textContent).toContain("This is a Bokeh plot");
    expect(note.textContent).toContain("bokeh={{ scripts: [...] }}");
    expect(within(note).getByRole("button").textContent).toBe("Download plot JSONbokeh_plot-0.json · 70 B");
  });

  it("draws bokeh in a sandboxed frame from script URLs, and in the page only with trustContent", async () => {
    const store = createMemoryStore();
    const item = { target_id: null, root_id: "p1", doc: { roots: [] }, version: "2.4.3" };
    await pushSingle(store, "bokeh_plot", item, "Scatter");
    const embed_item = vi.fn((_: unknown, target: HTMLElement) => {
      target.append(Object.assign(document.createElement("div"), { className: "bk-root" }));
    });
    const bokehJS = { embed: { embed_item } };

    const refused = renderWithStore(<StackView stack="bokeh_plot" />, { store, bokeh: bokehJS });
    expect((await screen.findByRole("note")).textContent).toContain("set trustContent");
    refused.unmount();

    const framed = renderWithStore(<StackView stack="bokeh_plot" />, {
      store,
      bokeh: { scripts: ["/static/bokeh.min.js"] },
    });
    const frame = await screen.findByTitle("Scatter");
    expect(frame.getAttribute("sandbox")).toBe("allow-scripts");
    expect(frame.getAttribute("srcdoc")).toContain(`src="${location.origin}/static/bokeh.min.js"`);
    framed.unmount();
    expect(embed_item).not.toHaveBeenCalled();

    renderWithStore(<StackView stack="bokeh_plot" />, { store, bokeh: bokehJS, trustContent: true });
    await waitFor(() => expect(embed_item).toHaveBeenCalledTimes(1));
    expect(embed_item.mock.calls[0]?.[0]).toEqual(item);
    await act(async () => {});
    expect(document.querySelectorAll(".dk-bokeh .bk-root")).toHaveLength(1);
  });
});
