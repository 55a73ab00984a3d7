// The whole input as one string, for a string column to slice its values from, as a string-based parser does.
// Only for an ASCII input (byte offsets are then string offsets) that is small: a value sliced from it is a view
// that keeps the whole text alive, which a large input must not pay for (there, values are decoded window by
// window from the column's own bytes, see StringStore).

/** Inputs up to this size are sliced from (what a table of one long text column keeps, at most, above its data). */
export const INPUT_TEXT_MAX = 4 * 1024 * 1024;

export class InputText {
  /** undefined: not decoded yet; null: not ASCII (or too large), so not usable. */
  private text: string | null | undefined;

  /** `text`: the string `bytes` were encoded from, if any (used as it is when ASCII, not decoded again). */
  constructor(
    readonly bytes: Uint8Array,
    text?: string,
  ) {
    if (bytes.length > INPUT_TEXT_MAX) this.text = null;
    // Every character of a string is at least one byte in UTF-8, and only ASCII ones exactly one.
    else if (text !== undefined) this.text = text.length === bytes.length ? text : null;
  }

  /** The input as a string when every byte is ASCII, else null. Decoded on the first call only. */
  get(): string | null {
    if (this.text === undefined) this.text = nodeAsciiText(this.bytes) ?? decodeAscii(this.bytes);
    return this.text;
  }
}

/** The input as a string when every byte is ASCII, else null, through TextDecoder (browsers). */
export function decodeAscii(bytes: Uint8Array): string | null {
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  // Valid multi-byte characters decode to fewer code units than bytes, and an invalid byte to U+FFFD: the same
  // length and no U+FFFD means every byte was ASCII.
  return text.length === bytes.length && !text.includes("\uFFFD") ? text : null;
}

interface NodeBuffer {
  isAscii(bytes: Uint8Array): boolean;
  Buffer: { from(buffer: ArrayBufferLike, offset: number, length: number): { latin1Slice(): string } };
}

let nodeBuffer: NodeBuffer | null | undefined;

/**
 * In Node, the text from `node:buffer` (reached through process.getBuiltinModule, so nothing is imported in a
 * browser): isAscii and a Latin-1 string of the bytes, 1.2-1.5x faster than Node 20's TextDecoder (zipcodes.csv
 * 1.75 -> 1.15 ms). Undefined elsewhere.
 */
function nodeAsciiText(bytes: Uint8Array): string | null | undefined {
  if (nodeBuffer === undefined) {
    const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const module = process?.getBuiltinModule?.("node:buffer") as Partial<NodeBuffer> | undefined;
    nodeBuffer = typeof module?.isAscii === "function" && module.Buffer ? (module as NodeBuffer) : null;
  }
  if (nodeBuffer === null) return undefined;
  if (!nodeBuffer.isAscii(bytes)) return null;
  return nodeBuffer.Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).latin1Slice();
}
