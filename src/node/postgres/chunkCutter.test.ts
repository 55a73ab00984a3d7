// chunkCutter: a stream cut into CHUNK_BYTES pieces in order, whatever sizes it arrives in, and with the total
// known, no chunk buffer larger than what is left to come.
import { describe, expect, it } from "vitest";
import { chunkCutter } from "./chunkedBytes";
import { CHUNK_BYTES } from "./migrations";

async function cut(total: number, arrivals: number[], known: boolean) {
  const chunks: Array<{ n: number; length: number; capacity: number; first: number }> = [];
  const cutter = chunkCutter(
    async (n, data) => {
      chunks.push({ n, length: data.byteLength, capacity: data.buffer.byteLength, first: data[0] ?? -1 });
    },
    known ? total : undefined,
  );
  let at = 0;
  for (let k = 0; at < total; k++) {
    const size = Math.min(total - at, arrivals[k % arrivals.length] as number);
    await cutter.add(Uint8Array.from({ length: size }, (_, i) => (at + i) % 251));
    at += size;
  }
  await cutter.end();
  return chunks;
}

describe("chunkCutter", () => {
  it("cuts any arrival sizes into whole chunks and a shorter last one, in order", async () => {
    for (const total of [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 2 * CHUNK_BYTES + 7]) {
      for (const arrivals of [[1000], [CHUNK_BYTES + 3], [7, 65_536, 1]]) {
        const chunks = await cut(total, arrivals, true);
        expect(chunks.map((c) => c.n)).toEqual(chunks.map((_, i) => i));
        expect(chunks.map((c) => c.length)).toEqual(
          Array.from({ length: Math.ceil(total / CHUNK_BYTES) }, (_, i) =>
            Math.min(CHUNK_BYTES, total - i * CHUNK_BYTES),
          ),
        );
        // Each chunk starts where the one before ended.
        expect(chunks.map((c) => c.first)).toEqual(chunks.map((c) => (c.n * CHUNK_BYTES) % 251));
      }
    }
  });

  it("with the total known, a small stream takes no whole chunk's memory", async () => {
    // Small Buffers come out of Node's shared pool; a chunk-sized one has memory of its own.
    const [known] = await cut(10, [3], true);
    expect(known?.capacity).toBeLessThanOrEqual(Buffer.poolSize);
    const [unknown] = await cut(10, [3], false);
    expect(unknown?.length).toBe(10);
    expect(unknown?.capacity).toBeGreaterThanOrEqual(CHUNK_BYTES);
  });
});
