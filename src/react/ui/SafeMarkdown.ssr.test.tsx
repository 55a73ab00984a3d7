// @vitest-environment node
// Markdown on the server renders as its plain source (whitespace kept), loaded or not, so the browser's first
// render (hydration) matches it; the parsed markdown follows on the client.
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { loadMarkdown } from "../markdown/loadMarkdown";
import { SafeMarkdown } from "./SafeMarkdown";

const SOURCE = "# Title\n\n| a | b |\n|---|---|\n| <script>x</script> | 2 |";

describe("SafeMarkdown on the server", () => {
  it("renders the escaped source as plain text, before and after the markdown code is loaded", async () => {
    expect(typeof document).toBe("undefined");
    const before = renderToString(<SafeMarkdown className="dk-stack__readme">{SOURCE}</SafeMarkdown>);
    expect(before).toContain('class="dk-markdown dk-stack__readme"');
    expect(before).toContain("| a | b |\n|---|---|");
    expect(before).toContain("&lt;script&gt;");
    expect(before).not.toMatch(/<(h1|table|script)/);
    await loadMarkdown();
    expect(renderToString(<SafeMarkdown className="dk-stack__readme">{SOURCE}</SafeMarkdown>)).toBe(before);
  });
});
