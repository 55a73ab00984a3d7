// Unfinished pushes live in PostgreSQL: an upload URL one instance issued is finished by PUTs to another alone,
// also when the issuing instance was SIGKILLed before any PUT; a PUT cut off by a kill counts for nothing; the
// per-user limits count the pushes every instance holds; expired sessions and their bytes go in SQL.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDstackHandler } from "../protocol/handler";
import { createHttpStore } from "../storage/httpStore";
import { CHUNK_BYTES } from "./postgres/migrations";
import { createPostgresStore } from "./postgres/postgresStore";
import { createPostgresPushSessions } from "./postgres/pushSessions";
import { startKillableServer } from "./postgres/testing/killableServer";
import { postgresForTests } from "./postgres/testing/testDatabase";
import { type DstackServer, startServer } from "./server";
import { tempHomes } from "./testing/tempHome";
import { call } from "./testing/testServer";

const pgTest = postgresForTests();
const newHome = tempHomes();
let database = "";
let a: DstackServer;
let b: DstackServer;

// Small limits, the same on both instances: two open pushes, 3,000,000 declared bytes per user.
const limits = { maxOpenPushes: 2, maxOpenPushBytes: 3_000_000 };

beforeAll(async () => {
  database = await pgTest.newDatabase();
  [a, b] = (await Promise.all(
    [0, 1].map(() => startServer({ database, home: newHome(), port: 0, host: "127.0.0.1", fsync: false, ...limits })),
  )) as [DstackServer, DstackServer];
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

const pool = () => (b.store as unknown as { pool: pg.Pool }).pool;
const count = async (sql: string) => ((await pool().query<{ n: number }>(sql)).rows[0] as { n: number }).n;
/** Distinct bytes, so a chunk out of place shows. */
const pattern = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) % 251);
/** `url` with the other instance's origin: the same path on another host:port. */
const onOther = (url: string, other: { apiUrl: string }) =>
  url.replace(/^http:\/\/[^/]+/, new URL(other.apiUrl).origin);

async function announce(on: { apiUrl: string }, token: string, stack: string, id: string, lengths: number[]) {
  const answer = await call(on.apiUrl, "POST", "/stacks/push", {
    token,
    json: {
      stack,
      id,
      attachments: lengths.map((length) => ({ length, content_type: "application/octet-stream" })),
    },
  });
  return answer;
}

const uploadsOf = (answer: { body: Record<string, unknown> }) =>
  (answer.body.attachments as Array<{ index: number; upload_url: string }>).map((u) => u.upload_url);

/** POSTs a push announcement straight to `handler` (no server): `lengths` are the attachments' sizes. */
function announceTo(handler: (request: Request) => Promise<Response>, stack: string, id: string, lengths: number[]) {
  return handler(
    new Request("http://localhost/api/stacks/push", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ stack, id, attachments: lengths.map((length) => ({ length, content_type: "x/y" })) }),
    }),
  );
}

/**
 * A protocol handler (no server) on a fresh PostgreSQL database with its push sessions there, on a clock the test
 * moves: `advance(ms)`.
 */
async function handlerOnPostgres(options: Partial<Parameters<typeof createDstackHandler>[0]> = {}) {
  const store = createPostgresStore({ connectionString: await pgTest.newDatabase(), user: "dstack" });
  let clock = 1_000_000;
  const handler = createDstackHandler({
    store,
    now: () => clock,
    pushSessions: (l) => createPostgresPushSessions(store, l),
    ...options,
  });
  const advance = (ms: number) => {
    clock += ms;
  };
  return { store, handler, advance, now: () => clock };
}

/** The upload URLs of an announcement's answer, attachment by attachment. */
const uploadUrls = async (answer: Response) =>
  ((await answer.json()) as { attachments: Array<{ upload_url: string }> }).attachments.map((a) => a.upload_url);

async function expectFrame(token: string, user: string, stack: string, id: string, parts: Uint8Array[]) {
  const store = createHttpStore({ server: b.apiUrl, user, token });
  for (const [i, want] of parts.entries()) {
    const got = new Uint8Array(await (await store.getAttachment(stack, id, i)).arrayBuffer());
    expect(got.length).toBe(want.length);
    expect(Buffer.compare(Buffer.from(got), Buffer.from(want))).toBe(0);
  }
}

