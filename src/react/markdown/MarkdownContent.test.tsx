// MarkdownContent parses a source once: the same markdown shown again (a dashboard card re-mounting its description
// on every widget change) reuses the tree; footnotes, whose ids are per instance, are parsed per instance.
import { render } from "@testing-library/react";
import Markdown, { defaultUrlTransform, type Options } from "react-markdown";
import remarkGfm from "remark-gfm";
import { describe, expect, it, vi } from "vitest";
import { MarkdownHeadingBase } from "./headingBase";
import { MarkdownContent, type MarkdownLibraries } from "./MarkdownContent";

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
});
