// Unfinished pushes in PostgreSQL, so several server instances act as one: a session row (the frame's fields, its
// expiry, who is committing it, the answer once stored), a row per declared attachment (its upload id and which
// attempt's bytes count), and the bytes received so far in chunk rows. Any instance takes any request of a push;
// the one whose request completes the frame stores it, once (a lease in the session row), and a killed instance
// leaves only rows that the next request, or the expiry sweep, deals with. Limits are counted over every instance.
import type { Pool, PoolClient } from "pg";
import { DstackError } from "../../model/errors";
import type { StackPath } from "../../model/stackPath";
import type { PushResult } from "../../model/types";
import type { PushSessionStore, SessionLimits } from "../../protocol/pushSessionStore";
import { newUploadId, type PushSession, quotaError, type SessionSlot, sessionKey } from "../../protocol/pushSessions";
import { readExactly } from "../../protocol/readBody";
import { chunkCutter, chunkRangeBlob, stagedChunksOf } from "./chunkedBytes";
import { CHUNK_BYTES } from "./migrations";
import type { PostgresStore } from "./postgresStore";
import { inTransaction, prepared } from "./sql";

/** How long a commit may run before another instance may take it over (its instance was killed, say). */
const COMMIT_LEASE_MS = 10 * 60 * 1000;
/** How often a request waiting for another instance's commit looks again. */
const POLL_MS = 25;

const uploadNotFound = () =>
  new DstackError("upload not found (unknown or expired upload_url)", "upload_not_found", 404);
const FOREIGN_KEY_VIOLATION = "23503";

interface SessionRow {
  key: string;
  stack: StackPath;
  frame: string;
  timestamp: number;
  message: string | null;
  params: PushSession["params"];
  private: boolean | null;
  size: number | null;
  expires_at: number;
  committing_until: number | null;
  result: PushResult | null;
}

interface SlotRow {
  idx: number;
  meta: SessionSlot["meta"];
  upload_id: string | null;
  attempt: string | null;
}

/** Bytes [start, end) of one attempt's chunks, one query (only the needed part of each chunk leaves the server). */
async function readStaged(pool: Pool, key: string, idx: number, attempt: string, start: number, end: number) {
  if (end <= start) return [];
  const { rows } = await prepared<{ data: Buffer }>(
    pool,
    `SELECT substring(data FROM greatest($4::bigint - n::bigint * $6, 0)::integer + 1
                      FOR (least($5::bigint - n::bigint * $6, $6) - greatest($4::bigint - n::bigint * $6, 0))::integer) AS data
       FROM dstack_push_chunks WHERE session = $1 AND idx = $2 AND attempt = $3 AND n BETWEEN $7 AND $8 ORDER BY n`,
    [key, idx, attempt, start, end, CHUNK_BYTES, Math.floor(start / CHUNK_BYTES), Math.floor((end - 1) / CHUNK_BYTES)],
  );
  return rows.map((r) => r.data);
}

/**
 * Writes one chunk of a PUT in a transaction of its own that does not wait for the disk: the chunks count only
 * once the finishing transaction (durable, as every commit) points the slot at them, and its WAL flush carries
 * theirs along. A database crash before it loses only a PUT nobody was answered for.
 */
