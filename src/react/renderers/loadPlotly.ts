import { DstackError } from "../../model/errors";
import type { PlotlyLike, PlotlySource } from "./externalLibraries";

/** The code of the error {@link loadPlotly} rejects with when no Plotly build is installed. */
export const PLOTLY_MISSING = "missing_dependency";

let basic: Promise<PlotlyLike> | undefined;
const loaded = new WeakMap<() => Promise<PlotlyLike>, Promise<PlotlyLike>>();

// A failed load (offline, blocked chunk) must not stick: the next attempt (Retry) loads again.
function remember<T>(promise: Promise<T>, forget: () => void): Promise<T> {
  promise.catch(forget);
  return promise;
}

function isPlotly(x: unknown): x is PlotlyLike {
  const plotly = x as Partial<PlotlyLike> | null | undefined;
  return typeof plotly?.react === "function" && typeof plotly.purge === "function";
}

/** Plotly itself, or a module namespace whose default export is Plotly (what import() of its UMD builds gives). */
function plotlyOf(module: unknown): PlotlyLike | undefined {
  try {
    if (isPlotly(module)) return module;
    const fallback = (module as { default?: unknown } | null | undefined)?.default;
    return isPlotly(fallback) ? fallback : undefined;
  } catch {
    // Some stand-in modules (strict proxies, test mocks) throw on names they do not export.
    return undefined;
  }
}

// How "not installed" reads: Node (ERR_MODULE_NOT_FOUND), Vite's stand-in for a missing optional peer ('Could not
// resolve "x" imported by "dstack-kit". Is it installed?'), a browser without a bundler ('Failed to resolve module
// specifier'), webpack ("Cannot find module"). A chunk that fails to download is not one of them: that retries.
const NOT_INSTALLED = /Could not resolve|Cannot find (module|package)|Failed to resolve module specifier/i;

function notInstalled(error: unknown): boolean {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") return true;
  return error instanceof Error && NOT_INSTALLED.test(error.message);
}

function missing(cause?: unknown): DstackError {
  return new DstackError(
    "plotly.js-basic-dist is not installed: run `npm install plotly.js-basic-dist` to draw plotly figures, " +
      "or pass a Plotly build to <DstackProvider plotly={...}>",
    PLOTLY_MISSING,
    500,
    { cause },
  );
}

/**
 * The default build, from `load` (the import of the optional peer plotly.js-basic-dist). When it is not installed
 * (the import fails to resolve, or a bundler gives an empty stand-in module) the promise rejects with a DstackError
 * of code {@link PLOTLY_MISSING}; any other failure is passed on as it is.
 * @example await basicPlotly(() => import("plotly.js-basic-dist"))
 */
export async function basicPlotly(load: () => Promise<unknown>): Promise<PlotlyLike> {
  let module: unknown;
  try {
    module = await load();
  } catch (error) {
    throw notInstalled(error) ? missing(error) : error;
  }
  const plotly = plotlyOf(module);
  if (!plotly) throw missing();
  return plotly;
}

/** A host's loader: its module's default export is unwrapped, and something that is not Plotly is an error. */
async function hostPlotly(load: () => Promise<PlotlyLike>): Promise<PlotlyLike> {
  const plotly = plotlyOf(await load());
  if (!plotly) throw new DstackError("the plotly loader given to <DstackProvider> did not return a Plotly build");
  return plotly;
}

/**
 * The Plotly to draw with: the provider's build (object or loader), else plotly.js-basic-dist, an optional peer
 * imported on the first plot only so pages without plots never download it.
 */
export function loadPlotly(source: PlotlySource | undefined): Promise<PlotlyLike> {
  if (source === undefined) {
    basic ??= remember(
      basicPlotly(() => import("plotly.js-basic-dist")),
      () => {
        basic = undefined;
      },
    );
    return basic;
  }
  if (typeof source !== "function") return Promise.resolve(source);
  let promise = loaded.get(source);
  if (!promise) {
    promise = remember(hostPlotly(source), () => loaded.delete(source));
    loaded.set(source, promise);
  }
  return promise;
}

const traceTypes = new WeakMap<PlotlyLike, ReadonlySet<string> | null>();

/** The trace types a Plotly build registers, or null when it cannot tell (no PlotSchema). Computed once per build. */
export function registeredTraces(plotly: PlotlyLike): ReadonlySet<string> | null {
  let types = traceTypes.get(plotly);
  if (types === undefined) {
    try {
      types = plotly.PlotSchema ? new Set(Object.keys(plotly.PlotSchema.get().traces)) : null;
    } catch {
      types = null;
    }
    traceTypes.set(plotly, types);
  }
  return types;
}

/** Trace types a figure uses that the build lacks (a trace without `type` is a scatter, as in plotly). */
export function missingTraceTypes(figure: { data: unknown[] }, plotly: PlotlyLike): string[] {
  const known = registeredTraces(plotly);
  if (!known) return [];
  const missing = new Set<string>();
  for (const trace of figure.data) {
    const type = (trace as { type?: unknown } | null)?.type;
    const name = typeof type === "string" ? type : "scatter";
    if (!known.has(name)) missing.add(name);
  }
  return [...missing];
}
