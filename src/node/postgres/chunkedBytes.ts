// Attachment bytes in chunk rows (dstack_chunks: every chunk but the last holds CHUNK_BYTES). Writing cuts any
// byte stream into chunks as it arrives; reading a large attachment gives a Blob that fetches its chunks only as
// they are read, so neither a push nor a download ever holds a whole 1 GB attachment in memory.
import type { Pool, PoolClient } from "pg";
import { CHUNK_BYTES } from "./migrations";
import { prepared } from "./sql";

type Queryable = Pool | PoolClient;

/** Where the bytes of a Blob already are in the database: an unfinished push's chunks (same chunk size). */
export interface StagedChunks {
  session: string;
  idx: number;
  attempt: string;
}

/** Blobs over staged chunk rows: a push copies their rows inside the database instead of through this process. */
export const stagedChunksOf = new WeakMap<Blob, StagedChunks>();

/** Rows waiting for one multi-row INSERT: small attachments of a frame share round trips. */
export function chunkWriter(client: PoolClient, fid: string) {
  let rows: Array<[number, number, Buffer]> = [];
  let bytes = 0;
  /** The INSERT on its way: the next chunk is read while it runs (two chunks in memory at most). */
  let inflight: Promise<unknown> = Promise.resolve();
  async function flush(): Promise<void> {
    await inflight;
    if (rows.length === 0) return;
    const values: unknown[] = [];
    const tuples = rows.map(([idx, n, data], i) => {
      values.push(idx, n, data);
      return `($1, $${i * 3 + 2}, $${i * 3 + 3}, $${i * 3 + 4})`;
    });
    rows = [];
    bytes = 0;
    inflight = client.query(`INSERT INTO dstack_chunks (fid, idx, n, data) VALUES ${tuples.join(", ")}`, [
      fid,
      ...values,
    ]);
    // Failures surface at the next flush (or the final one); never unhandled meanwhile.
    inflight.catch(() => {});
  }
  async function add(idx: number, n: number, data: Buffer): Promise<void> {
    rows.push([idx, n, data]);
    bytes += data.byteLength;
    if (bytes >= CHUNK_BYTES || rows.length >= 300) await flush();
  }
  return {
    /** Queues the bytes of attachment `idx`, read from `blob` as they come. */
    async write(idx: number, blob: Blob): Promise<void> {
      const staged = stagedChunksOf.get(blob);
      if (staged) {
        await flush();
        await inflight;
        const { rowCount } = await client.query(
          `INSERT INTO dstack_chunks (fid, idx, n, data)
           SELECT $1, $2, n, data FROM dstack_push_chunks WHERE session = $3 AND idx = $4 AND attempt = $5`,
          [fid, idx, staged.session, staged.idx, staged.attempt],
        );
        if (rowCount !== Math.ceil(blob.size / CHUNK_BYTES)) {
          throw new Error(`staged bytes are missing (${staged.session}, index ${staged.idx})`);
        }
        return;
      }
      const cutter = chunkCutter((n, data) => add(idx, n, data), blob.size);
      const reader = blob.stream().getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        await cutter.add(value);
      }
      await cutter.end();
    },
    /** Sends what is queued and waits until every row is written. */
    async flush() {
      await flush();
      await inflight;
    },
  };
}

/** Bytes [start, end) of attachment `idx` of frame `fid`, one query. */
async function readRange(db: Queryable, fid: string, idx: number, start: number, end: number): Promise<Buffer[]> {
  if (end <= start) return [];
  const first = Math.floor(start / CHUNK_BYTES);
  const last = Math.floor((end - 1) / CHUNK_BYTES);
  // Only the part of each chunk inside the range leaves the server (an out-of-line value is read in slices).
  const { rows } = await prepared<{ data: Buffer }>(
    db,
    `SELECT substring(data FROM greatest($3::bigint - n::bigint * $5, 0)::integer + 1
                      FOR (least($4::bigint - n::bigint * $5, $5) - greatest($3::bigint - n::bigint * $5, 0))::integer) AS data
       FROM dstack_chunks WHERE fid = $1 AND idx = $2 AND n BETWEEN $6 AND $7 ORDER BY n`,
    [fid, idx, start, end, CHUNK_BYTES, first, last],
  );
  return rows.map((r) => r.data);
}

/** Attachments up to this size are read at once; larger ones come as a chunk-fetching Blob. */
export const READ_INTO_MEMORY = 1_000_000;

