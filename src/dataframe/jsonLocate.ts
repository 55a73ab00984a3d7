// Where things are in JSON text, for error messages only: the offset of the first syntax error (engines differ
// in whether and how JSON.parse's message gives one) and the offset of an element of the top-level value.

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

class Syntax extends Error {
  constructor(readonly offset: number) {
    super("json syntax");
  }
}

function skipWs(text: string, i: number): number {
  while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  return i;
}

/** Index after the JSON value starting at `i` (after whitespace); throws Syntax at the first bad character. */
function skipValue(text: string, i: number, depth = 0): number {
  i = skipWs(text, i);
  if (depth > 10_000) throw new Syntax(i);
  const c = text[i];
  if (c === "{" || c === "[") {
    const close = c === "{" ? "}" : "]";
    i = skipWs(text, i + 1);
    if (text[i] === close) return i + 1;
    for (;;) {
      if (c === "{") {
        if (text[i] !== '"') throw new Syntax(i);
        i = skipWs(text, skipString(text, i));
        if (text[i] !== ":") throw new Syntax(i);
        i++;
      }
      i = skipWs(text, skipValue(text, i, depth + 1));
      if (text[i] === ",") {
        i = skipWs(text, i + 1);
        continue;
      }
      if (text[i] === close) return i + 1;
      throw new Syntax(i);
    }
  }
  if (c === '"') return skipString(text, i);
  const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
  if (!literal) throw new Syntax(i);
  return i + literal[0].length;
}

function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const ch = text.charCodeAt(j);
    if (ch === 0x22) return j + 1;
    if (ch < 0x20) throw new Syntax(j);
    if (ch === 0x5c) {
      const next = text[j + 1];
      if (next === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) throw new Syntax(j);
        j += 5;
      } else if (next !== undefined && '"\\/bfnrt'.includes(next)) j++;
      else throw new Syntax(j);
    }
  }
  throw new Syntax(text.length);
}

/** Offset of the first syntax error in `text` (the end of input if it is cut short), or -1 if it is valid JSON. */
export function jsonSyntaxErrorOffset(text: string): number {
  try {
    const end = skipWs(text, skipValue(text, 0));
    return end === text.length ? -1 : end;
  } catch (error) {
    if (error instanceof Syntax) return Math.min(error.offset, text.length);
    throw error;
  }
}

/**
 * Offset in valid JSON `text` of the value at `path` below the top-level value: array indexes and object keys,
 * e.g. `[3]` (fourth row) or `["price", 7]`. 0 when the path does not lead anywhere.
 */
export function jsonOffsetOf(text: string, path: ReadonlyArray<string | number>): number {
  let i = skipWs(text, 0);
  for (const step of path) {
    const c = text[i];
    i = skipWs(text, i + 1);
    if (c === "[" && typeof step === "number") {
      for (let k = 0; k < step; k++) {
        i = skipWs(text, skipValue(text, i));
        if (text[i] !== ",") return 0;
        i = skipWs(text, i + 1);
      }
    } else if (c === "{" && typeof step === "string") {
      for (;;) {
        if (text[i] !== '"') return 0;
        const keyEnd = skipString(text, i);
        const key = JSON.parse(text.slice(i, keyEnd)) as string;
        i = skipWs(text, keyEnd);
        i = skipWs(text, i + 1); // past ":"
        if (key === step) break;
        i = skipWs(text, skipValue(text, i));
        if (text[i] !== ",") return 0;
        i = skipWs(text, i + 1);
      }
    } else return 0;
  }
  return i;
}
