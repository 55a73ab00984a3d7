import { useMarkdownLibraries } from "../markdown/loadMarkdown";
import { MarkdownContent } from "../markdown/MarkdownContent";
import { cx } from "./format";

export interface SafeMarkdownProps {
  children: string;
  className?: string;
}

/**
 * Markdown from stacks (descriptions, readmes, markdown attachments), with GitHub-flavoured tables, strikethrough,
 * task lists and autolinks, rendered inert: raw HTML is dropped (never parsed into elements), so no script or event
 * handler survives, and unsafe URLs are emptied.
 *
 * The parser is imported on the first markdown shown, not with the kit. Until it arrives (and always in server
 * rendering, so hydration matches) the source shows as plain text with its line breaks.
 */
export function SafeMarkdown({ children, className }: SafeMarkdownProps) {
  const libraries = useMarkdownLibraries();
  return (
    <div className={cx("dk-markdown", className)}>
      {libraries ? (
        <MarkdownContent libraries={libraries}>{children}</MarkdownContent>
      ) : (
        <div className="dk-markdown__source">{children}</div>
      )}
    </div>
  );
}
