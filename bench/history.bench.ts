// Cost against history length: one push and one read of the head (`getStack` as the revision picker reads it)
// on a stack that already has 100, 10,000 or 100,000 frames, for the memory store, the file store (fsync on and
// off) and HttpStore against the Node server over the file store. A flat row means the cost does not grow with
// the history. The IndexedDB store has its own browser bench (bench/historyIndexedDB.bench.ts).
//
// Histories are made quickly: the memory store by pushing; the file store by writing the stack.json of kit 0.2
// (every frame listed in it) straight to disk, which the store converts on its first read, before any timing.
// So the same file measures a checkout of an older version too (copy it there and run it with that tree's tsx).
//
// Run: npm run bench -- history   (or: node --import tsx bench/history.bench.ts [--sizes=100,10000] [--runs=20])
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StackStore } from "../src/model/stackStore";
import { createFileStore } from "../src/node/fileStore";
import { legacyStackFolderName } from "../src/node/fileStoreFolders";
import { startServer } from "../src/node/server";
import { createHttpStore } from "../src/storage/httpStore";
import { createMemoryStore } from "../src/storage/memoryStore";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const SIZES = (arg("sizes") ?? "100,10000,100000").split(",").map(Number);
const RUNS = Number(arg("runs") ?? 20);
const STACK = "bench/history";
const T0 = 1_700_000_000_000;

const temps: string[] = [];
process.on("exit", () => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
function tempHome(): string {
  const dir = mkdtempSync(join(tmpdir(), "dstack-history-"));
  temps.push(dir);
  return dir;
}

const part = () => [{ data: new Uint8Array(100).fill(7), contentType: "application/octet-stream" }];

/** A stack of `count` frames as kit 0.2 wrote it: stack.json lists them all; only the head has its folder. */
function writeHistory(home: string, user: string, count: number): void {
  const dir = join(home, ".dstack", "data", "stacks", user, legacyStackFolderName(STACK));
  const frames = Array.from({ length: count }, (_, i) => {
    const n = count - 1 - i;
    return { id: `f${n}`, timestamp: T0 + n * 1000, message: `run ${n}`, seq: n + 1 };
  });
  const head = frames[0] as (typeof frames)[number];
  const frameDir = join(dir, "frames", head.id);
  mkdirSync(frameDir, { recursive: true });
  const info = { index: 0, contentType: "application/octet-stream", params: {}, length: 100 };
  const { seq: _, ...summary } = head;
  writeFileSync(join(frameDir, "frame.json"), JSON.stringify({ ...summary, params: {}, attachments: [info] }));
  writeFileSync(join(frameDir, "0.bin"), new Uint8Array(100).fill(7));
  const stack = { version: 1, user, name: STACK, private: false, head: head.id, seq: count, frames };
  writeFileSync(join(dir, "stack.json"), JSON.stringify(stack));
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/** Median ms of RUNS pushes and of RUNS head reads, after a warm-up of each. */
async function measure(store: StackStore, count: number): Promise<{ push: number; read: number }> {
  let next = count;
  const push = () =>
    store.push({ stack: STACK, id: `f${next}`, timestamp: T0 + next++ * 1000, message: "bench", attachments: part() });
  const read = async () => {
    const stack = await store.getStack(STACK);
    if (!stack.head || stack.frames.length === 0) throw new Error("empty stack read back");
  };
  await read(); // converts an old-layout stack, fills caches
  await push();
  const pushes: number[] = [];
  const reads: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let start = performance.now();
    await push();
    pushes.push(performance.now() - start);
    start = performance.now();
    await read();
    reads.push(performance.now() - start);
  }
  return { push: median(pushes), read: median(reads) };
}

type Row = { store: string; count: number; push: number; read: number };
const rows: Row[] = [];

async function bench(name: string, count: number, open: () => Promise<{ store: StackStore; close?: () => unknown }>) {
  const built = performance.now();
  const { store, close } = await open();
  const setup = performance.now() - built;
  const result = await measure(store, count);
  await close?.();
  rows.push({ store: name, count, ...result });
  console.log(
    `${name.padEnd(24)} ${String(count).padStart(7)} frames: push ${result.push.toFixed(2)} ms, head read ${result.read.toFixed(2)} ms (setup ${(setup / 1000).toFixed(1)} s)`,
  );
}

for (const count of SIZES) {
  await bench("memory", count, async () => {
    const store = createMemoryStore({ user: "bench" });
    for (let n = 0; n < count; n++) {
      await store.push({
        stack: STACK,
        id: `f${n}`,
        timestamp: T0 + n * 1000,
        message: `run ${n}`,
        attachments: part(),
      });
    }
    return { store };
  });
  for (const fsync of [true, false]) {
    await bench(`file, fsync ${fsync ? "on" : "off"}`, count, async () => {
      const home = tempHome();
      writeHistory(home, "bench", count);
      return { store: createFileStore({ home, user: "bench", fsync }) };
    });
  }
  await bench("http → server (file, fsync off)", count, async () => {
    const home = tempHome();
    writeHistory(home, "bench", count);
    const server = await startServer({ port: 0, host: "127.0.0.1", home, fsync: false, log: () => {} });
    const store = createHttpStore({ server: server.apiUrl, user: "bench", token: server.addUser("bench") });
    return { store, close: () => server.close() };
  });
}

console.log("\n| store | frames | push (median ms) | head read (median ms) |\n|---|---|---|---|");
for (const r of rows) {
  console.log(`| ${r.store} | ${r.count.toLocaleString("en-US")} | ${r.push.toFixed(2)} | ${r.read.toFixed(2)} |`);
}
