// Cost against history length in the IndexedDB store (headless Chromium): one push and one read of the head
// (`getStack` as the revision picker reads it) on a stack of 100, 10,000 or 100,000 frames. The history is
// written as raw rows in the schema version 1 layout (one transaction), which a newer store upgrades when it first
// opens the database, before any timing; so the same file measures an older checkout too.
// Run: npm run bench -- history-indexeddb   (or: node bench/browser/run.mjs bench/historyIndexedDB.bench.ts)
import { openDB } from "idb";
import { createIndexedDBStore } from "../src/storage/indexedDBStore";
import type { BenchResult, BrowserBench } from "./browser/harness";
import { time } from "./browser/harness";

const SIZES = [100, 10_000, 100_000];
const RUNS = 20;
const STACK = "bench/history";
const PATH = `dstack/${STACK}`;
const T0 = 1_700_000_000_000;

/** Frames 0 .. count-1 of one stack, as schema version 1 keeps them (no attachment rows: reads here skip them). */
async function writeHistory(dbName: string, count: number): Promise<void> {
  const db = await openDB(dbName, 1, {
    upgrade(raw) {
      raw.createObjectStore("stacks", { keyPath: "path" }).createIndex("by-user", "user");
      raw.createObjectStore("frames", { keyPath: ["path", "id"] });
      raw.createObjectStore("attachments", { keyPath: ["path", "frameId", "index"] });
      raw.createObjectStore("dashboards", { keyPath: ["user", "id"] }).createIndex("by-user-seq", ["user", "seq"]);
      raw.createObjectStore("meta");
    },
  });
  const tx = db.transaction(["stacks", "frames", "meta"], "readwrite");
  const frames = tx.objectStore("frames");
  const info = { index: 0, contentType: "application/octet-stream", params: {}, length: 100 };
  for (let n = 0; n < count; n++) {
    void frames.put({
      path: PATH,
      id: `f${n}`,
      timestamp: T0 + n * 1000,
      message: `run ${n}`,
      params: {},
      attachments: [info],
      seq: n + 1,
    });
  }
  const last = count - 1;
  void tx.objectStore("stacks").put({
    path: PATH,
    user: "dstack",
    name: STACK,
    private: false,
    head: { id: `f${last}`, timestamp: T0 + last * 1000, message: `run ${last}`, seq: count },
  });
  void tx.objectStore("meta").put(count, "seq");
  await tx.done;
  db.close();
}

const run: BrowserBench = async ({ log }) => {
  const results: BenchResult[] = [];
  const notes: string[] = [];
  for (const count of SIZES) {
    const dbName = `bench-history-${count}-${crypto.randomUUID()}`;
    const setup = await time(() => writeHistory(dbName, count));
    const store = createIndexedDBStore({ dbName });
    let next = count;
    const push = () =>
      store.push({
        stack: STACK,
        id: `f${next}`,
        timestamp: T0 + next++ * 1000,
        attachments: [{ data: new Uint8Array(100).fill(7), contentType: "application/octet-stream" }],
      });
    const read = async () => {
      const stack = await store.getStack(STACK);
      if (!stack.head || stack.frames.length === 0) throw new Error("empty stack read back");
    };
    const upgrade = await time(read); // opens (and upgrades) the database
    await push();
    const pushes: number[] = [];
    const reads: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      pushes.push(await time(push));
      reads.push(await time(read));
    }
    store.close?.();
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(dbName);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
    results.push({ name: `push, ${count.toLocaleString("en-US")} frames`, samples: pushes });
    results.push({ name: `head read, ${count.toLocaleString("en-US")} frames`, samples: reads });
    notes.push(`${count} frames: rows written in ${setup.toFixed(0)} ms, first open + read ${upgrade.toFixed(0)} ms`);
    log(`${count} frames done`);
  }
  return { title: "IndexedDB: push and head read against history length", results, notes };
};

export default run;
