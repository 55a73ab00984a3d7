import { useEffect, useRef, useState } from "react";
import { MalformedAttachmentError } from "../../model/errors";
import { useDstackContext } from "../context";
import { useAttachment } from "../hooks/useAttachment";
import { DownloadButton } from "../ui/DownloadButton";
import { ErrorState } from "../ui/ErrorState";
import { Skeleton } from "../ui/Skeleton";
import type { PlotlyLike } from "./externalLibraries";
import { loadPlotly, missingTraceTypes, PLOTLY_MISSING } from "./loadPlotly";
import { themedLayout } from "./plotlyTheme";
import type { AttachmentRendererProps } from "./types";

interface Figure {
  data: unknown[];
  layout?: unknown;
  config?: unknown;
}

function asFigure(value: unknown): Figure | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const figure = value as Partial<Figure>;
  return Array.isArray(figure.data) ? (figure as Figure) : undefined;
}

/**
 * Loads the provider's Plotly or plotly.js-basic-dist (an optional peer) once, on the client; `retry` loads again
 * after a failure.
 */
function usePlotlyBuild() {
  const { plotly: source } = useDstackContext();
  const [state, setState] = useState<{ plotly?: PlotlyLike; error?: unknown }>({});
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is how Retry asks for another load
  useEffect(() => {
    let live = true;
    loadPlotly(source).then(
      (plotly) => live && setState({ plotly }),
      (error: unknown) => live && setState({ error }),
    );
    return () => {
      live = false;
    };
  }, [source, attempt]);
  return { ...state, retry: () => setAttempt((n) => n + 1) };
}

/**
 * A plotly figure, drawn with the lazily loaded Plotly build: follows the theme, resizes with its container, and
 * names any trace type the build lacks instead of drawing a blank chart.
 */
export function PlotlyRenderer({ stack, frameId, attachment, colorScheme }: AttachmentRendererProps) {
  const query = useAttachment(stack, frameId, attachment);
  const build = usePlotlyBuild();
  const root = useRef<HTMLDivElement>(null);
  const [drawn, setDrawn] = useState<{ figure: Figure; scheme: string } | null>(null);
  const [drawError, setDrawError] = useState<unknown>(null);
  const drawnOn = useRef<{ element: HTMLElement; plotly: PlotlyLike } | null>(null);

  const figure = query.data === undefined ? undefined : asFigure(query.data);
  const plotly = build.plotly;
  const missing = plotly && figure ? missingTraceTypes(figure, plotly) : [];
  const canDraw = plotly !== undefined && figure !== undefined && missing.length === 0;

  useEffect(() => {
    const element = root.current;
    if (!canDraw || !element || !plotly || !figure) return;
    let live = true;
    drawnOn.current = { element, plotly };
    const config = {
      displaylogo: false,
      responsive: false,
      ...(typeof figure.config === "object" && figure.config !== null ? figure.config : {}),
    };
    // Plotly annotates the traces it is given; the decoded figure is shared through the query cache.
    plotly.react(element, structuredClone(figure.data), themedLayout(figure.layout, colorScheme), config).then(
      () => live && setDrawn({ figure, scheme: colorScheme }),
      (error: unknown) => live && setDrawError(error),
    );
    let frame = 0;
    const observer =
      typeof ResizeObserver === "undefined"
        ? undefined
        : new ResizeObserver(() => {
            cancelAnimationFrame(frame);
            frame = requestAnimationFrame(() => plotly.Plots.resize(element));
          });
    observer?.observe(element);
    return () => {
      live = false;
      observer?.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [canDraw, plotly, figure, colorScheme]);

  // Purge once, when the plot goes away: Plotly keeps listeners and state on the element.
  useEffect(
    () => () => {
      const last = drawnOn.current;
      if (last) last.plotly.purge(last.element);
    },
    [],
  );

  if (query.isPending) return <Skeleton variant="plot" label="Loading plot…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (!figure) {
    return (
      <ErrorState
        error={new MalformedAttachmentError(`attachment ${attachment.index} is not a plotly figure (no data array)`)}
      />
    );
  }
  if ((build.error as { code?: unknown } | undefined)?.code === PLOTLY_MISSING) {
    // Not a failure to retry: the host has no Plotly build. Say what to install, and still hand over the figure.
    return (
      <div className="dk-notice" role="note">
        <p>
          Plotly figures need <code>plotly.js-basic-dist</code>, which this app does not include. Install it (
          <code>npm install plotly.js-basic-dist</code>) or pass a Plotly build to{" "}
          <code>{"<DstackProvider plotly={...}>"}</code>.
        </p>
        <DownloadButton stack={stack} frameId={frameId} attachment={attachment} label="Download figure JSON" />
      </div>
    );
  }
  if (build.error) {
    return <ErrorState title="Plotly could not be loaded" error={build.error} onRetry={build.retry} />;
  }
  if (drawError) {
    return <ErrorState title="Plotly could not draw this figure" error={drawError} />;
  }
  if (missing.length > 0) {
    const names = missing.map((m) => `"${m}"`).join(", ");
    return (
      <div className="dk-notice" role="note">
        <p>
          This figure uses the trace type{missing.length > 1 ? "s" : ""} {names}, which the Plotly build in use does not
          include (the default is plotly.js-basic-dist: scatter, bar and pie). Pass a fuller build to{" "}
          <code>{"<DstackProvider plotly={...}>"}</code> to draw it.
        </p>
        <DownloadButton stack={stack} frameId={frameId} attachment={attachment} label="Download figure JSON" />
      </div>
    );
  }
  const ready = drawn !== null && drawn.figure === figure && drawn.scheme === colorScheme;
  return (
    <div className="dk-plot" data-state={ready ? "drawn" : "drawing"}>
      {!ready && <Skeleton variant="plot" label="Drawing plot…" />}
      <div ref={root} className="dk-plot__canvas" />
    </div>
  );
}
