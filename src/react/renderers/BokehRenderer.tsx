import { useEffect, useState } from "react";
import { useDstackContext } from "../context";
import { useAttachment } from "../hooks/useAttachment";
import { DownloadButton } from "../ui/DownloadButton";
import { ErrorState } from "../ui/ErrorState";
import { Skeleton } from "../ui/Skeleton";
import { BokehFrame } from "./bokeh/BokehFrame";
import { type BokehMode, chooseBokehMode } from "./bokeh/bokehMode";
import { InPageBokeh } from "./bokeh/InPageBokeh";
import type { AttachmentRendererProps } from "./types";

/**
 * A bokeh `json_item`. By default in a sandboxed frame that loads BokehJS from `<DstackProvider bokeh={{ scripts }}>`,
 * since an item may carry scripts; in the page with the host's BokehJS only under `trustContent`. Without either, a
 * message saying what to add, and the JSON to download.
 */
export function BokehRenderer({ stack, frameId, attachment, colorScheme }: AttachmentRendererProps) {
  const { bokeh, trustContent } = useDstackContext();
  const query = useAttachment(stack, frameId, attachment);
  // Decided after mount: a global Bokeh only exists in the browser, and SSR must render the same first frame.
  const [mode, setMode] = useState<BokehMode>();
  useEffect(() => {
    setMode(chooseBokehMode(bokeh, trustContent, (globalThis as { Bokeh?: unknown }).Bokeh));
  }, [bokeh, trustContent]);

  if (query.isPending || !mode) return <Skeleton variant="plot" label="Loading Bokeh plot…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (mode.kind === "page") return <InPageBokeh bokeh={mode.bokeh} item={query.data} />;
  if (mode.kind === "frame") {
    return (
      <div className="dk-bokeh">
        <BokehFrame
          item={query.data}
          scripts={mode.scripts}
          nonce={mode.nonce}
          colorScheme={colorScheme}
          title={attachment.description?.trim() || "Bokeh plot"}
        />
      </div>
    );
  }
  return (
    <div className="dk-notice" role="note">
      {mode.inPageRefused ? (
        <p>
          This is a Bokeh plot. BokehJS is on this page, but a plot can carry scripts, so it is drawn only in a
          sandboxed frame: pass BokehJS script URLs to <code>{"<DstackProvider bokeh={{ scripts: [...] }}>"}</code>, or
          set <code>trustContent</code> if you trust everyone who can push to this store.
        </p>
      ) : (
        <p>
          This is a Bokeh plot. To draw it, pass BokehJS script URLs to{" "}
          <code>{"<DstackProvider bokeh={{ scripts: [...] }}>"}</code>.
        </p>
      )}
      <DownloadButton stack={stack} frameId={frameId} attachment={attachment} label="Download plot JSON" />
    </div>
  );
}
