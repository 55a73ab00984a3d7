import type { AttachmentInfo } from "../../model/types";
import { BokehRenderer } from "./BokehRenderer";
import { DownloadRenderer } from "./DownloadRenderer";
import { ImageRenderer } from "./ImageRenderer";
import { MarkdownRenderer } from "./MarkdownRenderer";
import { PlotlyRenderer } from "./PlotlyRenderer";
import { TableRenderer } from "./TableRenderer";
import { TextRenderer } from "./TextRenderer";
import type { AttachmentRenderer } from "./types";

/** `text/csv; charset=utf-8` → `text/csv`. */
export function mediaTypeOf(attachment: AttachmentInfo): string {
  return (attachment.contentType.split(";")[0] ?? "").trim().toLowerCase();
}

const isJson = (type: string) => type === "application/json" || type.endsWith("+json");
const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml", "image/avif"]);

/**
 * The built-in renderers, in the order they are tried; `download` accepts anything, so it stays last.
 * Host renderers (`<DstackProvider renderers>`) come first; one with the same `name` replaces a built-in.
 */
export const defaultRenderers: readonly AttachmentRenderer[] = [
  {
    name: "plotly",
    test: (a) => a.application === "plotly" && isJson(mediaTypeOf(a)),
    Component: PlotlyRenderer,
  },
  { name: "bokeh", test: (a) => a.application === "bokeh" && isJson(mediaTypeOf(a)), Component: BokehRenderer },
  { name: "table", test: (a) => mediaTypeOf(a) === "text/csv", Component: TableRenderer },
  { name: "image", test: (a) => IMAGE_TYPES.has(mediaTypeOf(a)), Component: ImageRenderer },
  { name: "markdown", test: (a) => mediaTypeOf(a) === "text/markdown", Component: MarkdownRenderer },
  {
    name: "text",
    test: (a) => {
      const type = mediaTypeOf(a);
      return isJson(type) || (type.startsWith("text/") && type !== "text/html");
    },
    Component: TextRenderer,
  },
  { name: "download", test: () => true, Component: DownloadRenderer },
];

/** Host renderers first, then the built-ins whose names they do not take. */
export function mergeRenderers(host: readonly AttachmentRenderer[] | undefined): readonly AttachmentRenderer[] {
  if (!host || host.length === 0) return defaultRenderers;
  const taken = new Set(host.map((r) => r.name));
  return [...host, ...defaultRenderers.filter((r) => !taken.has(r.name))];
}

/** The renderer for an attachment: the first whose `test` accepts it (a throwing test counts as no). */
export function pickRenderer(
  renderers: readonly AttachmentRenderer[],
  attachment: AttachmentInfo,
): AttachmentRenderer | undefined {
  return renderers.find((renderer) => {
    try {
      return renderer.test(attachment);
    } catch {
      return false;
    }
  });
}
