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

/**
 * Where the sandboxed frame that draws each bokeh plot loads BokehJS from. A frame with an opaque origin cannot be
 * handed a BokehJS object, so it gets URLs.
 * @example { scripts: ["https://cdn.bokeh.org/bokeh/release/bokeh-3.4.1.min.js"] }
 */
export interface BokehScripts {
  /**
   * BokehJS script URLs (http(s), relative to the page, or data:) in load order: bokeh.min.js first, then
   * bokeh-widgets, bokeh-tables, bokeh-gl as your plots need.
   */
  scripts: readonly string[];
  /** Your page's CSP script nonce: a `srcdoc` frame inherits the page's policy, so its scripts need it too. */
  nonce?: string;
}

/** What `<DstackProvider bokeh>` takes: script URLs for the sandboxed frame, or BokehJS itself for `trustContent`. */
export type BokehSource = BokehScripts | BokehLike;

/** Whether `x` is BokehJS (or a stand-in): something with `embed.embed_item`. */
export function isBokehLike(x: unknown): x is BokehLike {
  const embed = (x as { embed?: { embed_item?: unknown } } | null | undefined)?.embed;
  return typeof embed?.embed_item === "function";
}

/** Whether `x` names BokehJS scripts for the sandboxed frame. */
export function isBokehScripts(x: unknown): x is BokehScripts {
  const scripts = (x as { scripts?: unknown } | null | undefined)?.scripts;
  return Array.isArray(scripts) && scripts.length > 0 && scripts.every((s) => typeof s === "string");
}