async function stageChunk(pool: Pool, key: string, idx: number, attempt: string, n: number, data: Buffer) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL synchronous_commit TO off");
    await prepared(
      client,
      "INSERT INTO dstack_push_chunks (session, idx, attempt, n, data) VALUES ($1, $2, $3, $4, $5)",
      [key, idx, attempt, n, data],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Points slot `idx` at `attempt`'s chunks and deletes the chunks it pointed at before. Only those: another PUT of
 * the same slot may be writing its own attempt right now (its chunks go when it fails, or with the session).
 */
async function replaceAttempt(client: PoolClient, key: string, idx: number, attempt: string): Promise<void> {
  const { rows } = await client.query<{ attempt: string | null }>(
    "SELECT attempt FROM dstack_push_slots WHERE session = $1 AND idx = $2 FOR UPDATE",
    [key, idx],
  );
  const previous = rows[0]?.attempt;
  if (previous) {
    await client.query("DELETE FROM dstack_push_chunks WHERE session = $1 AND idx = $2 AND attempt = $3", [
      key,
      idx,
      previous,
    ]);
  }
  await client.query("UPDATE dstack_push_slots SET attempt = $3 WHERE session = $1 AND idx = $2", [key, idx, attempt]);
}

/**
 * A push-session store in the database of `store` (the PostgreSQL store: its pool, and its migrations applied
 * before the first query), for the handler's `pushSessions` option.
 */
export function createPostgresPushSessions(
  store: Pick<PostgresStore, "pool" | "ready">,
  limits: SessionLimits,
): PushSessionStore {
  const sessions = postgresPushSessions(store.pool, limits);
  const wrapped = {} as Record<string, unknown>;
  for (const [name, call] of Object.entries(sessions)) {
    wrapped[name] = async (...args: unknown[]) => {
      await store.ready();
      return (call as (...a: unknown[]) => Promise<unknown>)(...args);
    };
  }
  return wrapped as unknown as PushSessionStore;
}

function postgresPushSessions(pool: Pool, limits: SessionLimits): PushSessionStore {
  const { ttlMs, now } = limits;
  /** Blobs read from chunk rows: `save` writes only the others (inline bytes a request brought). */
  const stored = new WeakSet<Blob>();
  /** The commit lease of a loaded session, as it was when loaded. */
  const leases = new WeakMap<PushSession, number | null>();

  async function load(db: Pool | PoolClient, key: string): Promise<PushSession | undefined> {
    const { rows } = await db.query<SessionRow>("SELECT * FROM dstack_push_sessions WHERE key = $1", [key]);
    const row = rows[0];
    if (!row) return undefined;
    const { rows: slotRows } = await db.query<SlotRow>(
      "SELECT idx, meta, upload_id, attempt FROM dstack_push_slots WHERE session = $1",
      [key],
    );
    const session: PushSession = {
      key,
      stack: row.stack,
      id: row.frame,
      timestamp: row.timestamp,
      params: row.params,
      slots: new Map(),
      expires: row.expires_at,
    };
    if (row.message !== null) session.message = row.message;
    if (row.private !== null) session.private = row.private;
    if (row.size !== null) session.size = row.size;
    if (row.result !== null) session.result = row.result;
    leases.set(session, row.committing_until);
    for (const s of slotRows) {
      const slot: SessionSlot = { meta: s.meta };
      if (s.upload_id !== null) slot.uploadId = s.upload_id;
      const attempt = s.attempt;
      if (attempt !== null && row.result === null) {
        slot.blob = chunkRangeBlob(
          (start, end) => readStaged(pool, key, s.idx, attempt, start, end),
          s.meta.length,
          s.meta.contentType,
          `upload ${s.upload_id ?? s.idx} of ${key}`,
        );
        stored.add(slot.blob);
        stagedChunksOf.set(slot.blob, { session: key, idx: s.idx, attempt });
      }
      session.slots.set(s.idx, slot);
    }
    return session;
  }

  /** Expired sessions go, their bytes with them (cascade); one being committed waits for its lease to end. */
  async function sweep(): Promise<void> {
    await pool.query(
      `DELETE FROM dstack_push_sessions
        WHERE expires_at < $1 AND (committing_until IS NULL OR committing_until < $1)`,
      [now()],
    );
  }

  async function leaseOf(key: string) {
    const { rows } = await pool.query<{ result: PushResult | null; committing_until: number | null }>(
      "SELECT result, committing_until FROM dstack_push_sessions WHERE key = $1",
      [key],
    );
    return rows[0];
  }

  return {
    async get(stack, id) {
      const key = sessionKey(stack.path, id);
      const session = await load(pool, key);
      if (!session) return undefined;
      const at = now();
      if (session.expires >= at) return session;
      // Past its expiry but being committed: the commit's answer is still to come.
      const lease = leases.get(session) ?? null;
      return lease !== null && lease >= at && !session.result ? session : undefined;
    },
    async create(stack, id, timestamp) {
      await sweep();
      const key = sessionKey(stack.path, id);
      await inTransaction(pool, async (client) => {
        // A committed session of the same frame (kept for retries) makes way.
        await client.query("DELETE FROM dstack_push_sessions WHERE key = $1", [key]);
        // checkQuota counted before; instances creating sessions of one user at once take turns here and count
        // again, so together they never pass the limit on open pushes.
        await client.query("SELECT pg_advisory_xact_lock(hashtext('dstack_push_sessions:' || $1))", [stack.user]);
        const { rows } = await client.query<{ count: number }>(
          "SELECT count(*)::int AS count FROM dstack_push_sessions WHERE owner = $1 AND result IS NULL",
          [stack.user],
        );
        const refused = quotaError(stack.user, limits, rows[0]?.count ?? 0, 0, true);
        if (refused) throw refused;
        await client.query(
          `INSERT INTO dstack_push_sessions (key, owner, stack, frame, timestamp, params, expires_at)
                VALUES ($1, $2, $3, $4, $5, '{}', $6) ON CONFLICT (key) DO NOTHING`,
          [key, stack.user, JSON.stringify(stack), id, timestamp, now() + ttlMs],
        );
      });
      return (await load(pool, key)) as PushSession;
    },
    async checkQuota(user, session, extraBytes) {
      await sweep();
      const { rows } = await pool.query<{ count: number; bytes: string }>(
        `SELECT count(*)::int AS count,
                coalesce(sum((SELECT coalesce(sum(length), 0) FROM dstack_push_slots WHERE session = s.key)), 0)::text AS bytes
           FROM dstack_push_sessions s WHERE owner = $1 AND result IS NULL`,
        [user],
      );
      const count = rows[0]?.count ?? 0;
      const bytes = Number(rows[0]?.bytes ?? 0) + extraBytes;
      const refused = quotaError(user, limits, count, bytes, !session);
      if (refused) throw refused;
    },
    async uploadIdFor(session, index) {
      const slot = session.slots.get(index);
      if (!slot) throw new Error(`no slot ${index}`);
      slot.uploadId ??= newUploadId();
      return slot.uploadId;
    },
    async save(session) {
      await inTransaction(pool, async (client) => {
        const { rowCount } = await client.query(
          `UPDATE dstack_push_sessions SET message = $2, params = $3, private = $4, size = $5, expires_at = $6
            WHERE key = $1`,
          [
            session.key,
            session.message === undefined ? null : JSON.stringify(session.message),
            JSON.stringify(session.params),
            session.private ?? null,
            session.size ?? null,
            session.expires,
          ],
        );
        if (!rowCount) throw uploadNotFound();
        for (const [idx, slot] of session.slots) {
          // An upload id handed out first (by any instance) stays.
          const { rows } = await client.query<{ upload_id: string | null }>(
            `INSERT INTO dstack_push_slots (session, idx, meta, length, upload_id) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (session, idx) DO UPDATE SET upload_id = coalesce(dstack_push_slots.upload_id, EXCLUDED.upload_id)
             RETURNING upload_id`,
            [session.key, idx, JSON.stringify(slot.meta), slot.meta.length, slot.uploadId ?? null],
          );
          if (rows[0]?.upload_id) slot.uploadId = rows[0].upload_id;
          if (slot.blob && !stored.has(slot.blob)) {
            // Inline bytes (the `index`/`size` form): small, written in this transaction.
            const attempt = newUploadId();
            const cutter = chunkCutter(async (n, data) => {
              await client.query(
                "INSERT INTO dstack_push_chunks (session, idx, attempt, n, data) VALUES ($1, $2, $3, $4, $5)",
                [session.key, idx, attempt, n, data],
              );
            }, slot.blob.size);
            await cutter.add(new Uint8Array(await slot.blob.arrayBuffer()));
            await cutter.end();
            await replaceAttempt(client, session.key, idx, attempt);
            stored.add(slot.blob);
          }
        }
      });
    },
    async byUpload(uploadId) {
      const { rows } = await pool.query<{ session: string; idx: number }>(
        "SELECT session, idx FROM dstack_push_slots WHERE upload_id = $1",
        [uploadId],
      );
      const found = rows[0];
      if (!found) return undefined;
      const session = await load(pool, found.session);
      if (!session || session.expires < now()) return undefined;
      return { session, index: found.idx };
    },
    async receive(session, index, body) {
      const slot = session.slots.get(index);
      if (!slot) throw new Error(`no slot ${index}`);
      const lease = await leaseOf(session.key);
      if (!lease) throw uploadNotFound();
      if (lease.result || (lease.committing_until !== null && lease.committing_until >= now())) {
        return { staged: false, session };
      }
      // The bytes go in under an attempt of their own, outside any transaction (a slow client holds no
      // connection); only the last step points the slot at them, so a failed or killed PUT counts for nothing.
      const attempt = newUploadId();
      const forget = () =>
        pool
          .query("DELETE FROM dstack_push_chunks WHERE session = $1 AND idx = $2 AND attempt = $3", [
            session.key,
            index,
            attempt,
          ])
          .catch(() => {});
      try {
        // One chunk's INSERT runs while the next is read (two chunks in memory at most).
        let inflight: Promise<void> = Promise.resolve();
        const cutter = chunkCutter(async (n, data) => {
          await inflight;
          inflight = stageChunk(pool, session.key, index, attempt, n, data);
          inflight.catch(() => {});
        }, slot.meta.length);
        await readExactly(body, slot.meta.length, (chunk) => cutter.add(chunk));
        await cutter.end();
        await inflight;
      } catch (error) {
        await forget();
        // The session went (expired, dropped) while the bytes came.
        if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) throw uploadNotFound();
        throw error;
      }
      const staged = await inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ result: PushResult | null; committing_until: number | null }>(
          "SELECT result, committing_until FROM dstack_push_sessions WHERE key = $1 FOR UPDATE",
          [session.key],
        );
        const now$ = now();
        const row = rows[0];
        if (!row) throw uploadNotFound();
        // Committing (or committed) with earlier bytes of this slot: these are not needed.
        if (row.result || (row.committing_until !== null && row.committing_until >= now$)) {
          await client.query("DELETE FROM dstack_push_chunks WHERE session = $1 AND idx = $2 AND attempt = $3", [
            session.key,
            index,
            attempt,
          ]);
          return false;
        }
        await replaceAttempt(client, session.key, index, attempt);
        await client.query("UPDATE dstack_push_sessions SET expires_at = $2 WHERE key = $1", [
          session.key,
          now$ + ttlMs,
        ]);
        return true;
      }).catch(async (error: unknown) => {
        await forget();
        throw error;
      });
      const fresh = await load(pool, session.key);
      if (!fresh) throw uploadNotFound();
      return { staged, session: fresh };
    },
    async commitOnce(session, work) {
      for (;;) {
        const at = now();
        const { rows } = await pool.query(
          `UPDATE dstack_push_sessions SET committing_until = $2
            WHERE key = $1 AND result IS NULL AND (committing_until IS NULL OR committing_until < $3) RETURNING key`,
          [session.key, at + COMMIT_LEASE_MS, at],
        );
        if (rows.length > 0) {
          let result: PushResult;
          try {
            // The bytes as they are now: a PUT of the same slot finishing before the lease was taken replaced (and
            // deleted) the ones this snapshot points at; none can change while the lease is held.
            const fresh = await load(pool, session.key);
            if (!fresh) throw uploadNotFound();
            session.slots = fresh.slots;
            result = await work();
          } catch (error) {
            await pool
              .query("UPDATE dstack_push_sessions SET committing_until = NULL WHERE key = $1", [session.key])
              .catch(() => {});
            throw error;
          }
          // Kept until it expires, so retried requests get the same answer; the bytes go now.
          await inTransaction(pool, async (client) => {
            await client.query(
              "UPDATE dstack_push_sessions SET result = $2, committing_until = NULL, expires_at = $3 WHERE key = $1",
              [session.key, JSON.stringify(result), now() + ttlMs],
            );
            await client.query("DELETE FROM dstack_push_chunks WHERE session = $1", [session.key]);
            await client.query("UPDATE dstack_push_slots SET attempt = NULL WHERE session = $1", [session.key]);
          });
          session.result = result;
          return result;
        }
        const lease = await leaseOf(session.key);
        // Gone: the frame was refused by the store on another instance (that request got the reason).
        if (!lease) throw uploadNotFound();
        if (lease.result) return lease.result;
        if (lease.committing_until !== null) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
    async settled(session) {
      for (;;) {
        const lease = await leaseOf(session.key);
        if (!lease || lease.result) return;
        if (lease.committing_until === null || lease.committing_until < now()) {
          // The commit failed, or its instance stopped: not stored, and this request's bytes were not taken.
          throw new DstackError(
            "the frame of this upload was not stored (its commit failed or was interrupted); send the upload again",
            "commit_interrupted",
            503,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
    async drop(session) {
      await pool.query("DELETE FROM dstack_push_sessions WHERE key = $1", [session.key]);
    },
    async close() {},
  };
}
