import type { ComponentProps } from "react";
import ReactMarkdown, { defaultUrlTransform } from "react-markdown";
import { cx } from "./format";

// Anything that is not a plain web, mail or relative URL becomes empty: no javascript:, vbscript: or data: links.
// defaultUrlTransform already allows only http(s), mailto, irc(s), xmpp and relative URLs; this names the policy.
function safeUrl(url: string): string {
  return defaultUrlTransform(url.trim());
}

function SafeLink({ node: _node, href, children, ...rest }: ComponentProps<"a"> & { node?: unknown }) {
  if (!href) return <span>{children}</span>;
  return (
    <a {...rest} href={href} rel="noopener noreferrer nofollow ugc" target="_blank">
      {children}
    </a>
  );
}

// An image whose URL was emptied (javascript:, data:...) shows its alt text instead of an <img src="">.
function SafeImage({ node: _node, src, alt, ...rest }: ComponentProps<"img"> & { node?: unknown }) {
  if (!src) return <span className="dk-markdown__removed">{alt ? `[image: ${alt}]` : "[image]"}</span>;
  return <img {...rest} src={src} alt={alt ?? ""} />;
}

export interface SafeMarkdownProps {
  children: string;
  className?: string;
}

/**
 * Markdown from stacks (descriptions, readmes, markdown attachments), rendered inert: raw HTML is dropped (never
 * parsed into elements), so no script or event handler survives, and unsafe URLs are emptied.
 */
export function SafeMarkdown({ children, className }: SafeMarkdownProps) {
  return (
    <div className={cx("dk-markdown", className)}>
      <ReactMarkdown skipHtml urlTransform={safeUrl} components={{ a: SafeLink, img: SafeImage }}>
        {children}
      </ReactMarkdown>
    </div>
  );
}
