// A BokehJS stand-in for tests and stories (no network at test time, and real BokehJS is a heavy dependency). It does
// what matters for isolation: draws a box the size of the item's root and, as BokehJS does with CustomJS, runs each
// `document_ready` callback's code with `new Function`.
import type { BokehLike } from "../renderers/externalLibraries";

/** A bokeh 3 style `json_item` of one root `height` px tall, with `documentReady` as CustomJS callbacks. */
export function bokehItem(rootId: string, options: { height?: number; documentReady?: readonly string[] } = {}) {
  const callbacks = (options.documentReady ?? []).map((code, i) => ({
    type: "object",
    name: "CustomJS",
    id: `${rootId}-cb${i}`,
    attributes: { args: { type: "map" }, code },
  }));
  return {
    target_id: null,
    root_id: rootId,
    doc: {
      version: "3.4.1",
      title: "Bokeh Application",
      roots: [
        { type: "object", name: "Figure", id: rootId, attributes: { width: 400, height: options.height ?? 300 } },
      ],
      callbacks: { type: "map", entries: [["document_ready", callbacks]] },
    },
    version: "3.4.1",
  };
}

// Plain ES5 with no imports: it is also the source of the script the sandboxed frame loads.
const EMBED_ITEM = `function (item, target) {
  var element = typeof target === "string" ? document.getElementById(target) : target;
  // Bokeh 3 items list their roots; bokeh 2 ones ({references, root_ids}) get the default size.
  var roots = item.doc.roots;
  var first = roots && roots[0];
  var box = document.createElement("div");
  box.className = "bk-root";
  box.style.height = ((first && first.attributes && first.attributes.height) || 300) + "px";
  box.textContent = "BokehJS stand-in: root " + item.root_id;
  element.appendChild(box);
  var entries = (item.doc.callbacks && item.doc.callbacks.entries) || [];
  for (var i = 0; i < entries.length; i++) {
    if (entries[i][0] !== "document_ready") continue;
    for (var j = 0; j < entries[i][1].length; j++) new Function("cb_obj", "cb_data", entries[i][1][j].attributes.code)(null, {});
  }
  return Promise.resolve([]);
}`;

/** A `data:` URL of a script defining `window.Bokeh`, for `<DstackProvider bokeh={{ scripts: [url] }}>`. */
export function fakeBokehScriptUrl(): string {
  return `data:text/javascript,${encodeURIComponent(`window.Bokeh = { embed: { embed_item: ${EMBED_ITEM} } };`)}`;
}

/** The same stand-in as an object in this page, for `trustContent` (BokehJS already on the page). */
export function createFakeBokeh(): BokehLike {
  const embedItem = new Function(`return ${EMBED_ITEM};`)() as BokehLike["embed"]["embed_item"];
  return { embed: { embed_item: embedItem } };
}
