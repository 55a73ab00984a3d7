import { DownloadButton } from "../ui/DownloadButton";
import type { AttachmentRendererProps } from "./types";

/** The fallback for formats without a preview: what it is, how big, and a download. Never a crash. */
export function DownloadRenderer({ stack, frameId, attachment }: AttachmentRendererProps) {
  return (
    <div className="dk-notice">
      <p>
        No preview for <code>{attachment.contentType || "unknown type"}</code>
        {attachment.application ? (
          <>
            {" "}
            (<code>{attachment.application}</code>)
          </>
        ) : null}
        .
      </p>
      <DownloadButton stack={stack} frameId={frameId} attachment={attachment} />
    </div>
  );
}
