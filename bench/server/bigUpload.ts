// The 50 MB attachment both server benches push and download, and the timed pushes of it.
import type { StackStore } from "../../src/model/stackStore";

export const MB = 1_000_000;
export const BIG = 50 * MB;

/** 50 MB with a byte set every 4 KiB (so that a short or shifted download shows). */
export function bigBytes(): Uint8Array {
  const bytes = new Uint8Array(BIG);
  for (let i = 0; i < bytes.length; i += 4096) bytes[i] = i % 251;
  return bytes;
}

/** Pushes `bytes` to stack "bench/big" `rounds` times; MB/s of each push, and the last frame's id. */
export async function timedUploads(
  store: StackStore,
  bytes: Uint8Array,
  rounds = 3,
): Promise<{ frameId: string; mbPerSecond: number[] }> {
  const mbPerSecond: number[] = [];
  let frameId = "";
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    ({ frameId } = await store.push({
      stack: "bench/big",
      attachments: [{ data: bytes, contentType: "application/octet-stream" }],
    }));
    mbPerSecond.push(bytes.length / MB / ((performance.now() - t0) / 1000));
  }
  return { frameId, mbPerSecond };
}
