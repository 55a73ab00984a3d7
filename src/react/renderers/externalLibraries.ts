// The slice of plotly.js and BokehJS the renderers use, so a host can pass any build of either.

/** The part of plotly.js the kit calls. Both plotly.js-basic-dist and a full plotly.js build satisfy it. */
export interface PlotlyLike {
  react(root: HTMLElement, data: unknown[], layout?: object, config?: object): Promise<unknown>;
  purge(root: HTMLElement): void;
  Plots: { resize(root: HTMLElement): unknown };
  PlotSchema?: { get(): { traces: Record<string, unknown> } };
}

/** A Plotly build, or a function that loads one (called once, on the first plot). */
export type PlotlySource = PlotlyLike | (() => Promise<PlotlyLike>);

/** The part of BokehJS the kit calls (`window.Bokeh` once bokeh.min.js is on the page). */
export interface BokehLike {
  embed: { embed_item(item: unknown, target: HTMLElement): Promise<unknown> | unknown };
}

/** BokehJS from the provider, else a global `Bokeh` loaded by the host page. */
export function findBokeh(fromProvider: BokehLike | undefined): BokehLike | undefined {
  if (fromProvider) return fromProvider;
  const global = (globalThis as { Bokeh?: Partial<BokehLike> }).Bokeh;
  return typeof global?.embed?.embed_item === "function" ? (global as BokehLike) : undefined;
}
