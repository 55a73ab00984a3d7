// Request bodies read with a hard byte limit: a client cannot make the server buffer more than it allows,
// whatever Content-Length says (or does not say).
import { InvalidRequestError, PayloadTooLargeError } from "../model/errors";

/** Calls `onChunk` for each chunk of `body`, failing with 413 as soon as more than `limit` bytes arrive. */
export async function forEachChunk(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  onChunk: (chunk: Uint8Array) => void | Promise<void>,
  what = "request body",
): Promise<number> {
  if (!body) return 0;
  const reader = body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return total;
      total += value.byteLength;
      if (total > limit) throw new PayloadTooLargeError(limit, what);
      await onChunk(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    reader.releaseLock();
  }
}

function declaredTooLarge(request: Request, limit: number): boolean {
  const declared = request.headers.get("content-length");
  return declared !== null && Number(declared) > limit;
}

/** The whole body as bytes; 413 above `limit`. */
export async function readBodyBytes(request: Request, limit: number): Promise<Uint8Array> {
  if (declaredTooLarge(request, limit)) throw new PayloadTooLargeError(limit);
  const chunks: Uint8Array[] = [];
  const total = await forEachChunk(request.body, limit, (chunk) => {
    chunks.push(chunk);
  });
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** The body parsed as a JSON object; 400 `malformed request` when it is not one, 413 above `limit`. */
export async function readJsonObject(request: Request, limit: number): Promise<Record<string, unknown>> {
  const bytes = await readBodyBytes(request, limit);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new InvalidRequestError("malformed request: the body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidRequestError("malformed request: the body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

/** Reads exactly `length` bytes of `body` into `sink`: 413 when more arrive, 400 when fewer do. */
export async function readExactly(
  body: ReadableStream<Uint8Array> | null,
  length: number,
  sink: (chunk: Uint8Array) => void | Promise<void>,
): Promise<void> {
  const got = await forEachChunk(body, length, sink, "upload");
  if (got !== length)
    throw new InvalidRequestError(`malformed request: the upload has ${got} bytes, expected ${length}`);
}
