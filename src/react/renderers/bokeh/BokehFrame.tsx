import { useEffect, useMemo, useRef, useState } from "react";
import { bokehFrameDocument, resolveScriptUrl } from "./bokehFrameDocument";
import { readFrameHeight } from "./frameHeight";

export interface BokehFrameProps {
  item: unknown;
  /** BokehJS script URLs, relative ones against the page. */
  scripts: readonly string[];
  /** The page's CSP nonce, when it has one; else the frame makes its own. */
  nonce: string | undefined;
  colorScheme: "light" | "dark";
  title: string;
}

function randomNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/**
 * One bokeh plot in a frame sandboxed without `allow-same-origin`: its origin is opaque, so the plot's scripts
 * (CustomJS, HTML event handlers) reach neither this page's DOM nor its cookies or storage. The frame grows to the
 * height its content reports. Client only: render it after mount.
 */
export function BokehFrame({ item, scripts, nonce, colorScheme, title }: BokehFrameProps) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState<number>();
  const [ownNonce] = useState(randomNonce);
  const srcDoc = useMemo(
    () =>
      bokehFrameDocument({
        item,
        scripts: scripts.map((url) => resolveScriptUrl(url, document.baseURI)),
        nonce: nonce ?? ownNonce,
        colorScheme,
      }),
    [item, scripts, nonce, ownNonce, colorScheme],
  );

  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      // Only this frame's own reports: any window can post here. An opaque origin serializes as "null".
      const own = frame.current?.contentWindow;
      if (!own || event.source !== own || event.origin !== "null") return;
      const reported = readFrameHeight(event.data);
      if (reported !== undefined) setHeight(reported);
    };
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, []);

  return (
    <iframe
      ref={frame}
      className="dk-bokeh__frame"
      title={title}
      sandbox="allow-scripts"
      referrerPolicy="no-referrer"
      srcDoc={srcDoc}
      style={{ colorScheme, ...(height === undefined ? {} : { height }) }}
    />
  );
}
