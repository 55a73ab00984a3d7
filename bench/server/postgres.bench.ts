// The server on PostgreSQL next to the server on files: pushes/s and reads/s (stack, attachment) at 1 and 32
// connections with p50/p99, for the file store (fsync on), one instance on PostgreSQL and two instances on one
// database with this bench spreading requests over them round-robin; upload and download MB/s of one 50 MB
// attachment; and the PostgreSQL store's push and head read against 100, 10,000 and 100,000 frames of history.
// PostgreSQL is a throwaway cluster with its durable defaults (fsync and synchronous_commit on), on this machine.
// Servers run in child processes; the load generator (keep-alive node:http, one loop per connection) runs here.
// Run: npm run bench -- postgres   (or: node --import tsx bench/server/postgres.bench.ts [seconds])
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startPostgres } from "../../scripts/postgres.mjs";
import { createPostgresStore } from "../../src/node/postgres/postgresStore";
import { createHttpStore } from "../../src/storage/httpStore";
import { BIG, bigBytes, MB, timedUploads } from "./bigUpload";
import { startJsonChild } from "./jsonChild";

const SECONDS = Number(process.argv[2] ?? 5);
const CONNECTIONS = [1, 32];
const HISTORY = [100, 10_000, 100_000];

const children: ChildProcess[] = [];
const temps: string[] = [];
const cluster = await startPostgres({ durable: true, settings: { shared_buffers: "256MB" } });
function cleanup() {
  for (const child of children) child.kill("SIGKILL");
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  cluster.stop();
}
process.on("exit", cleanup);
process.on("SIGINT", () => process.exit(130));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "dstack-bench-"));
  temps.push(dir);
  return dir;
}

let databases = 0;
async function newDatabase(): Promise<string> {
  const name = `bench_${++databases}`;
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return cluster.url.replace(/\/postgres$/, `/${name}`);
}

/** A child of this bench (see jsonChild.ts). */
const start = <T>(script: string, args: string[]) => startJsonChild<T>(script, args, children);

interface Target {
  name: string;
  /** API URLs; requests go to them in turn. */
  apis: string[];
  token: string;
}

interface Job {
  method: "GET" | "POST";
  path: string;
  body?: () => string;
}

interface Row {
  target: string;
  what: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** `connections` loops sending `job` for SECONDS, each request to the next API URL in turn. */
async function load(target: Target, what: string, connections: number, job: Job): Promise<Row> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  let turn = 0;
  const end = performance.now() + SECONDS * 1000;
  const once = (api: string) =>
    new Promise<void>((resolve) => {
      const url = new URL(`${api}${job.path}`);
      const body = job.body?.();
      const t0 = performance.now();
      const req = request(
        url,
        {
          method: job.method,
          agent,
          headers: {
            authorization: `Bearer ${target.token}`,
            ...(body === undefined
              ? {}
              : { "content-type": "application/json", "content-length": Buffer.byteLength(body) }),
          },
        },
        (res) => {
          res.on("data", () => {});
          res.on("end", () => {
            if (res.statusCode !== 200) errors++;
            latencies.push(performance.now() - t0);
            resolve();
          });
        },
      );
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) await once(target.apis[turn++ % target.apis.length] as string);
    }),
  );
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const row = {
    target: target.name,
    what,
    connections,
    rps: latencies.length / SECONDS,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
  };
  console.log(
    `  ${`${target.name}: ${what}`.padEnd(48)} ${String(connections).padStart(2)} conn  ${row.rps.toFixed(0).padStart(6)} req/s  ` +
      `p50 ${row.p50.toFixed(1)} ms  p99 ${row.p99.toFixed(1)} ms${errors ? `  ERRORS ${errors}` : ""}`,
  );
  return row;
}

const push: Job = (() => {
  let n = 0;
  const data = Buffer.from("x".repeat(1000)).toString("base64");
  return {
    method: "POST",
    path: "/stacks/push",
    // A new frame each time, over 32 stacks, as the file-store server bench does.
    body: () =>
      JSON.stringify({
        stack: `dstack/bench/push-${n++ % 32}`,
        id: randomUUID(),
        timestamp: Date.now(),
        attachments: [{ data, content_type: "text/plain", params: { n } }],
      }),
  };
})();

