// Long enough for the browser to start reading the blob: revoking at once can cancel the download.
const REVOKE_AFTER_MS = 10_000;

/** Saves a Blob under `filename` through a temporary object URL, revoked shortly after. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.rel = "noopener";
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
