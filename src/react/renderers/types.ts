import type { ComponentType } from "react";
import type { AttachmentInfo } from "../../model/types";

/** What every attachment renderer receives. */
export interface AttachmentRendererProps {
  /** The stack as an absolute reference, `/user/name`: pass it to the hooks and store methods as is. */
  stack: string;
  frameId: string;
  attachment: AttachmentInfo;
  /** The theme in effect (never `auto`), for renderers that draw their own colours. */
  colorScheme: "light" | "dark";
}

/**
 * One entry of the renderer registry: the first renderer whose `test` accepts an attachment draws it.
 * Host renderers given to `<DstackProvider renderers>` are tried before the built-ins; one with the `name` of a
 * built-in replaces it.
 * @example { name: "geojson", test: (a) => a.contentType === "application/geo+json", Component: MyMap }
 */
export interface AttachmentRenderer {
  name: string;
  test(attachment: AttachmentInfo): boolean;
  Component: ComponentType<AttachmentRendererProps>;
}
