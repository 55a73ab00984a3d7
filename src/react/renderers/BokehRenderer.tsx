import { useEffect, useRef, useState } from "react";
import { useDstackContext } from "../context";
import { useAttachment } from "../hooks/useAttachment";
import { DownloadButton } from "../ui/DownloadButton";
import { ErrorState } from "../ui/ErrorState";
import { Skeleton } from "../ui/Skeleton";
import { findBokeh } from "./externalLibraries";
import type { AttachmentRendererProps } from "./types";

/**
 * A bokeh `json_item`, embedded with the host's BokehJS (`<DstackProvider bokeh>` or a global `Bokeh`); without
 * it, a message saying what to add, and the JSON to download.
 */
export function BokehRenderer({ stack, frameId, attachment }: AttachmentRendererProps) {
  const { bokeh: fromProvider } = useDstackContext();
  const query = useAttachment(stack, frameId, attachment);
  const root = useRef<HTMLDivElement>(null);
  const [failure, setFailure] = useState<unknown>(null);
  // Looked up after mount: a global Bokeh only exists in the browser, and SSR must render the same first frame.
  const [bokeh, setBokeh] = useState<ReturnType<typeof findBokeh>>(undefined);
  const [looked, setLooked] = useState(false);
  useEffect(() => {
    setBokeh(findBokeh(fromProvider));
    setLooked(true);
  }, [fromProvider]);

  const item = query.data;
  useEffect(() => {
    const element = root.current;
    if (!bokeh || !element || item === undefined) return;
    let live = true;
    element.replaceChildren();
    Promise.resolve()
      .then(() => bokeh.embed.embed_item(item, element))
      .catch((error: unknown) => live && setFailure(error));
    return () => {
      live = false;
      element.replaceChildren();
    };
  }, [bokeh, item]);

  if (query.isPending || !looked) return <Skeleton variant="plot" label="Loading Bokeh plot…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (failure) return <ErrorState title="BokehJS could not draw this plot" error={failure} />;
  if (!bokeh) {
    return (
      <div className="dk-notice" role="note">
        <p>
          This is a Bokeh plot. To draw it, load BokehJS on the page (a global <code>Bokeh</code>) or pass it to{" "}
          <code>{"<DstackProvider bokeh={Bokeh}>"}</code>.
        </p>
        <DownloadButton stack={stack} frameId={frameId} attachment={attachment} label="Download plot JSON" />
      </div>
    );
  }
  return <div ref={root} className="dk-bokeh" />;
}
