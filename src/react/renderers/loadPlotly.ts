import type { PlotlyLike, PlotlySource } from "./externalLibraries";

let basic: Promise<PlotlyLike> | undefined;
const loaded = new WeakMap<() => Promise<PlotlyLike>, Promise<PlotlyLike>>();

// A failed load (offline, blocked chunk) must not stick: the next attempt (Retry) loads again.
function remember<T>(promise: Promise<T>, forget: () => void): Promise<T> {
  promise.catch(forget);
  return promise;
}

/**
 * The Plotly to draw with: the provider's build (object or loader), else plotly.js-basic-dist, imported on the
 * first plot only so pages without plots never download it.
 */
export function loadPlotly(source: PlotlySource | undefined): Promise<PlotlyLike> {
  if (source === undefined) {
    basic ??= remember(
      import("plotly.js-basic-dist").then((module) => {
        const namespace = module as unknown as { default?: PlotlyLike } & PlotlyLike;
        return namespace.default ?? namespace;
      }),
      () => {
        basic = undefined;
      },
    );
    return basic;
  }
  if (typeof source !== "function") return Promise.resolve(source);
  let promise = loaded.get(source);
  if (!promise) {
    promise = remember(source(), () => loaded.delete(source));
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
