// One write = temp file + rename: readers see the old file or the new one, never half of one, even when the
// process dies mid-write. With `fsync`, the bytes are also on disk before the rename makes them visible.
import { randomUUID } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";

/** fsyncs a directory so a rename inside it survives a power cut (a no-op where directories cannot be opened). */
export async function syncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // Windows cannot open directories; rename there is still atomic.
  } finally {
    await handle?.close();
  }
}

/** The chunks of a web stream, as an async iterable (TS's DOM types lack ReadableStream's own iterator). */
export async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Writes `chunks` to a new file at `file` (which must not be visible to readers until renamed). */
export async function writeChunks(
  file: string,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  fsync: boolean,
): Promise<number> {
  const handle = await open(file, "wx", 0o600);
  let size = 0;
  try {
    for await (const chunk of chunks) {
      let offset = 0;
      while (offset < chunk.byteLength) {
        const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
        offset += bytesWritten;
      }
      size += chunk.byteLength;
    }
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
  return size;
}

/** Replaces `file` atomically with `data`. */
export async function writeFileAtomic(file: string, data: string | Uint8Array, fsync: boolean): Promise<void> {
  const temp = join(dirname(file), `.${randomUUID()}.tmp`);
  try {
    await writeChunks(temp, [typeof data === "string" ? new TextEncoder().encode(data) : data], fsync);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  if (fsync) await syncDir(dirname(file));
}
