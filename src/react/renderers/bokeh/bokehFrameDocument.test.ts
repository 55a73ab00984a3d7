import { describe, expect, it } from "vitest";
import { bokehFrameDocument, resolveScriptUrl } from "./bokehFrameDocument";

const BASE = "https://host.example/app/report";

function build(item: unknown, scripts = ["https://cdn.example/bokeh/bokeh-3.4.1.min.js"]) {
  return bokehFrameDocument({ item, scripts, nonce: "bm9uY2U=", colorScheme: "dark" });
}

describe("bokehFrameDocument", () => {
  it("resolves script URLs against the page and refuses other schemes", () => {
    expect(resolveScriptUrl("/static/bokeh.min.js", BASE)).toBe("https://host.example/static/bokeh.min.js");
    expect(resolveScriptUrl("data:text/javascript,1", BASE)).toBe("data:text/javascript,1");
    expect(() => resolveScriptUrl("javascript:alert(1)", BASE)).toThrow(/not an http\(s\) or data: URL/);
    // A blob: URL is the page's: the frame's opaque origin could not load it.
    expect(() => resolveScriptUrl("blob:https://host.example/0d5c", BASE)).toThrow(/blob:/);
    expect(() => resolveScriptUrl("file:///etc/bokeh.js", BASE)).toThrow(/file:/);
  });

  it("allows only the BokehJS URLs and the nonced bootstrap, and no network", () => {
    const html = build({ root_id: "p1" }, ["https://cdn.example/a;b,c.js?v=1", "data:text/javascript,1"]);
    const policy = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? "";
    expect(policy.split("; ")).toEqual([
      "default-src 'none'",
      "script-src 'nonce-bm9uY2U=' 'unsafe-eval' https://cdn.example/a%3Bb%2Cc.js data:",
      "style-src 'unsafe-inline'",
      "img-src data: blob:",
      "font-src data:",
      "base-uri 'none'",
      "form-action 'none'",
    ]);
    // The policy comes before any script, and every script carries the nonce.
    expect(html.indexOf("Content-Security-Policy")).toBeLessThan(html.indexOf("<script"));
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    expect(scripts.filter((tag) => !tag.includes('type="application/json"'))).toEqual([
      '<script nonce="bm9uY2U=" src="https://cdn.example/a;b,c.js?v=1">',
      '<script nonce="bm9uY2U=" src="data:text/javascript,1">',
      '<script nonce="bm9uY2U=">',
    ]);
    expect(html).toContain('<meta name="color-scheme" content="dark">');
  });

  it("embeds the item as inert JSON that no string in it can break out of", () => {
    const item = { text: "</script><script>parent.pwned = 1</script><!-- <script>", quote: '"&' };
    const html = build(item);
    expect(html.match(/<\/script/gi)).toHaveLength(3);
    expect(html).not.toContain("pwned = 1</script>");
    const json = /<script type="application\/json" id="dk-item">([^<]*)<\/script>/.exec(html)?.[1];
    expect(JSON.parse(json ?? "")).toEqual(item);
  });

  it("escapes what goes into attributes", () => {
    const html = bokehFrameDocument({
      item: null,
      scripts: ['https://cdn.example/x.js?a="><script>1'],
      nonce: '"><x',
      colorScheme: "light",
    });
    expect(html).not.toContain('"><script>1');
    expect(html).not.toContain('"><x');
  });
});
