// Real plotly.js-basic-dist in Chromium: the lazy import, drawing, resizing with the container, the theme, and the
// message for trace types the basic bundle lacks.
import { describe, expect, it } from "vitest";
import { pushCarsByOrigin, pushVolcano } from "../../../stories/seed/showcase";
import { carRows } from "../../../stories/seed/vegaData";
import { createMemoryStore } from "../../storage/memoryStore";
import { StackView } from "../stackView/StackView";
import { renderInBrowser, waitFor } from "../testing/renderInBrowser";

const drawnPlot = (root: ParentNode = document) =>
  root.querySelector<HTMLElement>('.dk-plot[data-state="drawn"] .main-svg');

describe("plotly renderer (Chromium)", () => {
  it("draws every point of the figure, follows the container's width and redraws on a widget change", async () => {
    const store = createMemoryStore();
    await pushCarsByOrigin(store);
    const screen = await renderInBrowser(
      <div data-testid="frame" style={{ width: "800px" }}>
        <StackView stack="cars/by-origin" />
      </div>,
      store,
    );
    const svg = await waitFor(() => drawnPlot(), 60_000, "the plot");
    const usa = carRows.filter((c) => c.Origin === "USA" && c.Horsepower !== null && c.Miles_per_Gallon !== null);
    expect(document.querySelectorAll(".dk-plot .scatterlayer .point")).toHaveLength(usa.length);
    const wide = Number(svg.getAttribute("width"));
    expect(wide).toBeGreaterThan(600);

    (screen.getByTestId("frame").element() as HTMLElement).style.width = "420px";
    await waitFor(() => Number(drawnPlot()?.getAttribute("width")) < 500, 10_000, "the plot to shrink");

    await screen.getByLabelText("Origin", { exact: true }).selectOptions("Japan");
    const japan = carRows.filter((c) => c.Origin === "Japan" && c.Horsepower !== null && c.Miles_per_Gallon !== null);
    await waitFor(
      () => document.querySelectorAll(".dk-plot .scatterlayer .point").length === japan.length,
      10_000,
      "the Japanese cars",
    );
  });

  it("draws in the dark theme's colours", async () => {
    const store = createMemoryStore();
    await pushCarsByOrigin(store);
    await renderInBrowser(<StackView stack="cars/by-origin" theme="dark" />, store);
    await waitFor(() => drawnPlot(), 60_000, "the plot");
    const title = document.querySelector<SVGTextElement>(".dk-plot .gtitle");
    expect(title?.style.fill).toBe("rgb(230, 232, 235)");
  });

  it("names a trace type outside the basic bundle instead of drawing a blank chart", async () => {
    const store = createMemoryStore();
    await pushVolcano(store);
    const screen = await renderInBrowser(<StackView stack="plots/volcano" />, store);
    await expect.element(screen.getByRole("note")).toHaveTextContent('"heatmap"');
    expect(document.querySelector(".dk-plot")).toBeNull();
  });
});
