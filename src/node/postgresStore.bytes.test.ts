// Attachment bytes on PostgreSQL move in chunks: no query of a push or a read carries more than about one chunk,
// whatever the attachment's size, a read of one attachment touches no other attachment's rows, and a slice (a
// preview) reads only its bytes. Checked on the queries the store sends, so it holds for a 1 GB attachment as for
// the 8 MB ones here.
import { createHash } from "node:crypto";
import { openAsBlob } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHUNK_BYTES } from "./postgres/migrations";
import { createPostgresStore, type PostgresStore } from "./postgres/postgresStore";
import { postgresForTests } from "./postgres/testing/testDatabase";

const pgTest = postgresForTests();
const MB = 1024 * 1024;

/** Bytes in a query's parameters or rows (Buffers only: the attachment bytes). */
const bufferBytes = (values: unknown): number =>
  Array.isArray(values)
    ? values.reduce((sum: number, v) => sum + bufferBytes(v), 0)
    : Buffer.isBuffer(values)
      ? values.byteLength
      : values && typeof values === "object"
        ? Object.values(values).reduce((sum: number, v) => sum + bufferBytes(v), 0)
        : 0;

interface Seen {
  sql: string;
  params: unknown[];
  sent: number;
  received: number;
}

let pool: pg.Pool;
let store: PostgresStore;
let seen: Seen[] = [];
let dir = "";

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await pgTest.newDatabase(), max: 4 });
  // Every query of every connection is recorded with the bytes it sent and received.
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    const note = (sql: unknown, params: unknown, result: pg.QueryResult | undefined) => {
      // Prepared statements come as { name, text, values }.
      const config = typeof sql === "object" && sql !== null ? (sql as { text?: string; values?: unknown[] }) : {};
      const text = typeof sql === "string" ? sql : String(config.text);
      const values = Array.isArray(params) ? params : (config.values ?? []);
      seen.push({ sql: text, params: values, sent: bufferBytes(values), received: bufferBytes(result?.rows) });
    };
    // pg's pool calls query with a callback, the store's own transactions without one.
    (client as unknown as { query: unknown }).query = (sql: unknown, params?: unknown, callback?: unknown) => {
      if (typeof callback === "function") {
        return query(sql, params, (error: unknown, result: pg.QueryResult) => {
          if (!error) note(sql, params, result);
          (callback as (e: unknown, r: unknown) => void)(error, result);
        });
      }
      return (query(sql, params) as Promise<pg.QueryResult>).then((result) => {
        note(sql, params, result);
        return result;
      });
    };
  });
  store = createPostgresStore({ pool, user: "bytes" });
  await store.ready();
  dir = await mkdtemp(join(tmpdir(), "dstack-bytes-"));
}, 60_000);
afterAll(async () => {
  await store?.close();
  await pool?.end();
  await rm(dir, { recursive: true, force: true });
});

/** A file of `size` bytes (a pattern seeded by `seed`), written in pieces: the test holds no copy either. */
async function patternFile(name: string, size: number, seed: number): Promise<{ blob: Blob; sha: string }> {
  const file = join(dir, name);
  const handle = await open(file, "w");
  const hash = createHash("sha256");
  const piece = Buffer.alloc(MB);
  for (let at = 0; at < size; at += MB) {
    const n = Math.min(MB, size - at);
    for (let i = 0; i < n; i++) piece[i] = (at + i + seed) % 253;
    await handle.write(piece, 0, n);
    hash.update(piece.subarray(0, n));
  }
  await handle.close();
  return { blob: await openAsBlob(file, { type: "application/octet-stream" }), sha: hash.digest("hex") };
}

async function sha256Of(stream: ReadableStream<Uint8Array>): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest("hex");
}

describe("attachment bytes on PostgreSQL", () => {
  it("go in and come out in chunks; one attachment's read touches only its rows; a slice reads only its bytes", {
    timeout: 60_000,
  }, async () => {
    const first = await patternFile("a.bin", 8 * MB + 12_345, 1);
    const second = await patternFile("b.bin", 3 * MB, 2);
    seen = [];
    await store.push({
      stack: "big",
      id: "f",
      attachments: [
        { data: first.blob, contentType: "application/octet-stream" },
        { data: second.blob, contentType: "application/octet-stream" },
      ],
    });
    const writes = seen.filter((q) => q.sql.includes("INSERT INTO dstack_chunks"));
    expect(writes.reduce((sum, q) => sum + q.sent, 0)).toBe(first.blob.size + second.blob.size);
    // A batch of rows is flushed once it reaches a chunk's worth: never near a whole attachment.
    expect(Math.max(...seen.map((q) => q.sent))).toBeLessThan(2 * CHUNK_BYTES);
    const { rows } = await pool.query<{ n: number; biggest: number }>(
      "SELECT count(*)::int AS n, max(octet_length(data))::int AS biggest FROM dstack_chunks",
    );
    expect(rows[0]).toEqual({
      n: Math.ceil(first.blob.size / CHUNK_BYTES) + Math.ceil(second.blob.size / CHUNK_BYTES),
      biggest: CHUNK_BYTES,
    });

    seen = [];
    const blob = await store.getAttachment("big", "f", 1);
    expect(blob.size).toBe(second.blob.size);
    expect(await sha256Of(blob.stream())).toBe(second.sha);
    const reads = seen.filter((q) => q.sql.includes("substring(data"));
    expect(reads.length).toBe(Math.ceil(second.blob.size / CHUNK_BYTES));
    // Only attachment 1's rows ($2 is the index), one chunk per query.
    expect(reads.every((q) => q.params[1] === 1)).toBe(true);
    expect(Math.max(...seen.map((q) => q.received))).toBeLessThanOrEqual(CHUNK_BYTES);
    expect(seen.reduce((sum, q) => sum + q.received, 0)).toBe(second.blob.size);

    seen = [];
    const big = await store.getAttachment("big", "f", 0);
    expect(await sha256Of(big.stream())).toBe(first.sha);
    // A preview across a chunk boundary: just its bytes leave the database.
    seen = [];
    const from = CHUNK_BYTES - 1000;
    const part = new Uint8Array(await big.slice(from, from + 3000).arrayBuffer());
    expect(seen.reduce((sum, q) => sum + q.received, 0)).toBe(3000);
    expect(Array.from(part.subarray(0, 3))).toEqual([0, 1, 2].map((i) => (from + i + 1) % 253));
    expect(await big.slice(-10).text()).toHaveLength(10);
    expect((await big.slice(5, 5).arrayBuffer()).byteLength).toBe(0);
  });
});
