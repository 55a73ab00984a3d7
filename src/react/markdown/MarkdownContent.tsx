// The kit's side of markdown rendering: safe link, image, checkbox and table components, and the options that keep
// the output inert. The libraries themselves (react-markdown, remark-gfm and their micromark/unified graph, ~115 kB
// minified) come in as a prop, imported by loadMarkdown on first use, so they stay out of the kit's eager bundle.
import { type ComponentProps, type FunctionComponent, useId } from "react";
import type { Components, Options, UrlTransform } from "react-markdown";

/** What markdown rendering needs from react-markdown and remark-gfm, once they are loaded. */
export interface MarkdownLibraries {
  ReactMarkdown: FunctionComponent<Readonly<Options>>;
  defaultUrlTransform: UrlTransform;
  /** remark-gfm, in a list made once, so renders pass the same plugins. */
  remarkPlugins: NonNullable<Options["remarkPlugins"]>;
}

type Props<Tag extends "a" | "img" | "input" | "table"> = ComponentProps<Tag> & { node?: unknown };

function SafeLink({ node: _node, href, children, ...rest }: Props<"a">) {
  if (!href) return <span>{children}</span>;
  // Footnote references and back-links jump within the page; everything else opens apart from it.
  if (href.startsWith("#")) {
    return (
      <a {...rest} href={href}>
        {children}
      </a>
    );
  }
  return (
    <a {...rest} href={href} rel="noopener noreferrer nofollow ugc" target="_blank">
      {children}
    </a>
  );
}

// An image whose URL was emptied (javascript:, data:...) shows its alt text instead of an <img src="">.
function SafeImage({ node: _node, src, alt, ...rest }: Props<"img">) {
  if (!src) return <span className="dk-markdown__removed">{alt ? `[image: ${alt}]` : "[image]"}</span>;
  return <img {...rest} src={src} alt={alt ?? ""} />;
}

// Without raw HTML the only inputs are GFM task-list boxes: shown, never editable, and named for screen readers.
function TaskCheckbox({ checked }: Props<"input">) {
  return (
    <input
      type="checkbox"
      className="dk-markdown__task"
      checked={Boolean(checked)}
      disabled
      readOnly
      tabIndex={-1}
      aria-label="Task"
    />
  );
}

// A wide table scrolls sideways in its own box instead of widening the page (a wrapper rather than a display:block
// table, which loses its table semantics in some screen readers).
function ScrollingTable({ node: _node, ...rest }: Props<"table">) {
  return (
    <div className="dk-markdown__table">
      <table {...rest} />
    </div>
  );
}

const components: Components = { a: SafeLink, img: SafeImage, input: TaskCheckbox, table: ScrollingTable };

export interface MarkdownContentProps {
  children: string;
  libraries: MarkdownLibraries;
}

/**
 * Markdown (CommonMark + GitHub-flavoured tables, strikethrough, task lists, autolinks and footnotes), rendered
 * inert: raw HTML is dropped (never parsed into elements), so no script or event handler survives, and unsafe URLs
 * are emptied.
 */
export function MarkdownContent({ children, libraries }: MarkdownContentProps) {
  const { ReactMarkdown, defaultUrlTransform, remarkPlugins } = libraries;
  // Anything that is not a plain web, mail or relative URL becomes empty: no javascript:, vbscript: or data: links.
  // defaultUrlTransform already allows only http(s), mailto, irc(s), xmpp and relative URLs; this names the
  // policy. react-markdown applies it to every URL in the output however the markdown wrote it: inline links,
  // link references, <autolinks>, GFM autolink literals, images.
  const urlTransform: UrlTransform = (url, key, node) => defaultUrlTransform(url.trim(), key, node);
  // Footnote ids are prefixed per instance, so a readme and a description on one page never share an id.
  const prefix = `dk-md${useId().replace(/[^a-zA-Z0-9]/g, "")}-`;
  return (
    <ReactMarkdown
      skipHtml
      urlTransform={urlTransform}
      components={components}
      remarkPlugins={remarkPlugins}
      remarkRehypeOptions={{
        clobberPrefix: prefix,
        footnoteLabelProperties: { className: ["dk-visually-hidden"] },
      }}
    >
      {children}
    </ReactMarkdown>
  );
}
