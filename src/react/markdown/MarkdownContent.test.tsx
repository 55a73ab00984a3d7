// MarkdownContent parses a source once: the same markdown shown again (a dashboard card re-mounting its description
// on every widget change) reuses the tree; footnotes, whose ids are per instance, are parsed per instance.
import { render } from "@testing-library/react";
import { renderToStaticMarkup } from "react-dom/server";
import Markdown, { defaultUrlTransform, type Options } from "react-markdown";
import remarkGfm from "remark-gfm";
import { describe, expect, it, vi } from "vitest";
import { MarkdownHeadingBase } from "./headingBase";
import { isPlainParagraph, MarkdownContent, type MarkdownLibraries } from "./MarkdownContent";

function counting() {
  const calls: string[] = [];
  const ReactMarkdown = vi.fn((options: Readonly<Options>) => {
    calls.push(String(options.children));
    return Markdown(options);
  });
  const libraries: MarkdownLibraries = { ReactMarkdown, defaultUrlTransform, remarkPlugins: [remarkGfm] };
  return { calls, libraries };
}

describe("MarkdownContent", () => {
  it("parses a source once, however often it is shown, and apart per heading level", () => {
    const { calls, libraries } = counting();
    const source = `Sales in **EU** ${crypto.randomUUID()}`;
    const first = render(<MarkdownContent libraries={libraries}>{source}</MarkdownContent>);
    first.unmount();
    const second = render(<MarkdownContent libraries={libraries}>{source}</MarkdownContent>);
    expect(second.container.querySelector("strong")?.textContent).toBe("EU");
    expect(calls).toEqual([source]);
    const heading = `# Title ${crypto.randomUUID()}`;
    const under = render(
      <MarkdownHeadingBase.Provider value={2}>
        <MarkdownContent libraries={libraries}>{heading}</MarkdownContent>
        <MarkdownContent libraries={libraries}>{heading}</MarkdownContent>
      </MarkdownHeadingBase.Provider>,
    );
    render(<MarkdownContent libraries={libraries}>{heading}</MarkdownContent>);
    expect(under.container.querySelectorAll("h3")).toHaveLength(2);
    expect(calls.filter((c) => c === heading)).toHaveLength(2);
  });

  it("parses markdown with footnotes per instance, so their ids never collide", () => {
    const { calls, libraries } = counting();
    const source = `Note[^1] ${crypto.randomUUID()}\n\n[^1]: The note.`;
    const { container } = render(
      <>
        <MarkdownContent libraries={libraries}>{source}</MarkdownContent>
        <MarkdownContent libraries={libraries}>{source}</MarkdownContent>
      </>,
    );
    expect(calls).toHaveLength(2);
    const ids = [...container.querySelectorAll("[id]")].map((el) => el.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(ids.length);
    // Each reference is described by its own markdown's footnote label
    for (const ref of container.querySelectorAll("[aria-describedby]")) {
      expect(ids).toContain(ref.getAttribute("aria-describedby"));
    }
  });

  it("skips the parser only for text markdown renders as exactly that text in one paragraph", () => {
    // Random strings over an alphabet of letters, digits, spaces and every character markdown or GFM may read as
    // markup: whenever the fast path takes one, the parser must agree it is one plain paragraph of that text.
    const alphabet = "ab 12.-+=)(*_`~#>|[]<!&:@/\\\nw\thtps";
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const escapeHtml = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    let plain = 0;
    for (let i = 0; i < 3000; i++) {
      const length = 1 + Math.floor(random() * 12);
      const text = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
      if (!isPlainParagraph(text)) continue;
      plain++;
      const parsed = renderToStaticMarkup(Markdown({ children: text, remarkPlugins: [remarkGfm], skipHtml: true }));
      expect(parsed, JSON.stringify(text)).toBe(`<p>${escapeHtml(text.trim())}</p>`);
    }
    expect(plain).toBeGreaterThan(100);
    for (const text of ["Sales by region", "A plot of y = 2x (2019)", "Card 3: Tea in EU, 2020 (base)", "Ratio 1:2"]) {
      expect(isPlainParagraph(text), text).toBe(true);
    }
    for (const text of [
      "- item",
      "1. first",
      "---",
      "    code",
      "see www.example.com",
      "at http://x.org",
      "https://x.org",
      "a **b**",
      "x_y",
      "# Title",
    ]) {
      expect(isPlainParagraph(text), text).toBe(false);
    }
  });
});
