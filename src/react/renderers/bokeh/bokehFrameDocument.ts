import { BOKEH_HEIGHT_MESSAGE } from "./frameHeight";

export interface BokehFrameDocumentOptions {
  /** The bokeh `json_item`. */
  item: unknown;
  /** BokehJS scripts as absolute URLs (see `resolveScriptUrl`), in load order. */
  scripts: readonly string[];
  /** Put on every script: the frame's policy allows no other inline script. */
  nonce: string;
  colorScheme: "light" | "dark";
}

// No blob: URLs: one belongs to the page's origin, and the frame's opaque origin cannot load it.
const SCRIPT_SCHEMES: ReadonlySet<string> = new Set(["https:", "http:", "data:"]);

/**
 * `url` made absolute against `base` (a `srcdoc` frame resolves against its parent anyway); throws unless it is
 * http(s) or data:.
 */
export function resolveScriptUrl(url: string, base: string): string {
  let resolved: URL | undefined;
  try {
    resolved = new URL(url, base);
  } catch {
    resolved = undefined;
  }
  if (!resolved || !SCRIPT_SCHEMES.has(resolved.protocol)) {
    throw new Error(`dstack-kit: the bokeh script ${JSON.stringify(url)} is not an http(s) or data: URL`);
  }
  return resolved.href;
}

/** The CSP source that allows exactly `url`: `data:` for data, else origin and path (CSP ignores the query). */
function scriptSource(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol === "data:") return parsed.protocol;
  // `;` and `,` end a CSP directive or policy; CSP matches paths after percent-decoding, so encoded ones still match.
  return `${parsed.origin}${parsed.pathname.replaceAll(";", "%3B").replaceAll(",", "%2C")}`;
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The frame's own policy: BokehJS from the given URLs, the bootstrap by nonce, `eval` for CustomJS (confined to the
 * frame), inline styles, images and fonts from data: and blob: only, and no other network.
 */
function contentSecurityPolicy(scripts: readonly string[], nonce: string): string {
  const sources = [...new Set(scripts.map(scriptSource))].join(" ");
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'unsafe-eval' ${sources}`,
    "style-src 'unsafe-inline'",
    "img-src data: blob:",
    "font-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

// Runs in the frame after BokehJS: embeds the item, shows failures as text inside the frame (never in the page),
// and posts the content height to the parent whenever it changes. No `</script` may appear in it.
const BOOTSTRAP = `(function () {
  // Every script has run by now: forget the nonce, so the plot's own scripts cannot reuse it to load more.
  for (var i = 0; i < document.scripts.length; i++) document.scripts[i].nonce = "";
  var root = document.getElementById("dk-bokeh");
  var last = -1;
  function report() {
    // Plus a horizontal scrollbar's height, when a wide plot has one.
    var height = document.body.scrollHeight + (window.innerHeight - document.documentElement.clientHeight);
    if (height === last) return;
    last = height;
    parent.postMessage({ type: ${JSON.stringify(BOKEH_HEIGHT_MESSAGE)}, height: height }, "*");
  }
  function fail(text) {
    var message = document.createElement("p");
    message.className = "dk-fail";
    message.textContent = text;
    root.replaceChildren(message);
    report();
  }
  new ResizeObserver(report).observe(document.body);
  try {
    var item = JSON.parse(document.getElementById("dk-item").textContent);
    var bokeh = window.Bokeh;
    if (!bokeh || !bokeh.embed || typeof bokeh.embed.embed_item !== "function") {
      fail("BokehJS did not load from the scripts given to <DstackProvider bokeh>.");
    } else {
      Promise.resolve(bokeh.embed.embed_item(item, "dk-bokeh")).then(report, function (error) {
        fail("BokehJS could not draw this plot: " + error);
      });
    }
  } catch (error) {
    fail("BokehJS could not draw this plot: " + error);
  }
  report();
})();`;

/**
 * The `srcdoc` of the sandboxed frame that draws one bokeh plot. The item travels as inert JSON: every `<` is
 * escaped, so no string in it can close the script element it sits in.
 */
export function bokehFrameDocument({ item, scripts, nonce, colorScheme }: BokehFrameDocumentOptions): string {
  const json = (JSON.stringify(item) ?? "null").replaceAll("<", "\\u003c");
  const n = escapeAttribute(nonce);
  const tags = scripts.map((src) => `<script nonce="${n}" src="${escapeAttribute(src)}"></script>`).join("\n");
  return `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(scripts, nonce))}">
<meta name="color-scheme" content="${colorScheme}">
<title>Bokeh plot</title>
<style>
html { overflow-x: auto; overflow-y: hidden; background: transparent; }
body { margin: 0; font: 14px system-ui, sans-serif; }
.dk-fail { margin: 0; padding: 12px; }
</style>
${tags}
</head>
<body>
<div id="dk-bokeh"></div>
<script type="application/json" id="dk-item">${json}</script>
<script nonce="${n}">${BOOTSTRAP}</script>
</body>
</html>
`;
}
