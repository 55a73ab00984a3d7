import { useAttachment } from "../hooks/useAttachment";
import { ErrorState } from "../ui/ErrorState";
import { SafeMarkdown } from "../ui/SafeMarkdown";
import { Skeleton } from "../ui/Skeleton";
import type { AttachmentRendererProps } from "./types";

/** A markdown attachment, rendered inert (no raw HTML, no unsafe URLs). */
export function MarkdownRenderer({ stack, frameId, attachment }: AttachmentRendererProps) {
  const query = useAttachment(stack, frameId, attachment);
  if (query.isPending) return <Skeleton variant="text" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  return <SafeMarkdown className="dk-attachment__markdown">{String(query.data)}</SafeMarkdown>;
}
