// Base64 for the wire: strict on input (bad base64 is a 400, never silently dropped bytes), fast where Node's
// Buffer exists, plain JS in browsers and service workers (msw). No node: import, so this runs everywhere.

interface BufferLike {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: "base64"): string };
  from(text: string, encoding: "base64"): Uint8Array;
}

/** Node's Buffer when present (found at run time: no import, so browser bundles stay clean). */
const nodeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const LOOKUP = new Uint8Array(128).fill(255);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** Length of the base64 text for `bytes` bytes (padded, as Python's b64encode writes it). */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** Standard, padded base64 of `bytes`. */
export function encodeBase64(bytes: Uint8Array): string {
  if (nodeBuffer) return nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  return encodeBase64Portable(bytes);
}

/** The browser path of {@link encodeBase64}, exported so tests cover it under Node too. */
export function encodeBase64Portable(bytes: Uint8Array): string {
  let out = "";
  const chunk = 0x8000;
  // btoa over binary strings, in chunks so String.fromCharCode never gets too many arguments.
  for (let i = 0; i < bytes.length; i += chunk) {
    out += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(out);
}

/**
 * Decodes standard base64 (padding optional, no whitespace or URL-safe letters). Returns undefined when `text`
 * is not valid base64, so callers can answer 400 instead of storing garbage.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  const end = validEnd(text);
  if (end === undefined) return undefined;
  if (nodeBuffer) {
    const buf = nodeBuffer.from(text, "base64");
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return decodeValidBase64(text, end);
}

/** The browser path of {@link decodeBase64}, exported so tests cover it under Node too. */
export function decodeBase64Portable(text: string): Uint8Array | undefined {
  const end = validEnd(text);
  return end === undefined ? undefined : decodeValidBase64(text, end);
}

function decodeValidBase64(text: string, end: number): Uint8Array {
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 4 <= end; i += 4) {
    const n =
      ((LOOKUP[text.charCodeAt(i)] as number) << 18) |
      ((LOOKUP[text.charCodeAt(i + 1)] as number) << 12) |
      ((LOOKUP[text.charCodeAt(i + 2)] as number) << 6) |
      (LOOKUP[text.charCodeAt(i + 3)] as number);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  const rest = end - i;
  if (rest === 2) {
    const n = ((LOOKUP[text.charCodeAt(i)] as number) << 18) | ((LOOKUP[text.charCodeAt(i + 1)] as number) << 12);
    out[o++] = n >> 16;
  } else if (rest === 3) {
    const n =
      ((LOOKUP[text.charCodeAt(i)] as number) << 18) |
      ((LOOKUP[text.charCodeAt(i + 1)] as number) << 12) |
      ((LOOKUP[text.charCodeAt(i + 2)] as number) << 6);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
  }
  return out;
}

/** Length of the data part of `text` (without padding), or undefined when `text` is not valid base64. */
function validEnd(text: string): number | undefined {
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  if (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  if (end !== text.length && text.length % 4 !== 0) return undefined;
  if (end % 4 === 1) return undefined;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || LOOKUP[c] === 255) return undefined;
  }
  return end;
}