/** The bytes of an attachment as a Blob: read now when small, fetched on demand when large. */
export async function attachmentBlob(
  pool: Pool,
  fid: string,
  idx: number,
  length: number,
  type: string,
): Promise<Blob> {
  if (length <= READ_INTO_MEMORY) {
    const parts = await readRange(pool, fid, idx, 0, length);
    return new Blob(parts as Uint8Array<ArrayBuffer>[], { type });
  }
  return new ChunkedBlob(
    (start, end) => readRange(pool, fid, idx, start, end),
    0,
    length,
    type,
    `frame row ${fid}, index ${idx}`,
  );
}

/** Bytes [start, end) of something stored in chunk rows of CHUNK_BYTES (every one but the last full). */
export type ChunkRangeReader = (start: number, end: number) => Promise<Buffer[]>;

/** A Blob of `length` bytes read through `read` only as it is consumed (`what` names it in errors). */
export function chunkRangeBlob(read: ChunkRangeReader, length: number, type: string, what: string): Blob {
  return new ChunkedBlob(read, 0, length, type, what);
}

/**
 * Cuts a byte stream into CHUNK_BYTES pieces as it arrives (the last one shorter), handing each to `put` before
 * reading on: at most one chunk is in memory. With the stream's `total` length, no chunk buffer is larger than
 * what is left to come (a 10-byte attachment does not take a whole chunk's memory).
 */
export function chunkCutter(put: (n: number, data: Buffer) => Promise<void>, total = Number.POSITIVE_INFINITY) {
  let n = 0;
  const nextBuffer = () => Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(1, total - n * CHUNK_BYTES)));
  let buffer = nextBuffer();
  let filled = 0;
  return {
    async add(value: Uint8Array): Promise<void> {
      let offset = 0;
      while (offset < value.byteLength) {
        const take = Math.min(value.byteLength - offset, buffer.byteLength - filled);
        buffer.set(value.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === buffer.byteLength) {
          await put(n++, buffer);
          buffer = nextBuffer();
          filled = 0;
        }
      }
    },
    async end(): Promise<void> {
      if (filled > 0) await put(n++, buffer.subarray(0, filled));
    },
  };
}

/**
 * A Blob over chunk rows, read as it is consumed (`stream`, `arrayBuffer`, `slice`). Built for the handler's uses:
 * streaming downloads, previews by `slice`; handing it to `new Blob([...])` would copy nothing, so nothing does.
 */
class ChunkedBlob extends Blob {
  readonly #read: ChunkRangeReader;
  readonly #start: number;
  readonly #end: number;
  readonly #what: string;

  constructor(read: ChunkRangeReader, start: number, end: number, type: string, what: string) {
    super([], { type });
    this.#read = read;
    this.#start = start;
    this.#end = end;
    this.#what = what;
  }

  override get size(): number {
    return this.#end - this.#start;
  }

  override slice(start?: number, end?: number, contentType?: string): Blob {
    const size = this.size;
    const clamp = (value: number | undefined, fallback: number) => {
      if (value === undefined) return fallback;
      const v = Math.trunc(value);
      return v < 0 ? Math.max(size + v, 0) : Math.min(v, size);
    };
    const from = clamp(start, 0);
    const to = Math.max(clamp(end, size), from);
    return new ChunkedBlob(this.#read, this.#start + from, this.#start + to, contentType ?? "", this.#what);
  }

  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    let at = this.#start;
    const fetchChunk = (from: number) => {
      // One chunk per read: the reader's pace decides how much is in memory (this chunk and the next).
      const to = Math.min((Math.floor(from / CHUNK_BYTES) + 1) * CHUNK_BYTES, this.#end);
      const parts = this.#read(from, to);
      parts.catch(() => {});
      return { to, parts };
    };
    let next = at < this.#end ? fetchChunk(at) : undefined;
    return new ReadableStream<Uint8Array<ArrayBuffer>>({
      pull: async (controller) => {
        if (!next) {
          controller.close();
          return;
        }
        const { to, parts: pending } = next;
        const parts = await pending;
        const got = parts.reduce((sum, p) => sum + p.byteLength, 0);
        if (got !== to - at) throw new Error(`attachment bytes are missing (${this.#what})`);
        at = to;
        // The next chunk is on its way while this one is sent.
        next = at < this.#end ? fetchChunk(at) : undefined;
        for (const part of parts) {
          controller.enqueue(new Uint8Array(part.buffer, part.byteOffset, part.byteLength) as Uint8Array<ArrayBuffer>);
        }
      },
    });
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const out = new Uint8Array(this.size);
    let offset = 0;
    const reader = this.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      out.set(value, offset);
      offset += value.byteLength;
    }
    return out.buffer;
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.arrayBuffer());
  }

  override async text(): Promise<string> {
    return new TextDecoder().decode(await this.arrayBuffer());
  }
}
