import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { SafeMarkdown } from "./SafeMarkdown";

// Notes as data scientists write them in Jupyter: GitHub-flavoured markdown.
const NOTES = [
  "# Results",
  "| model | RMSE | R² |",
  "|:------|-----:|:--:|",
  "| linear | 4.21 | 0.71 |",
  "| ~~forest~~ | 3.02 | 0.86 |",
  "",
  "The ~~old~~ baseline is gone.",
  "",
  "- [x] clean the data",
  "- [ ] tune the forest",
  "",
  "Sources: https://vega.github.io/vega-datasets/ and www.example.com, or write to data@example.com.",
].join("\n");

// The markdown code loads on first use: each test waits for an element of the parsed output with findBy*.
const renderMarkdown = (source: string) => render(<SafeMarkdown>{source}</SafeMarkdown>);

// Every URL-bearing attribute in the output is web, mail, relative or a fragment: never a script or data URL.
function expectInert(container: HTMLElement) {
  expect(container.querySelector("script, iframe, style, object, embed, form, textarea, select")).toBeNull();
  for (const element of container.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      expect(attribute.name.startsWith("on"), `${element.tagName} ${attribute.name}`).toBe(false);
      if (["href", "src", "action", "formaction", "xlink:href", "poster", "cite"].includes(attribute.name)) {
        expect(attribute.value.trim().toLowerCase(), `${element.tagName} ${attribute.name}`).not.toMatch(
          /^(javascript|data|vbscript|file):/,
        );
      }
    }
  }
}

describe("SafeMarkdown: GitHub-flavoured markdown", () => {
  it("renders a pipe table as a <table> with header cells and the columns' alignment", async () => {
    renderMarkdown(NOTES);
    const table = await screen.findByRole("table");
    const headers = within(table).getAllByRole("columnheader");
    expect(headers.map((th) => th.textContent)).toEqual(["model", "RMSE", "R²"]);
    expect(headers.every((th) => th.tagName === "TH")).toBe(true);
    expect(within(table).getAllByRole("row")).toHaveLength(3);
    expect(within(table).getByRole("cell", { name: "4.21" }).style.textAlign).toBe("right");
    expect(table.textContent).not.toContain("|");
  });

  it("renders ~~strikethrough~~ as <del>", async () => {
    const { container } = renderMarkdown(NOTES);
    await screen.findByRole("table");
    expect([...container.querySelectorAll("del")].map((del) => del.textContent)).toEqual(["forest", "old"]);
    expect(container.textContent).not.toContain("~~");
  });

  it("renders task list items as disabled, labelled checkboxes that cannot be toggled", async () => {
    renderMarkdown(NOTES);
    const boxes = (await screen.findAllByRole("checkbox")) as HTMLInputElement[];
    expect(boxes).toHaveLength(2);
    expect(boxes.map((box) => box.checked)).toEqual([true, false]);
    for (const box of boxes) {
      expect(box.disabled).toBe(true);
      expect(box.getAttribute("aria-label")).toBe("Task");
      expect(box.closest("li")?.textContent).toMatch(/clean the data|tune the forest/);
    }
    boxes[1]?.click();
    expect(boxes[1]?.checked).toBe(false);
    expect(screen.queryByText("[x]", { exact: false })).toBeNull();
  });

  it("turns bare URLs, www. and email addresses into safe links", async () => {
    renderMarkdown(NOTES);
    const vega = await screen.findByRole("link", { name: "https://vega.github.io/vega-datasets/" });
    expect(vega.getAttribute("href")).toBe("https://vega.github.io/vega-datasets/");
    expect(vega.getAttribute("target")).toBe("_blank");
    expect(vega.getAttribute("rel")?.split(" ")).toEqual(
      expect.arrayContaining(["noopener", "noreferrer", "nofollow"]),
    );
    expect(screen.getByRole("link", { name: "www.example.com" }).getAttribute("href")).toBe("http://www.example.com");
    expect(screen.getByRole("link", { name: "data@example.com" }).getAttribute("href")).toBe("mailto:data@example.com");
  });

  it("keeps javascript:, data: and vbscript: URLs neutralised in autolinks, references and footnotes", async () => {
    const hostile = [
      "# Hostile",
      "<javascript:alert(1)> and <JaVaScRiPt:alert(2)> and <data:text/html,<script>alert(3)</script>>",
      "[by reference][js] and [collapsed][] and [shortcut] and ![image ref][img]",
      "www.example.com/javascript:alert(4) and https://example.com/?q=javascript:alert(5)",
      "| link | image |",
      "|---|---|",
      "| [cell](javascript:alert(6)) | ![cell image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoNyk+) |",
      "- [ ] [task](vbscript:msgbox(8))",
      "A note[^1].",
      "",
      "[^1]: [footnote link](javascript:alert(9))",
      "",
      "[js]: javascript:alert(10)",
      "[collapsed]: jav&#x61;script:alert(11)",
      "[shortcut]: <javascript:alert(12)>",
      "[img]: data:image/png;base64,iVBORw0KGgo=",
    ].join("\n");
    const { container } = renderMarkdown(hostile);
    await screen.findByRole("heading", { name: "Hostile" });
    expectInert(container);
    // Emptied links keep their text, as plain text; emptied images show their alt text.
    for (const text of ["by reference", "collapsed", "shortcut", "cell", "task", "footnote link"]) {
      expect(screen.getByText(text).closest("a"), text).toBeNull();
    }
    const removed = [...container.querySelectorAll(".dk-markdown__removed")].map((e) => e.textContent);
    expect(removed).toEqual(["[image: image ref]", "[image: cell image]"]);
    expect(container.querySelector("img")).toBeNull();
    // http(s) autolinks stay links even with "javascript:" inside their path or query.
    expect(screen.getByRole("link", { name: "www.example.com/javascript:alert(4)" }).getAttribute("href")).toBe(
      "http://www.example.com/javascript:alert(4)",
    );
  });

  it("still drops raw HTML inside tables, task lists and footnotes", async () => {
    const html = [
      "| a | b |",
      "|---|---|",
      '| <img src="x" onerror="window.__pwned = 1"> | <script>window.__pwned = 2</script> |',
      '- [x] <a href="javascript:alert(1)">raw link</a> done',
      "<details open><summary>raw</summary><iframe src='https://example.com'></iframe></details>",
      "Note[^n]",
      "",
      '[^n]: <b onclick="alert(1)">bold</b> <style>body { display: none }</style>',
    ].join("\n");
    const { container } = renderMarkdown(html);
    await screen.findByRole("table");
    expectInert(container);
    expect(container.querySelector("img, a[href^='javascript'], details, b")).toBeNull();
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it("keeps footnote links in the page (no new tab) and their ids prefixed per instance", async () => {
    const { container } = render(
      <>
        <SafeMarkdown>{"First[^1]\n\n[^1]: one"}</SafeMarkdown>
        <SafeMarkdown>{"Second[^1]\n\n[^1]: two"}</SafeMarkdown>
      </>,
    );
    await screen.findAllByRole("link", { name: /back to reference/i });
    const refs = [...container.querySelectorAll<HTMLAnchorElement>("a[data-footnote-ref]")];
    expect(refs).toHaveLength(2);
    for (const ref of refs) {
      expect(ref.getAttribute("target")).toBeNull();
      const target = ref.getAttribute("href")?.slice(1) ?? "";
      expect(container.querySelectorAll(`[id="${target}"]`)).toHaveLength(1);
    }
    expect(refs[0]?.getAttribute("href")).not.toBe(refs[1]?.getAttribute("href"));
  });
});
