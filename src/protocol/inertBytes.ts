// Attachment bytes are data from strangers. Served from the API's origin, an HTML page or an SVG with a script
// would run as that origin and could read whatever the origin keeps. So every response carrying pushed bytes is
// inert: a sandbox CSP (an opaque origin, no script), no MIME sniffing, and a download (not a page) for every
// type that is not known to be inert.
import { mediaTypeOf } from "../model/downloadName";

/** Types a browser shows without running anything; everything else is served as a download. */
const INERT = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/avif",
  "text/plain",
  "text/csv",
  "application/json",
  "application/octet-stream",
]);

/** `type/subtype` made of token characters only (no parameters, no CR/LF or other header tricks). */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/** Locks a response down to displaying data: no script, no plugins, no forms, an opaque origin. */
export const SANDBOX_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'";

/** Headers that keep any response inert, whatever it carries (set on every API response). */
export function lockDown(headers: Headers): void {
  headers.set("x-content-type-options", "nosniff");
  headers.set("content-security-policy", SANDBOX_CSP);
  headers.set("cross-origin-resource-policy", "same-origin");
  headers.set("referrer-policy", "no-referrer");
}

/** `report 1.csv` → `report_1.csv`: a quoted-string-safe ASCII fallback for old clients. */
function asciiName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "");
  return (safe || "attachment").slice(0, 120);
}

/** `Content-Disposition` with the ASCII fallback and the exact UTF-8 name (RFC 6266 / RFC 8187). */
export function contentDisposition(kind: "inline" | "attachment", filename: string): string {
  const exact = encodeURIComponent(filename.slice(0, 200)).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${asciiName(filename)}"; filename*=UTF-8''${exact}`;
}

/** Headers for pushed bytes of `contentType`: shown inline only when inert, otherwise downloaded. */
export function attachmentHeaders(contentType: string, filename: string): Record<string, string> {
  const media = mediaTypeOf(contentType);
  const valid = MEDIA_TYPE.test(media);
  const inert = valid && INERT.has(media);
  return {
    // Keep a text type's charset; anything unparsable becomes opaque bytes.
    "content-type":
      inert && media.startsWith("text/") ? `${media}; charset=utf-8` : valid ? media : "application/octet-stream",
    "content-disposition": contentDisposition(inert ? "inline" : "attachment", filename),
  };
}
