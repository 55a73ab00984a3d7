import { useEffect, useState } from "react";
import { useAttachmentBytes } from "../hooks/useAttachment";
import { ErrorState } from "../ui/ErrorState";
import { Skeleton } from "../ui/Skeleton";
import type { AttachmentRendererProps } from "./types";

/** An object URL for a Blob, revoked when the Blob changes or the component unmounts. */
export function useObjectUrl(blob: Blob | undefined): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!blob) return;
    const next = URL.createObjectURL(blob);
    setUrl(next);
    return () => {
      URL.revokeObjectURL(next);
      setUrl(undefined);
    };
  }, [blob]);
  return url;
}

function altText(description: string | undefined, index: number): string {
  const line = description?.split("\n").find((l) => l.trim() !== "");
  return line ? line.replace(/[#*_`>[\]]/g, "").trim() : `Image attachment ${index}`;
}

/**
 * PNG, JPEG, GIF, WebP and SVG through an `<img>` with an object URL: SVG is never inlined into the page, so its
 * scripts and handlers cannot run.
 */
export function ImageRenderer({ stack, frameId, attachment }: AttachmentRendererProps) {
  const query = useAttachmentBytes(stack, frameId, attachment);
  const url = useObjectUrl(query.data);
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (!url) return <Skeleton variant="image" label="Loading image…" />;
  return (
    <div className="dk-image">
      <img src={url} alt={altText(attachment.description, attachment.index)} decoding="async" />
    </div>
  );
}
