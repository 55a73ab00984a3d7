// The kit's side of markdown rendering: safe link, image, checkbox and table components, and the options that keep
// the output inert. The libraries themselves (react-markdown, remark-gfm and their micromark/unified graph, ~115 kB
// minified) come in as a prop, imported by loadMarkdown on first use, so they stay out of the kit's eager bundle.
import { type ComponentProps, type FunctionComponent, type ReactElement, useContext, useId } from "react";
import type { Components, Options, UrlTransform } from "react-markdown";
import { MarkdownHeadingBase } from "./headingBase";

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

type Level = 1 | 2 | 3 | 4 | 5 | 6;
type HeadingProps = ComponentProps<"h1"> & { node?: unknown };

/** The highest heading level the markdown uses (ATX `#` or setext underlines), 1 to 6; 6 when it has none. */
function topHeadingLevel(markdown: string): number {
  let top = 6;
  let previous = "";
  for (const line of markdown.split(/\r?\n/)) {
    const atx = /^ {0,3}(#{1,6})(?:[ \t]|$)/.exec(line);
    if (atx) top = Math.min(top, (atx[1] as string).length);
    else if (previous.trim() && /^ {0,3}=+[ \t]*$/.test(line)) top = 1;
    else if (previous.trim() && /^ {0,3}-+[ \t]*$/.test(line)) top = Math.min(top, 2);
    previous = line;
  }
  return top;
}

interface HastNode {
  properties?: Record<string, unknown>;
  children?: HastNode[];
}

/**
 * A rehype plugin: the footnote section's label gets the instance's prefix as the footnotes themselves do
 * (mdast-util-to-hast always names it `footnote-label`), so two markdowns with footnotes never share an id.
 */
function prefixFootnoteLabel(prefix: string) {
  const label = "footnote-label";
  const visit = (node: HastNode) => {
    const props = node.properties;
    if (props) {
      if (props.id === label) props.id = prefix + label;
      const describedBy = props.ariaDescribedBy;
      if (Array.isArray(describedBy))
        props.ariaDescribedBy = describedBy.map((id) => (id === label ? prefix + label : id));
    }
    for (const child of node.children ?? []) visit(child);
  };
  return () => visit;
}

const byShift = new Map<number, Components>();

/** The components with headings moved `shift` levels down (capped at h6); one set per shift. */
function withHeadingShift(shift: number): Components {
  if (shift <= 0) return components;
  const known = byShift.get(shift);
  if (known) return known;
  const shifted: Components = { ...components };
  for (const level of [1, 2, 3, 4, 5, 6] as Level[]) {
    const Tag = `h${Math.min(6, level + shift) as Level}` as const;
    shifted[`h${level}`] = ({ node: _node, ...rest }: HeadingProps) => <Tag {...rest} />;
  }
  byShift.set(shift, shifted);
  return shifted;
}

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
  // Footnote ids are prefixed per instance, so a readme and a description on one page never share an id.
  const prefix = `dk-md${useId().replace(/[^a-zA-Z0-9]/g, "")}-`;
  // The markdown's top heading goes one level below the heading it sits under; a document that starts lower stays.
  const base = useContext(MarkdownHeadingBase);
  const shift = base > 0 ? Math.max(0, base + 1 - topHeadingLevel(children)) : 0;
  const shifted = withHeadingShift(shift);
  // Most descriptions are one plain sentence: as a paragraph they need no parser at all.
  if (isPlainParagraph(children)) return <p>{children.trim()}</p>;
  const render = () =>
    // react-markdown's Markdown is a plain function of its options (no hooks): its tree can be kept and reused.
    (ReactMarkdown as (options: Readonly<Options>) => ReactElement)({
      skipHtml: true,
      // Anything that is not a plain web, mail or relative URL becomes empty: no javascript:, vbscript: or data:
      // links. defaultUrlTransform allows only http(s), mailto, irc(s), xmpp and relative URLs; react-markdown
      // applies it to every URL in the output however the markdown wrote it (links, references, autolinks, images).
      urlTransform: (url, key, node) => defaultUrlTransform(url.trim(), key, node),
      components: shifted,
      remarkPlugins,
      rehypePlugins: [prefixFootnoteLabel(prefix)],
      remarkRehypeOptions: {
        clobberPrefix: prefix,
        footnoteLabelProperties: { className: ["dk-visually-hidden"] },
      },
      children,
    });
  // Without footnotes the output has no per-instance ids, so the same source renders to the same tree: parsed once
  // (a dashboard's cards re-mount their descriptions on every widget change).
  if (children.includes("[^") || children.length > CACHED_SOURCE_MAX) return render();
  const key = `${shift}\u0000${children}`;
  let tree = parsed.get(key);
  if (tree) parsed.delete(key);
  else tree = render();
  parsed.set(key, tree);
  if (parsed.size > CACHE_ENTRIES) parsed.delete(parsed.keys().next().value as string);
  return tree;
}

/**
 * True when markdown would read `text` as one paragraph of plain text: one line, no character that starts markup
 * (emphasis, code, links, HTML, entities, escapes, tables, footnotes), no tab or leading space, no block marker at its
 * start (heading, quote, list, thematic break) and nothing GFM would turn into a link (`www.`, `://`, `@`).
 */
export function isPlainParagraph(text: string): boolean {
  if (text.length === 0 || text.length > 500 || /[\\`*_~#>|[\]<!&@\n\r]/.test(text)) return false;
  if (/^\s|\t|^(?:[-+=]|\d+[.)])(?:\s|$)|^-+\s*$/.test(text)) return false;
  return !/www\.|:\/\//i.test(text) && text.trim().length > 0;
}

/** Rendered trees by source, least recently used first. */
const parsed = new Map<string, ReactElement>();
const CACHE_ENTRIES = 500;
const CACHED_SOURCE_MAX = 4096;
