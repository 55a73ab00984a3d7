// The reference server on loopback, loaded from a second process: the server runs in a child process, autocannon
// (the load generator) runs here. Pushes/s and reads/s at 1 and 32 connections with p50/p99 latency, for the
// server with fsync on (the default) and off, next to a plain node:http peer answering a fixed body; then upload
// and download throughput of one 50 MB attachment, next to node:http streaming the same bytes from a file.
// Run: npm run bench -- server   (or: node --import tsx bench/server/server.bench.ts [seconds])
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { createHttpStore } from "../../src/storage/httpStore";
import { BIG, bigBytes, MB, timedUploads } from "./bigUpload";
import { startJsonChild } from "./jsonChild";

const SECONDS = Number(process.argv[2] ?? 8);
const CONNECTIONS = [1, 32];

const children: ChildProcess[] = [];
const temps: string[] = [];
function cleanup() {
  for (const child of children) child.kill("SIGKILL");
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
}
process.on("exit", cleanup);

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "dstack-bench-"));
  temps.push(dir);
  return dir;
}

/** A child of this bench (see jsonChild.ts). */
const start = <T>(script: string, args: string[]) => startJsonChild<T>(script, args, children);

interface Row {
  what: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(
  what: string,
  url: string,
  connections: number,
  request: autocannon.Request,
  headers: Record<string, string>,
): Promise<Row> {
  const result = await autocannon({ url, connections, duration: SECONDS, headers, requests: [request] });
  const row = {
    what,
    connections,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
  console.log(
    `  ${what.padEnd(44)} ${String(connections).padStart(2)} conn  ${row.rps.toFixed(0).padStart(6)} req/s  ` +
      `p50 ${row.p50} ms  p99 ${row.p99} ms${row.errors ? `  ERRORS ${row.errors}` : ""}`,
  );
  return row;
}

const text = (s: string) => Buffer.from(s).toString("base64");

/** One push request per call: a new frame id each time, spread over 32 stacks so no history grows huge. */
function pushRequest(): autocannon.Request {
  let n = 0;
  const data = text("x".repeat(1000));
  return {
    method: "POST",
    path: "/api/stacks/push",
    setupRequest: (req) => ({
      ...req,
      headers: { ...req.headers, "content-type": "application/json" },
      body: JSON.stringify({
        stack: `dstack/bench/push-${n++ % 32}`,
        id: randomUUID(),
        timestamp: Date.now(),
        attachments: [{ data, content_type: "text/plain", params: { n } }],
      }),
    }),
  };
}

async function serverRows(mode: "fsync" | "nofsync"): Promise<Row[]> {
  const { apiUrl, token } = await start<{ apiUrl: string; token: string }>("./serverProcess.ts", [tempDir(), mode]);
  const origin = apiUrl.replace(/\/api$/, "");
  const headers = { authorization: `Bearer ${token}` };
  const store = createHttpStore({ server: apiUrl, user: "dstack", token });
  const { frameId } = await store.push({
    stack: "bench/read",
    attachments: [0, 1, 2].map((i) => ({
      data: new TextEncoder().encode("y".repeat(1000)),
      contentType: "text/plain",
      params: { i },
    })),
  });
  const rows: Row[] = [];
  console.log(`server (${mode === "fsync" ? "fsync on, the default" : "fsync off"})`);
  for (const c of CONNECTIONS) {
    rows.push(await load(`${mode}: push (1 KB attachment)`, origin, c, pushRequest(), headers));
    rows.push(
      await load(`${mode}: read stack`, origin, c, { method: "GET", path: "/api/stacks/dstack/bench/read" }, headers),
    );
    rows.push(
      await load(
        `${mode}: read attachment (1 KB, inline)`,
        origin,
        c,
        { method: "GET", path: `/api/attachs/dstack/bench/read/${frameId}/0` },
        headers,
      ),
    );
  }
  return rows;
}

async function baselineRows(): Promise<Row[]> {
  const body = JSON.stringify({ stack: { user: "dstack", name: "bench/read", private: false, frames: [] } });
  const { port } = await start<{ port: number }>("./baselineProcess.ts", ["json", body]);
  const rows: Row[] = [];
  console.log("baseline (plain node:http, fixed body)");
  for (const c of CONNECTIONS) {
    rows.push(await load("baseline: fixed JSON", `http://127.0.0.1:${port}`, c, { method: "GET", path: "/" }, {}));
  }
  return rows;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function throughput(): Promise<Record<string, number>> {
  const { apiUrl, token } = await start<{ apiUrl: string; token: string }>("./serverProcess.ts", [tempDir(), "fsync"]);
  const store = createHttpStore({ server: apiUrl, user: "dstack", token });
  const bytes = bigBytes();
  const file = join(tempDir(), "big.bin");
  writeFileSync(file, bytes);
  const { frameId, mbPerSecond: uploads } = await timedUploads(store, bytes);
  const raw: number[] = [];
  const viaStore: number[] = [];
  for (let i = 0; i < 5; i++) {
    const meta = (await (
      await fetch(`${apiUrl}/attachs/dstack/bench/big/${frameId}/0?download=true`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { attachment: { download_url: string } };
    let t0 = performance.now();
    const got = await (await fetch(meta.attachment.download_url)).arrayBuffer();
    raw.push(BIG / MB / ((performance.now() - t0) / 1000));
    if (got.byteLength !== BIG) throw new Error("short download");
    t0 = performance.now();
    const blob = await store.getAttachment("bench/big", frameId, 0);
    viaStore.push(BIG / MB / ((performance.now() - t0) / 1000));
    if (blob.size !== BIG) throw new Error("short read");
  }
  const { port } = await start<{ port: number }>("./baselineProcess.ts", ["file", file]);
  const base: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await (await fetch(`http://127.0.0.1:${port}/`)).arrayBuffer();
    base.push(BIG / MB / ((performance.now() - t0) / 1000));
  }
  return {
    "upload 50 MB (HttpStore.push: POST + PUT upload_url, fsync on)": median(uploads),
    "download 50 MB (GET download_url)": median(raw),
    "download 50 MB (HttpStore.getAttachment: JSON + download_url)": median(viaStore),
    "baseline: node:http piping the file": median(base),
  };
}

const rows = [...(await serverRows("fsync")), ...(await serverRows("nofsync")), ...(await baselineRows())];
console.log("throughput (median of runs)");
const mbps = await throughput();
for (const [what, value] of Object.entries(mbps)) console.log(`  ${what.padEnd(66)} ${value.toFixed(0)} MB/s`);

const baseline = (c: number) =>
  rows.find((r) => r.what.startsWith("baseline") && r.connections === c)?.rps ?? Number.NaN;
console.log("\n| what | connections | req/s | p50 ms | p99 ms | vs baseline |\n|---|---|---|---|---|---|");
for (const r of rows) {
  const ratio = r.what.startsWith("baseline") ? "1.00" : (r.rps / baseline(r.connections)).toFixed(2);
  console.log(`| ${r.what} | ${r.connections} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${ratio} |`);
}
console.log("\n| transfer | MB/s |\n|---|---|");
for (const [what, value] of Object.entries(mbps)) console.log(`| ${what} | ${value.toFixed(0)} |`);
if (rows.some((r) => r.errors > 0)) {
  console.error("some requests failed");
  process.exitCode = 1;
}
cleanup();
process.exit();
