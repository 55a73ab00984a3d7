import { type BokehLike, type BokehSource, isBokehLike, isBokehScripts } from "../externalLibraries";

/** How a bokeh plot is drawn, given what the host provided. */
export type BokehMode =
  /** In a sandboxed frame that loads BokehJS from the host's URLs: the plot's scripts cannot reach the page. */
  | { kind: "frame"; scripts: readonly string[]; nonce: string | undefined }
  /** In the page with the host's BokehJS: only when the host trusts whoever can push to its store. */
  | { kind: "page"; bokeh: BokehLike }
  /** Not drawn. `inPageRefused`: BokehJS is on the page, but the content is not trusted to run there. */
  | { kind: "none"; inPageRefused: boolean };

/**
 * Picks how to draw bokeh plots. A `json_item` may carry `CustomJS` and HTML with event handlers, so the page's own
 * BokehJS (from the provider, else a global `Bokeh`) is used only with `trustContent`; otherwise the plot goes in a
 * sandboxed frame when the host gave script URLs, and is not drawn when it did not.
 */
export function chooseBokehMode(source: BokehSource | undefined, trustContent: boolean, global: unknown): BokehMode {
  const inPage = isBokehLike(source) ? source : isBokehLike(global) ? global : undefined;
  if (trustContent && inPage) return { kind: "page", bokeh: inPage };
  if (isBokehScripts(source)) return { kind: "frame", scripts: source.scripts, nonce: source.nonce };
  return { kind: "none", inPageRefused: inPage !== undefined };
}