async function rowsFor(target: Target): Promise<Row[]> {
  const store = createHttpStore({ server: target.apis[0] as string, user: "dstack", token: target.token });
  const { frameId } = await store.push({
    stack: "bench/read",
    attachments: [0, 1, 2].map((i) => ({
      data: new TextEncoder().encode("y".repeat(1000)),
      contentType: "text/plain",
      params: { i },
    })),
  });
  const rows: Row[] = [];
  for (const c of CONNECTIONS) {
    rows.push(await load(target, "push (1 KB attachment)", c, push));
    rows.push(await load(target, "read stack", c, { method: "GET", path: "/stacks/dstack/bench/read" }));
    rows.push(
      await load(target, "read attachment (1 KB, inline)", c, {
        method: "GET",
        path: `/attachs/dstack/bench/read/${frameId}/0`,
      }),
    );
  }
  return rows;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Upload (push with `length` + PUT upload_url to `putTo`) and download (GET download_url) of 50 MB, MB/s. */
async function throughput(target: Target, label: string): Promise<Record<string, number>> {
  const [first, other = first] = target.apis as [string, string?];
  const store = createHttpStore({ server: first, user: "dstack", token: target.token });
  const bytes = bigBytes();
  const { frameId, mbPerSecond: uploads } = await timedUploads(store, bytes);
  const downloads: number[] = [];
  for (let i = 0; i < 5; i++) {
    const meta = (await (
      await fetch(`${first}/attachs/dstack/bench/big/${frameId}/0?download=true`, {
        headers: { authorization: `Bearer ${target.token}` },
      })
    ).json()) as { attachment: { download_url: string } };
    // From the other instance when there are two: the link works on any of them.
    const url = meta.attachment.download_url.replace(first, other as string);
    const t0 = performance.now();
    const got = await (await fetch(url)).arrayBuffer();
    downloads.push(BIG / MB / ((performance.now() - t0) / 1000));
    if (got.byteLength !== BIG) throw new Error("short download");
  }
  return {
    [`${label}: upload 50 MB (HttpStore.push)`]: median(uploads),
    [`${label}: download 50 MB (GET download_url)`]: median(downloads),
  };
}

/** PostgreSQL store, in this process: push and head read against `count` frames already in the stack. */
async function history(count: number): Promise<{ count: number; push: number; read: number }> {
  const database = await newDatabase();
  const store = createPostgresStore({ connectionString: database, user: "bench" });
  await store.push({
    stack: "bench/history",
    id: "f0",
    timestamp: 0,
    attachments: [{ data: new Uint8Array(100), contentType: "x/y" }],
  });
  // The rest of the history written in one statement: frame rows as pushes make them (bytes only for the head).
  await store.pool.query(
    `INSERT INTO dstack_frames (stack_id, id, seq, timestamp, message, params, attachments)
     SELECT s.id, 'f' || n, nextval('dstack_seq'), n * 1000, '"run"', '{}',
            '[{"index":0,"contentType":"x/y","params":{},"length":100}]'
       FROM dstack_stacks s, generate_series(1, $1::int - 1) n`,
    [count],
  );
  await store.pool.query("UPDATE dstack_stacks SET frame_count = $1", [count]);
  await store.pool.query("VACUUM ANALYZE");
  let next = count;
  const pushes: number[] = [];
  const reads: number[] = [];
  const one = () =>
    store.push({
      stack: "bench/history",
      id: `f${next}`,
      timestamp: next++ * 1000,
      attachments: [{ data: new Uint8Array(100), contentType: "x/y" }],
    });
  await one();
  await store.getStack("bench/history");
  for (let i = 0; i < 20; i++) {
    let t0 = performance.now();
    await one();
    pushes.push(performance.now() - t0);
    t0 = performance.now();
    const stack = await store.getStack("bench/history");
    reads.push(performance.now() - t0);
    if (stack.frames.length !== 50 || stack.frameCount !== next) throw new Error("unexpected head read");
  }
  await store.close();
  return { count, push: median(pushes), read: median(reads) };
}

const file = await start<{ apiUrl: string; token: string }>("./serverProcess.ts", [tempDir(), "fsync"]);
const database = await newDatabase();
const one = await start<{ apiUrl: string; token: string }>("./postgresServerProcess.ts", [database, tempDir()]);
const twoDatabase = await newDatabase();
const twoA = await start<{ apiUrl: string; token: string }>("./postgresServerProcess.ts", [twoDatabase, tempDir()]);
const twoB = await start<{ apiUrl: string; token: string }>("./postgresServerProcess.ts", [twoDatabase, tempDir()]);
const targets: Target[] = [
  { name: "file store, fsync on", apis: [file.apiUrl], token: file.token },
  { name: "PostgreSQL, 1 instance", apis: [one.apiUrl], token: one.token },
  { name: "PostgreSQL, 2 instances", apis: [twoA.apiUrl, twoB.apiUrl], token: twoA.token },
];

const rows: Row[] = [];
for (const target of targets) {
  console.log(target.name);
  rows.push(...(await rowsFor(target)));
}
const mbps: Record<string, number> = {};
for (const target of targets) Object.assign(mbps, await throughput(target, target.name));
for (const [what, value] of Object.entries(mbps)) console.log(`  ${what.padEnd(66)} ${value.toFixed(0)} MB/s`);
/** Push on one instance, `/events` on the other: ms from the push request's start to the event's arrival. */
async function eventDelay(a: string, b: string, token: string): Promise<{ p50: number; max: number }> {
  const listener = createHttpStore({ server: b, user: "dstack", token });
  const writer = createHttpStore({ server: a, user: "dstack", token });
  const waiting = new Map<string, () => void>();
  const off = listener.subscribe((event) => waiting.get(event.path)?.());
  // The stream is open once a change made on b arrives there.
  for (;;) {
    const heard = new Promise<boolean>((resolve) => {
      waiting.set("dstack/bench/warm", () => resolve(true));
      setTimeout(() => resolve(false), 500);
    });
    await createHttpStore({ server: b, user: "dstack", token }).push({
      stack: "bench/warm",
      attachments: [{ data: new Uint8Array(1), contentType: "x/y" }],
    });
    if (await heard) break;
  }
  const delays: number[] = [];
  for (let i = 0; i < 20; i++) {
    const path = `dstack/bench/event-${i}`;
    const t0 = performance.now();
    const heard = new Promise<void>((resolve) => waiting.set(path, resolve));
    await writer.push({ stack: `bench/event-${i}`, attachments: [{ data: new Uint8Array(1), contentType: "x/y" }] });
    await heard;
    delays.push(performance.now() - t0);
  }
  off();
  return { p50: median(delays), max: Math.max(...delays) };
}
const events = await eventDelay(twoA.apiUrl, twoB.apiUrl, twoA.token);
console.log(`  push on A → event on B's /events: p50 ${events.p50.toFixed(1)} ms, max ${events.max.toFixed(1)} ms`);
const histories = [];
for (const count of HISTORY) {
  const h = await history(count);
  histories.push(h);
  console.log(`  PostgreSQL store, ${count} frames: push ${h.push.toFixed(2)} ms, head read ${h.read.toFixed(2)} ms`);
}

console.log("\n| server | what | connections | req/s | p50 ms | p99 ms |\n|---|---|--:|--:|--:|--:|");
for (const r of rows) {
  console.log(
    `| ${r.target} | ${r.what} | ${r.connections} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`,
  );
}
console.log("\n| transfer | MB/s |\n|---|--:|");
for (const [what, value] of Object.entries(mbps)) console.log(`| ${what} | ${value.toFixed(0)} |`);
console.log(
  `\npush on one instance → /events on the other: p50 ${events.p50.toFixed(1)} ms, max ${events.max.toFixed(1)} ms`,
);
console.log("\n| PostgreSQL store | frames | push (median ms) | head read (median ms) |\n|---|--:|--:|--:|");
for (const h of histories)
  console.log(`| | ${h.count.toLocaleString("en-US")} | ${h.push.toFixed(2)} | ${h.read.toFixed(2)} |`);
if (rows.some((r) => r.errors > 0)) {
  console.error("some requests failed");
  process.exitCode = 1;
}
cleanup();
process.exit();
