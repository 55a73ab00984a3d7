// Push + read back of one frame of 1,000 attachments of 10 KB each through createIndexedDBStore, against a
// plain idb baseline moving the same Blobs: one readwrite transaction of 1,000 puts, one readonly of 1,000 gets.
// Run: node bench/browser/run.mjs bench/indexeddb.bench.ts (headless Chromium; numbers vary with the disk).
import { deleteDB, openDB } from "idb";
import { createIndexedDBStore } from "../src/storage/indexedDBStore";
import type { BenchResult, BrowserBench } from "./browser/harness";
import { time } from "./browser/harness";

const COUNT = 1_000;
const SIZE = 10 * 1024;
const WARMUP = 2;
const ITERATIONS = 10;
const CONTENT_TYPE = "application/octet-stream";

function makeBlobs(): Blob[] {
  return Array.from({ length: COUNT }, () => {
    const bytes = new Uint8Array(SIZE);
    crypto.getRandomValues(bytes);
    return new Blob([bytes], { type: CONTENT_TYPE });
  });
}

function checkSizes(blobs: Blob[]) {
  if (blobs.length !== COUNT || blobs.some((b) => b.size !== SIZE)) throw new Error("read back the wrong data");
}

const run: BrowserBench = async ({ log }) => {
  const blobs = makeBlobs();
  const storeDb = `bench-store-${crypto.randomUUID()}`;
  const baselineDb = `bench-baseline-${crypto.randomUUID()}`;
  const store = createIndexedDBStore({ dbName: storeDb });
  const baseline = await openDB(baselineDb, 1, { upgrade: (db) => db.createObjectStore("blobs") });
  const indexes = Array.from({ length: COUNT }, (_, i) => i);

  const rows = {
    oursPush: [] as number[],
    oursRead: [] as number[],
    oursTotal: [] as number[],
    basePut: [] as number[],
    baseGet: [] as number[],
    baseTotal: [] as number[],
    seqPut: [] as number[],
  };

  async function ours(iteration: number, keep: boolean) {
    const stack = `bench/run-${iteration}`;
    let frameId = "";
    const push = await time(async () => {
      ({ frameId } = await store.push({
        stack,
        attachments: blobs.map((data) => ({ data, contentType: CONTENT_TYPE })),
      }));
    });
    const read = await time(async () => {
      const frame = await store.getFrame(stack, frameId);
      checkSizes(await Promise.all(frame.attachments.map((a) => store.getAttachment(stack, frameId, a.index))));
    });
    await store.deleteStack(stack);
    if (keep) {
      rows.oursPush.push(push);
      rows.oursRead.push(read);
      rows.oursTotal.push(push + read);
    }
  }

  async function plain(iteration: number, keep: boolean) {
    const put = await time(async () => {
      const tx = baseline.transaction("blobs", "readwrite");
      await Promise.all([...blobs.map((blob, i) => tx.store.put(blob, [iteration, i])), tx.done]);
    });
    const get = await time(async () => {
      const tx = baseline.transaction("blobs", "readonly");
      const read = await Promise.all(indexes.map((i) => tx.store.get([iteration, i])));
      await tx.done;
      checkSizes(read);
    });
    await baseline.clear("blobs");
    // The same puts awaited one at a time: what a naive loop costs.
    const sequential = await time(async () => {
      const tx = baseline.transaction("blobs", "readwrite");
      for (let i = 0; i < COUNT; i++) await tx.store.put(blobs[i] as Blob, [iteration, i]);
      await tx.done;
    });
    await baseline.clear("blobs");
    if (keep) {
      rows.basePut.push(put);
      rows.baseGet.push(get);
      rows.baseTotal.push(put + get);
      rows.seqPut.push(sequential);
    }
  }

  try {
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      const keep = i >= WARMUP;
      // Alternate the order so that neither side always runs on a warmer disk cache.
      if (i % 2) {
        await ours(i, keep);
        await plain(i, keep);
      } else {
        await plain(i, keep);
        await ours(i, keep);
      }
      log(`${keep ? "iteration" : "warm-up"} ${i + 1}/${WARMUP + ITERATIONS}`);
    }
  } finally {
    store.close?.();
    baseline.close();
    await Promise.all([deleteDB(storeDb), deleteDB(baselineDb)]);
  }

  const results: BenchResult[] = [
    { name: "ours: push", samples: rows.oursPush },
    { name: "ours: read back", samples: rows.oursRead },
    { name: "ours: push + read back", samples: rows.oursTotal },
    { name: "idb: 1,000 puts, one tx", samples: rows.basePut },
    { name: "idb: 1,000 gets, one tx", samples: rows.baseGet },
    { name: "idb: puts + gets", samples: rows.baseTotal },
    { name: "idb: 1,000 puts awaited one by one", samples: rows.seqPut },
  ];
  return {
    title: `IndexedDB: one frame of ${COUNT.toLocaleString("en")} attachments x ${SIZE / 1024} KB (Blobs), ${ITERATIONS} iterations after ${WARMUP} warm-ups`,
    results,
    ratios: [
      { name: "ours / idb, push + read back", numerator: "ours: push + read back", denominator: "idb: puts + gets" },
      { name: "ours / idb, push vs puts", numerator: "ours: push", denominator: "idb: 1,000 puts, one tx" },
      { name: "ours / idb, read back vs gets", numerator: "ours: read back", denominator: "idb: 1,000 gets, one tx" },
    ],
    notes: [
      "ours: push = store.push of the frame (validation, 1,000 attachment puts, frame, head; one transaction, committed);",
      "ours: read back = getFrame + 1,000 getAttachment calls made together (they share one readonly transaction).",
      "idb: Blobs put under [iteration, i] keys, all requests queued at once, then awaited with tx.done.",
    ],
  };
};

export default run;
