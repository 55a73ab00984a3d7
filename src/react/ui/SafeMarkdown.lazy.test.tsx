import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { createMemoryStore } from "../../storage/memoryStore";
import { DstackProvider, SafeMarkdown, StackView } from "../index";
import { pushSingle } from "../testing/fixtures";
import { renderWithStore } from "../testing/renderWithStore";

// Records when the markdown libraries are first evaluated: a static import anywhere under the kit's entry would
// evaluate them as soon as this file imports it.
const evaluated = vi.hoisted(() => ({ reactMarkdown: false, remarkGfm: false }));
vi.mock("react-markdown", async (importOriginal) => {
  evaluated.reactMarkdown = true;
  return await importOriginal();
});
vi.mock("remark-gfm", async (importOriginal) => {
  evaluated.remarkGfm = true;
  return await importOriginal();
});

describe("markdown is loaded lazily", () => {
  it("is not imported by the kit's entry, nor by a StackView without markdown; it loads when markdown shows", async () => {
    expect(DstackProvider).toBeTypeOf("function");
    expect(evaluated).toEqual({ reactMarkdown: false, remarkGfm: false });

    const store = createMemoryStore();
    await pushSingle(store, "numbers", { a: 1 });
    renderWithStore(<StackView stack="numbers" />, { store });
    await waitFor(() => expect(document.querySelector(".dk-text__body")?.textContent).toBe('{\n  "a": 1\n}'));
    expect(evaluated).toEqual({ reactMarkdown: false, remarkGfm: false });

    // Until the code arrives, the source shows as plain text, whitespace kept; then it is parsed.
    const source = "# Notes\n\n| a | b |\n|---|---|\n| 1 | 2 |";
    const { container } = renderWithStore(<SafeMarkdown className="mine">{source}</SafeMarkdown>);
    const plain = container.querySelector(".dk-markdown.mine .dk-markdown__source");
    expect(plain?.textContent).toBe(source);
    expect(container.querySelector("h1, table")).toBeNull();
    expect((await screen.findByRole("heading", { level: 1 })).textContent).toBe("Notes");
    expect(container.querySelector(".dk-markdown.mine table")).not.toBeNull();
    expect(container.querySelector(".dk-markdown__source")).toBeNull();
    expect(evaluated).toEqual({ reactMarkdown: true, remarkGfm: true });

    // Once loaded, new markdown renders parsed from its first render: no flash of source text.
    const again = renderWithStore(<SafeMarkdown>{"## Again"}</SafeMarkdown>);
    expect(again.container.querySelector("h2")?.textContent).toBe("Again");
  });
});
