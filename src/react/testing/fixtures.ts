// Small, fast stacks for unit tests; stories and browser tests use real data from vega-datasets.
import { createFrame, pushFrame } from "../../client/frame";
import type { StackStore } from "../../model/stackStore";

export const lineFigure = (a: number) => ({
  data: [{ type: "scatter", x: [0, 1, 2, 3], y: [0, a, 2 * a, 3 * a] }],
  layout: { title: { text: `a = ${a}` } },
});

/** `line_plot`: four plotly figures under a Coefficient slider (as the dstack README). */
export async function pushLinePlot(store: StackStore, stack = "line_plot"): Promise<string> {
  const frame = createFrame(stack, { store });
  for (const c of [0.5, 1, 1.5, 2])
    frame.commit(lineFigure(c), `Line plot with the coefficient of ${c}`, { Coefficient: c });
  return (await frame.push({ message: "four coefficients" })).frameId;
}

/**
 * `grid`: markdown attachments over a select (Region), a checkbox (Log) and a slider (Year), where one combination
 * (Region "South" with Log true) was never pushed, so options go disabled.
 */
export async function pushGrid(store: StackStore, stack = "grid"): Promise<string> {
  const frame = createFrame(stack, { store });
  for (const region of ["North", "South"]) {
    for (const log of [false, true]) {
      if (region === "South" && log) continue;
      for (const year of [2019, 2020, 2021]) {
        frame.commit(`# ${region} ${year}${log ? " (log)" : ""}`, `${region} ${year}`, {
          Region: region,
          Log: log,
          Year: year,
        });
      }
    }
  }
  return (await frame.push({ message: "grid" })).frameId;
}

/** `tabs`: a table tab and a markdown tab. */
export async function pushTabs(store: StackStore, stack = "tabbed"): Promise<string> {
  const frame = createFrame(stack, { store });
  frame.commit(
    [
      { city: "Seattle", temp: 12.5 },
      { city: "Boston", temp: 9 },
      { city: "Austin", temp: 21.25 },
    ],
    "Temperatures",
    { Table: { type: "tab" } },
  );
  frame.commit("Notes about **temperatures**.", "Notes", { Notes: { type: "tab", title: "Read me" } });
  return (await frame.push()).frameId;
}

/** One attachment stack (no params). */
export async function pushSingle(store: StackStore, stack: string, obj: unknown, description?: string) {
  return (await pushFrame({ stack, data: obj, description, store })).frameId;
}