describe("unfinished pushes in PostgreSQL", () => {
  it("an upload URL issued by one instance is completed entirely by PUTs to another", async () => {
    const token = a.token;
    const parts = [pattern(CHUNK_BYTES * 2 + 123, 1), pattern(10, 2)];
    const announced = await announce(a, token, "dstack/elsewhere", "e-1", [parts[0]!.length, parts[1]!.length]);
    expect(announced.status).toBe(200);
    const uploads = uploadsOf(announced);
    expect(uploads.every((u) => u.startsWith(a.apiUrl))).toBe(true);
    // The session and its slots are rows, not a's memory.
    expect(await count("SELECT count(*)::int AS n FROM dstack_push_slots WHERE session = 'dstack/elsewhere#e-1'")).toBe(
      2,
    );
    const first = await call(b.apiUrl, "PUT", onOther(uploads[0] as string, b), { body: parts[0] });
    expect(first.status).toBe(200);
    // Staged, not stored: no partial frame.
    expect((await call(a.apiUrl, "GET", "/frames/dstack/elsewhere/e-1", { token })).status).toBe(404);
    expect(
      await count("SELECT count(*)::int AS n FROM dstack_push_chunks WHERE session = 'dstack/elsewhere#e-1'"),
    ).toBe(3);
    expect((await call(b.apiUrl, "PUT", onOther(uploads[1] as string, b), { body: parts[1] })).status).toBe(200);
    expect((await call(a.apiUrl, "GET", "/stacks/dstack/elsewhere", { token })).body.stack).toMatchObject({
      head: { id: "e-1" },
    });
    await expectFrame(token, "dstack", "elsewhere", "e-1", parts);
    // The staged bytes went with the commit; a retried PUT gets the same success and changes nothing.
    expect(await count("SELECT count(*)::int AS n FROM dstack_push_chunks")).toBe(0);
    expect((await call(a.apiUrl, "PUT", uploads[1] as string, { body: parts[1] })).status).toBe(200);
    expect(await count("SELECT count(*)::int AS n FROM dstack_frames WHERE id = 'e-1'")).toBe(1);
  });

  it("an instance SIGKILLed after the push answer and before any PUT: PUTs to another complete the push", {
    timeout: 60_000,
  }, async () => {
    const issuer = await startKillableServer(database, newHome());
    try {
      const parts = [pattern(700_000, 3), pattern(50_000, 4), pattern(1, 5)];
      const announced = await announce(
        issuer,
        issuer.token,
        "dstack/orphan",
        "o-1",
        parts.map((p) => p.length),
      );
      expect(announced.status).toBe(200);
      const uploads = uploadsOf(announced);
      await issuer.kill();
      // In parallel, as clients send them: exactly one of them stores the frame.
      const answers = await Promise.all(
        uploads.map((url, i) => call(b.apiUrl, "PUT", onOther(url, b), { body: parts[i] })),
      );
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
      await expectFrame(a.token, "dstack", "orphan", "o-1", parts);
      expect(await count("SELECT count(*)::int AS n FROM dstack_frames WHERE id = 'o-1'")).toBe(1);
    } finally {
      await issuer.kill();
    }
  });

  it("a PUT cut off by a SIGKILL counts for nothing; the same upload URL then works on another instance", {
    timeout: 60_000,
  }, async () => {
    const issuer = await startKillableServer(database, newHome());
    try {
      const whole = pattern(CHUNK_BYTES * 3, 6);
      const announced = await announce(issuer, issuer.token, "dstack/cut", "c-1", [whole.length]);
      const [url] = uploadsOf(announced) as [string];
      // Two chunks' worth sent, then the instance dies with the request open.
      let more: () => void = () => {};
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(whole.subarray(0, CHUNK_BYTES * 2));
          more = () => controller.close();
        },
      });
      const cut = call(issuer.apiUrl, "PUT", url, { body, headers: { "content-length": String(whole.length) } }).catch(
        (error: unknown) => error,
      );
      for (let i = 0; i < 200; i++) {
        if ((await count("SELECT count(*)::int AS n FROM dstack_push_chunks WHERE session = 'dstack/cut#c-1'")) >= 2) {
          break;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      await issuer.kill();
      more();
      await cut;
      // Its chunks are there but nothing points at them: the frame is not complete and not stored.
      expect((await call(b.apiUrl, "GET", "/frames/dstack/cut/c-1", { token: a.token })).status).toBe(404);
      expect(
        await count(
          "SELECT count(*)::int AS n FROM dstack_push_slots WHERE session = 'dstack/cut#c-1' AND attempt IS NOT NULL",
        ),
      ).toBe(0);
      expect((await call(b.apiUrl, "PUT", onOther(url, b), { body: whole })).status).toBe(200);
      await expectFrame(a.token, "dstack", "cut", "c-1", [whole]);
      // The dead attempt's chunks went with the session's bytes at the commit.
      expect(await count("SELECT count(*)::int AS n FROM dstack_push_chunks WHERE session = 'dstack/cut#c-1'")).toBe(0);
    } finally {
      await issuer.kill();
    }
  });

  it("count a user's open pushes and declared bytes over every instance (429 on b when a holds the maximum)", async () => {
    const token = a.addUser("quota");
    await a.users.flush();
    const one = await announce(a, token, "quota/sss", "q-1", [1_000_000]);
    const two = await announce(a, token, "quota/sss", "q-2", [1_000_000]);
    expect([one.status, two.status]).toEqual([200, 200]);
    const third = await announce(b, token, "quota/sss", "q-3", [10]);
    expect(third.status).toBe(429);
    expect(third.body.code).toBe("too_many_uploads");
    // Another user is not held back by quota's pushes.
    expect((await announce(b, a.token, "dstack/free", "f-1", [10])).status).toBe(200);
    // Finishing one push on b frees a place; bytes count over both instances too.
    expect(
      (await call(b.apiUrl, "PUT", onOther(uploadsOf(one)[0] as string, b), { body: pattern(1_000_000, 7) })).status,
    ).toBe(200);
    const tooBig = await announce(b, token, "quota/sss", "q-4", [2_000_001]);
    expect(tooBig.status).toBe(429);
    expect(String(tooBig.body.message)).toMatch(/would hold 3000001 bytes/);
    expect((await announce(b, token, "quota/sss", "q-5", [1_000_000])).status).toBe(200);
    // Eight first requests at once, split over both instances: exactly the limit's worth open.
    const racer = a.addUser("racer");
    await a.users.flush();
    const raced = await Promise.all(
      Array.from({ length: 8 }, (_, i) => announce(i % 2 ? b : a, racer, "racer/sss", `r-${i}`, [10])),
    );
    expect(raced.map((r) => r.status).sort()).toEqual([200, 200, 429, 429, 429, 429, 429, 429]);
  });
});

