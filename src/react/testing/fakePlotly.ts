import type { PlotlyLike } from "../renderers/externalLibraries";

/** A Plotly stand-in for jsdom (which cannot lay out SVG): records calls, registers the basic bundle's traces. */
export function createFakePlotly(traces: readonly string[] = ["scatter", "bar", "pie"]) {
  const calls: { react: Array<{ data: unknown[]; layout: object | undefined }>; purge: number; resize: number } = {
    react: [],
    purge: 0,
    resize: 0,
  };
  const plotly: PlotlyLike = {
    react(root, data, layout) {
      calls.react.push({ data, layout });
      root.setAttribute("data-fake-plotly", String(data.length));
      return Promise.resolve(root);
    },
    purge() {
      calls.purge += 1;
    },
    Plots: {
      resize() {
        calls.resize += 1;
      },
    },
    PlotSchema: { get: () => ({ traces: Object.fromEntries(traces.map((t) => [t, {}])) }) },
  };
  return { plotly, calls };
}
