import type { AttachmentInfo } from "../../model/types";
import { useDstackContext } from "../context";
import { DownloadRenderer } from "../renderers/DownloadRenderer";
import { pickRenderer } from "../renderers/defaultRenderers";
import { RendererBoundary } from "../renderers/RendererBoundary";
import { useColorScheme } from "../state/useColorScheme";
import { SafeMarkdown } from "../ui/SafeMarkdown";

export interface AttachmentViewProps {
  /** The stack: `/user/name` (or a name under the store's user). */
  stack: string;
  frameId: string;
  attachment: AttachmentInfo;
}

/** One attachment: its description (markdown) and the renderer the registry picks, inside its own error boundary. */
export function AttachmentView({ stack, frameId, attachment }: AttachmentViewProps) {
  const { renderers } = useDstackContext();
  const colorScheme = useColorScheme();
  const renderer = pickRenderer(renderers, attachment);
  const Renderer = renderer?.Component ?? DownloadRenderer;
  const name = renderer?.name ?? "download";
  return (
    <div className="dk-attachment" data-renderer={name} data-index={attachment.index}>
      {attachment.description && (
        <SafeMarkdown className="dk-attachment__description">{attachment.description}</SafeMarkdown>
      )}
      <div className="dk-attachment__body">
        <RendererBoundary name={name} resetKey={`${frameId}:${attachment.index}:${name}`}>
          <Renderer stack={stack} frameId={frameId} attachment={attachment} colorScheme={colorScheme} />
        </RendererBoundary>
      </div>
    </div>
  );
}
