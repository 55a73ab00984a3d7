import { useEffect, useRef, useState } from "react";
import { ErrorState } from "../../ui/ErrorState";
import type { BokehLike } from "../externalLibraries";

export interface InPageBokehProps {
  bokeh: BokehLike;
  item: unknown;
}

/**
 * A bokeh plot embedded in this page with the host's BokehJS. Its CustomJS runs with the page's privileges, so the
 * renderer uses this only when the host set `trustContent`.
 */
export function InPageBokeh({ bokeh, item }: InPageBokehProps) {
  const root = useRef<HTMLDivElement>(null);
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(() => {
    const element = root.current;
    if (!element) return;
    let live = true;
    element.replaceChildren();
    setFailure(null);
    Promise.resolve()
      .then(() => bokeh.embed.embed_item(item, element))
      .catch((error: unknown) => live && setFailure(error));
    return () => {
      live = false;
      element.replaceChildren();
    };
  }, [bokeh, item]);

  if (failure) return <ErrorState title="BokehJS could not draw this plot" error={failure} />;
  return <div ref={root} className="dk-bokeh" />;
}
