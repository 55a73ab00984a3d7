import { useAttachment } from "../hooks/useAttachment";
import { DownloadButton } from "../ui/DownloadButton";
import { ErrorState } from "../ui/ErrorState";
import { Skeleton } from "../ui/Skeleton";
import type { AttachmentRendererProps } from "./types";

// Past this, a <pre> becomes slow to lay out and useless to read; the download has the rest.
export const MAX_TEXT_CHARS = 200_000;

/** Text and JSON (pretty-printed) in a scrollable, keyboard-reachable block; very long text is cut with a note. */
export function TextRenderer({ stack, frameId, attachment }: AttachmentRendererProps) {
  const query = useAttachment(stack, frameId, attachment);
  if (query.isPending) return <Skeleton variant="text" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  const text = typeof query.data === "string" ? query.data : JSON.stringify(query.data, null, 2);
  const cut = text.length > MAX_TEXT_CHARS;
  return (
    <div className="dk-text">
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <pre className="dk-text__body" tabIndex={0}>
        {cut ? text.slice(0, MAX_TEXT_CHARS) : text}
      </pre>
      {cut && (
        <p className="dk-text__cut">
          Showing the first {MAX_TEXT_CHARS.toLocaleString("en")} of {text.length.toLocaleString("en")} characters.{" "}
          <DownloadButton stack={stack} frameId={frameId} attachment={attachment} />
        </p>
      )}
    </div>
  );
}
