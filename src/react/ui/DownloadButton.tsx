import { useState } from "react";
import type { AttachmentInfo } from "../../model/types";
import { fetchBytes, useAttachmentLocation } from "../hooks/useAttachment";
import { downloadName, formatBytes } from "./format";
import { saveBlob } from "./saveBlob";

export interface DownloadButtonProps {
  /** The stack: `/user/name` (or a name under the store's user). */
  stack: string;
  frameId: string;
  attachment: AttachmentInfo;
  label?: string;
}

/** Downloads an attachment's stored bytes exactly (a table's full CSV, an unknown format...), showing the size. */
export function DownloadButton({ stack, frameId, attachment, label = "Download" }: DownloadButtonProps) {
  const at = useAttachmentLocation(stack, frameId, attachment);
  const [state, setState] = useState<"idle" | "busy" | "failed">("idle");
  const filename = downloadName(stack, attachment.index, attachment.contentType, attachment.settings);
  const download = async () => {
    setState("busy");
    try {
      saveBlob(await fetchBytes(at, attachment), filename);
      setState("idle");
    } catch {
      setState("failed");
    }
  };
  return (
    <span className="dk-download">
      <button type="button" className="dk-button" onClick={download} disabled={state === "busy"}>
        {label}
        <span className="dk-download__meta">
          {filename} · {formatBytes(attachment.length)}
        </span>
      </button>
      {state === "failed" && (
        <span className="dk-download__failed" role="alert">
          The download failed; try again.
        </span>
      )}
    </span>
  );
}