describe("a commit whose instance stopped", () => {
  it("is taken over once its lease runs out: the waiting PUT gets 503, its retry stores the frame", async () => {
    const { store, handler, advance, now } = await handlerOnPostgres();
    try {
      const [first, second] = await uploadUrls(await announceTo(handler, "dstack/lease", "l-1", [10, 20]));
      const put = (url: string | undefined, seed: number, n: number) =>
        handler(new Request(url as string, { method: "PUT", body: pattern(n, seed) }));
      expect((await put(first, 1, 10)).status).toBe(200);
      // Another instance took the commit and was killed: its lease stays in the row.
      await store.pool.query("UPDATE dstack_push_sessions SET committing_until = $1", [now() + 60_000]);
      // The PUT finds the commit under way: it reads its body away, then waits for the commit's answer.
      let drained: () => void = () => {};
      const bodyRead = new Promise<void>((resolve) => {
        drained = resolve;
      });
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) {
            controller.close();
            drained();
          } else {
            sent = true;
            controller.enqueue(pattern(20, 2));
          }
        },
      });
      const waiting = handler(new Request(second as string, { method: "PUT", body, duplex: "half" } as RequestInit));
      await bodyRead;
      advance(60_001);
      const answer = await waiting;
      expect(answer.status).toBe(503);
      expect(((await answer.json()) as { code: string }).code).toBe("commit_interrupted");
      expect((await put(second, 2, 20)).status).toBe(200);
      expect(new Uint8Array(await (await store.getAttachment("lease", "l-1", 1)).arrayBuffer())).toEqual(
        pattern(20, 2),
      );
    } finally {
      await handler.close();
      await store.close();
    }
  });
});

describe("expiry of unfinished pushes", () => {
  it("drops an expired session with its staged bytes, in SQL, and its upload URL answers 404", async () => {
    const { store, handler, advance } = await handlerOnPostgres({
      uploadTtlMs: 60_000,
      onError: (error) => console.error(error),
    });
    try {
      const [first, second] = await uploadUrls(await announceTo(handler, "dstack/late", "l-1", [10, 20]));
      expect((await handler(new Request(first as string, { method: "PUT", body: pattern(10, 1) }))).status).toBe(200);
      const rows = async (table: string) =>
        ((await store.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0] as { n: number }).n;
      expect(await rows("dstack_push_chunks")).toBe(1);
      advance(60_001);
      const late = await handler(new Request(second as string, { method: "PUT", body: pattern(20, 2) }));
      expect(late.status).toBe(404);
      // The next push sweeps it away.
      const other = await announceTo(handler, "dstack/late", "l-2", [5]);
      expect(other.status).toBe(200);
      expect(await rows("dstack_push_sessions")).toBe(1);
      expect(await rows("dstack_push_slots")).toBe(1);
      expect(await rows("dstack_push_chunks")).toBe(0);
    } finally {
      await handler.close();
      await store.close();
    }
  });
});
