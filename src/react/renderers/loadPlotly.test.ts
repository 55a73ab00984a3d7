// The Plotly loader: plotly.js-basic-dist is an optional peer, so "not installed" (in each form bundlers and Node
// give it) is a clear DstackError, while a chunk that fails to download stays an error worth retrying.
import { describe, expect, it, vi } from "vitest";
import { DstackError } from "../../model/errors";
import { createFakePlotly } from "../testing/fakePlotly";
import { basicPlotly, loadPlotly, PLOTLY_MISSING } from "./loadPlotly";

const missing = expect.objectContaining({
  name: "DstackError",
  code: PLOTLY_MISSING,
  message: expect.stringContaining("npm install plotly.js-basic-dist"),
});

describe("loadPlotly", () => {
  it("takes Plotly itself or a module whose default export is Plotly", async () => {
    const { plotly } = createFakePlotly();
    await expect(basicPlotly(async () => plotly)).resolves.toBe(plotly);
    await expect(basicPlotly(async () => ({ default: plotly }))).resolves.toBe(plotly);
  });

  it("says plotly.js-basic-dist is not installed, however the bundler or runtime puts it", async () => {
    const failures = [
      // Vite, dev and build: its stand-in module for a missing optional peer throws this.
      new Error('Could not resolve "plotly.js-basic-dist" imported by "dstack-kit". Is it installed?'),
      // Node's import().
      Object.assign(new Error("Cannot find package 'plotly.js-basic-dist' imported from /app/dist/react/index.js"), {
        code: "ERR_MODULE_NOT_FOUND",
      }),
      // webpack's stub for a module it could not find.
      Object.assign(new Error("Cannot find module 'plotly.js-basic-dist'"), { code: "MODULE_NOT_FOUND" }),
      // A browser loading the ESM build without a bundler or import map.
      new TypeError('Failed to resolve module specifier "plotly.js-basic-dist".'),
    ];
    for (const failure of failures) {
      const error = await basicPlotly(() => Promise.reject(failure)).catch((e: unknown) => e);
      expect(error).toEqual(missing);
      expect((error as Error).cause).toBe(failure);
    }
    // An empty stand-in module (a bundler's `false` alias, an optional peer stubbed out) is no Plotly either.
    await expect(basicPlotly(async () => ({ default: {} }))).rejects.toEqual(missing);
    await expect(basicPlotly(async () => ({}))).rejects.toEqual(missing);
  });

  it("passes any other failure on as it is, so Retry can load again", async () => {
    const offline = new TypeError("Failed to fetch dynamically imported module: https://app.example/assets/plotly.js");
    await expect(basicPlotly(() => Promise.reject(offline))).rejects.toBe(offline);
  });

  it("unwraps a host loader's module, refuses one that is no Plotly, and forgets failed loads", async () => {
    const { plotly } = createFakePlotly();
    const namespace = async () => ({ default: plotly }) as unknown as typeof plotly;
    await expect(loadPlotly(namespace)).resolves.toBe(plotly);
    await expect(loadPlotly(plotly)).resolves.toBe(plotly);

    const notPlotly = async () => ({}) as unknown as typeof plotly;
    await expect(loadPlotly(notPlotly)).rejects.toThrow(DstackError);

    const flaky = vi.fn<() => Promise<typeof plotly>>().mockRejectedValueOnce(new Error("offline"));
    flaky.mockResolvedValue(plotly);
    await expect(loadPlotly(flaky)).rejects.toThrow("offline");
    await expect(loadPlotly(flaky)).resolves.toBe(plotly);
    await expect(loadPlotly(flaky)).resolves.toBe(plotly);
    expect(flaky).toHaveBeenCalledTimes(2);
  });
});
