const EXTENSIONS: Record<string, string> = {
  "text/csv": "csv",
  "application/json": "json",
  "text/markdown": "md",
  "text/plain": "txt",
  "text/html": "html",
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
  "image/svg+xml": "svg",
  "application/pdf": "pdf",
};

/** `"Text/HTML; charset=utf-8"` → `"text/html"`. */
export const mediaTypeOf = (contentType: string): string => (contentType.split(";")[0] ?? "").trim().toLowerCase();

/** A download name: the pushed file's name when known, else `<stack>-<index>.<ext>`. */
export function downloadName(stackPath: string, index: number, contentType: string, settings?: object): string {
  const filename = (settings as { filename?: unknown } | undefined)?.filename;
  if (typeof filename === "string" && filename.trim() !== "") {
    const base = filename.split(/[\\/]/).pop()?.trim();
    if (base) return base;
  }
  const base = stackPath.split("/").pop() || "attachment";
  return `${base}-${index}.${EXTENSIONS[mediaTypeOf(contentType)] ?? "bin"}`;
}
