// The StackStore on PostgreSQL. A stack is one small row (its head copied in, so listings read one row per
// stack); a frame is one row plus its bytes in chunk rows; a dashboard is one row. A push is one transaction:
// the frame row and its bytes go in first, the stack row moves its head last, and nothing is visible until the
// commit, so a killed process or a dropped connection leaves no partial frame. Pushes of one stack from many
// instances serialise only on the stack row's short update; the last to commit is the head.

import type { Pool, PoolClient } from "pg";
import pg from "pg";
import { newDashboard } from "../../model/dashboard";
import { dashboardChanges } from "../../model/dashboardChanges";
import {
  DashboardNotFoundError,
  DstackError,
  FrameNotFoundError,
  StackNotFoundError,
  throwIfAborted,
} from "../../model/errors";
import {
  attachmentNotFoundError,
  frameCountOption,
  frameExistsError,
  frameInfoOf,
  framePageOptions,
  frameSummary,
  stackInfoOf,
  stackSummaryOf,
} from "../../model/frameRecords";
import { FRAME_ID, normalizePush } from "../../model/normalizePush";
import type { Params } from "../../model/params";
import { checkStackPatch } from "../../model/stackPatch";
import { parseStackPath, type StackPath, validateUser } from "../../model/stackPath";
import type { FramePageOptions, ReadOptions, StackReadOptions, StackStore } from "../../model/stackStore";
import type {
  AttachmentInfo,
  Dashboard,
  DashboardPatch,
  FrameInfo,
  FramePage,
  FramePush,
  FrameSummary,
  PushOptions,
  PushResult,
  StackInfo,
  StackPatch,
  StackSummary,
  StoreEvent,
} from "../../model/types";
import { abortable } from "../../storage/abortable";
import { attachmentBlob, chunkWriter, READ_INTO_MEMORY } from "./chunkedBytes";
import { createEventHub, type EventHub } from "./events";
import { migratePostgresSchema } from "./migrations";
import { inTransaction, prepared } from "./sql";

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`; or pass `pool`. */
  connectionString?: string;
  /** A pool you manage (the store never ends it); or pass `connectionString`. */
  pool?: Pool;
  /** Connections in the pool the store makes; default 10. */
  maxConnections?: number;
  /** Default user for relative stack names and new dashboards; "dstack" when omitted. */
  user?: string;
  /** Apply the schema migrations on first use (default true); false expects an up-to-date schema. */
  migrate?: boolean;
  /** Told about background errors (the event connection dropping); default stderr. */
  onError?: (error: unknown) => void;
}

/** A store on PostgreSQL; `forUser` gives a view acting for another user on the same pool and events. */
export interface PostgresStore extends StackStore {
  readonly pool: Pool;
  forUser(user: string): PostgresStore;
  /** Applies migrations (once per store family); every call waits for it. */
  ready(): Promise<void>;
  /** Ends the event connection, and the pool when the store made it. Views share both: close the first store. */
  close(): Promise<void>;
}

interface Family {
  pool: Pool;
  ownsPool: boolean;
  events: EventHub;
  ready: () => Promise<void>;
}

interface StackRow {
  id: string;
  owner: string;
  name: string;
  private: boolean;
  readme: string | null;
  head: string;
  head_timestamp: number;
  head_seq: string;
  head_message: string | null;
  frame_count: string;
}

interface FrameRow {
  id: string;
  timestamp: number;
  message: string | null;
  params: Params;
  attachments: AttachmentInfo[];
}

const UNIQUE_VIOLATION = "23505";

const summaryOf = (row: { id: string; timestamp: number; message: string | null }): FrameSummary =>
  frameSummary(row.message === null ? { id: row.id, timestamp: row.timestamp } : { ...row, message: row.message });

const frameOf = (row: FrameRow): FrameInfo =>
  frameInfoOf({ ...summaryOf(row), params: row.params, attachments: row.attachments });

const stackRecord = (row: StackRow) =>
  row.readme === null
    ? { user: row.owner, name: row.name, private: row.private }
    : { user: row.owner, name: row.name, private: row.private, readme: row.readme };

/** JSON text for a `json` column (strings go as JSON so every character PostgreSQL text refuses, NUL too, fits). */
const asJson = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** `postgres://user:secret@host/db` → `postgres://user@host/db`. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}

function openFamily(options: PostgresStoreOptions): Family {
  const onError =
    options.onError ??
    ((error: unknown) => process.stderr.write(`dstack postgres: ${(error as Error)?.stack ?? error}\n`));
  let pool = options.pool;
  const ownsPool = pool === undefined;
  if (!pool) {
    if (!options.connectionString)
      throw new DstackError("createPostgresStore needs a connectionString or a pool", "bad_options", 500);
    pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
    // An idle connection the server drops (a restart, a failover) is replaced on next use, not a crash.
    pool.on("error", onError);
  }
  const pooled = pool;
  const events = createEventHub(pooled, onError);
  let migrated: Promise<void> | undefined;
  const ready = () => {
    if (!migrated) {
      const attempt = (async () => {
        try {
          if (options.migrate !== false) await migratePostgresSchema(pooled);
          await events.listen();
        } catch (error) {
          if (error instanceof DstackError) throw error;
          // Unreachable, refused, unknown database: say which database, never with its password.
          const where = options.connectionString ? ` ${withoutPassword(options.connectionString)}` : "";
          throw new DstackError(
            `cannot use the database${where}: ${(error as Error)?.message ?? error}`,
            "database_unavailable",
            503,
            {
              cause: error,
            },
          );
        }
      })();
      migrated = attempt;
      attempt.catch(() => {
        if (migrated === attempt) migrated = undefined;
      });
    }
    return migrated;
  };
  return { pool: pooled, ownsPool, events, ready };
}

/**
 * A StackStore on PostgreSQL: atomic pushes (one transaction per frame), bytes in chunks, change events between
 * every instance on the database (LISTEN/NOTIFY). Needs the `pg` package.
 * @example const store = createPostgresStore({ connectionString: process.env.DSTACK_DATABASE_URL });
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  return storeOn(openFamily(options), validateUser(options.user ?? "dstack"), true);
}

function storeOn(family: Family, user: string, owner: boolean): PostgresStore {
  const { pool, events, ready } = family;

  const resolveStack = async (stack: string) => {
    const s = parseStackPath(stack, user);
    await ready();
    return s;
  };

  /** Announces a committed change here; `notify` already queued it for the other instances. */
  const announce = (event: StoreEvent) => events.emit(event);

  async function readStackRow(db: Pool | PoolClient, s: StackPath, lock = false): Promise<StackRow> {
    const { rows } = await prepared<StackRow>(
      db,
      `SELECT * FROM dstack_stacks WHERE owner = $1 AND name = $2${lock ? " FOR NO KEY UPDATE" : ""}`,
      [s.user, s.name],
    );
    const row = rows[0];
    if (!row) throw new StackNotFoundError(s.path);
    return row;
  }

  async function getFrame(stack: string, id: string): Promise<FrameInfo> {
    const s = await resolveStack(stack);
    const { rows } = await prepared<FrameRow & { found: string | null }>(
      pool,
      `SELECT f.fid AS found, f.id, f.timestamp, f.message, f.params, f.attachments
         FROM dstack_stacks s LEFT JOIN dstack_frames f ON f.stack_id = s.id AND f.id = $3
        WHERE s.owner = $1 AND s.name = $2`,
      [s.user, s.name, typeof id === "string" ? id : ""],
    );
    const row = rows[0];
    if (!row) throw new StackNotFoundError(s.path);
    if (row.found === null) throw new FrameNotFoundError(s.path, String(id));
    return frameOf(row);
  }

  async function getStack(stack: string, count: number): Promise<StackInfo> {
    const s = await resolveStack(stack);
    // One statement, one snapshot: the head and the newest frames agree with the stack row. The frames come from
    // the (stack, timestamp, seq) index, newest first, so the cost is the page's, not the history's.
    const { rows } = await prepared<
      StackRow & { head_frame: FrameRow | null; frames: Array<[string, number, string | null]> | null }
    >(
      pool,
      `SELECT s.*,
              (SELECT json_build_object('id', f.id, 'timestamp', f.timestamp, 'message', f.message,
                                        'params', f.params, 'attachments', f.attachments)
                 FROM dstack_frames f WHERE f.stack_id = s.id AND f.id = s.head) AS head_frame,
              (SELECT json_agg(json_build_array(p.id, p.timestamp, p.message) ORDER BY p.timestamp DESC, p.seq DESC)
                 FROM (SELECT f.id, f.timestamp, f.message, f.seq FROM dstack_frames f WHERE f.stack_id = s.id
                        ORDER BY f.timestamp DESC, f.seq DESC LIMIT $3) p) AS frames
         FROM dstack_stacks s WHERE s.owner = $1 AND s.name = $2`,
      [s.user, s.name, Number.isFinite(count) ? count : null],
    );
    const row = rows[0];
    if (!row) throw new StackNotFoundError(s.path);
    const frames = (row.frames ?? []).map(([id, timestamp, message]) => summaryOf({ id, timestamp, message }));
    const head = row.head_frame ? frameOf(row.head_frame) : undefined;
    return stackInfoOf(stackRecord(row), s.path, head, frames, Number(row.frame_count));
  }

  async function listFrames(stack: string, page: FramePageOptions | undefined): Promise<FramePage> {
    const { before, limit } = framePageOptions(page);
    const s = await resolveStack(stack);
    const stackRow = await readStackRow(pool, s);
    let after: { timestamp: number; seq: string } | undefined;
    if (before !== undefined) {
      const { rows } = await prepared<{ timestamp: number; seq: string }>(
        pool,
        "SELECT timestamp, seq FROM dstack_frames WHERE stack_id = $1 AND id = $2",
        [stackRow.id, before],
      );
      after = rows[0];
      if (!after) throw new FrameNotFoundError(s.path, before);
    }
    // One row past the page tells whether older frames remain.
    const { rows } = await prepared<{ id: string; timestamp: number; message: string | null }>(
      pool,
      `SELECT id, timestamp, message FROM dstack_frames
        WHERE stack_id = $1 AND ($2::double precision IS NULL OR (timestamp, seq) < ($2, $3::bigint))
        ORDER BY timestamp DESC, seq DESC LIMIT $4`,
      [stackRow.id, after?.timestamp ?? null, after?.seq ?? null, Number.isFinite(limit) ? limit + 1 : null],
    );
    const more = Number.isFinite(limit) && rows.length > limit;
    return { frames: rows.slice(0, more ? limit : rows.length).map(summaryOf), more };
  }

  async function getAttachment(stack: string, frameId: string, index: number): Promise<Blob> {
    const s = await resolveStack(stack);
    const valid = Number.isInteger(index) && index >= 0;
    // One query: the stack, the frame, the attachment's metadata, and its bytes when they are small.
    const { rows } = await prepared<{
      fid: string | null;
      count: number;
      info: AttachmentInfo | null;
      data: Buffer | null;
    }>(
      pool,
      `SELECT f.fid, json_array_length(f.attachments) AS count, f.attachments -> $3::integer AS info,
              CASE WHEN (f.attachments -> $3::integer ->> 'length')::bigint <= $4 THEN
                (SELECT coalesce(string_agg(c.data, ''::bytea ORDER BY c.n), ''::bytea)
                   FROM dstack_chunks c WHERE c.fid = f.fid AND c.idx = $3::integer) END AS data
         FROM dstack_stacks s LEFT JOIN dstack_frames f ON f.stack_id = s.id AND f.id = $5
        WHERE s.owner = $1 AND s.name = $2`,
      [s.user, s.name, valid ? index : 0, READ_INTO_MEMORY, typeof frameId === "string" ? frameId : ""],
    );
    const row = rows[0];
    if (!row) throw new StackNotFoundError(s.path);
    if (row.fid === null || typeof frameId !== "string" || !FRAME_ID.test(frameId))
      throw new FrameNotFoundError(s.path, String(frameId));
    if (!valid || !row.info) throw attachmentNotFoundError(s.path, frameId, index, row.count);
    const type = row.info.contentType;
    if (row.data !== null) return new Blob([row.data as Uint8Array<ArrayBuffer>], { type });
    return attachmentBlob(pool, row.fid, index, row.info.length, type);
  }

  async function listStacks(owner: string): Promise<StackSummary[]> {
    validateUser(owner);
    await ready();
    const { rows } = await prepared<StackRow>(
      pool,
      "SELECT * FROM dstack_stacks WHERE owner = $1 ORDER BY head_timestamp DESC, head_seq DESC",
      [owner],
    );
    return rows.map((row) =>
      stackSummaryOf(
        stackRecord(row),
        `${row.owner}/${row.name}`,
        summaryOf({ id: row.head, timestamp: row.head_timestamp, message: row.head_message }),
      ),
    );
  }

  async function push(frame: FramePush, pushOptions?: PushOptions): Promise<PushResult> {
    const p = normalizePush(frame, user, pushOptions);
    const s = p.stack;
    const signal = pushOptions?.signal;
    await ready();
    throwIfAborted(signal);
    const event: StoreEvent = { type: "stack", path: s.path };
    await inTransaction(pool, async (client) => {
      const { rows: seqRows } = await client.query<{ seq: string }>("SELECT nextval('dstack_seq') AS seq");
      const seq = (seqRows[0] as { seq: string }).seq;
      const message = asJson(p.message);
      // A new stack's row goes in with this frame as its head; nobody sees it before the commit.
      const { rows: created } = await client.query<{ id: string }>(
        `INSERT INTO dstack_stacks (owner, name, private, head, head_timestamp, head_seq, head_message)
              VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (owner, name) DO NOTHING RETURNING id`,
        [s.user, s.name, p.private ?? false, p.id, p.timestamp, seq, message],
      );
      const stackId = created[0]?.id ?? (await readStackRow(client, s)).id;
      let fid: string;
      try {
        const { rows } = await client.query<{ fid: string }>(
          `INSERT INTO dstack_frames (stack_id, id, seq, timestamp, message, params, attachments)
                VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING fid`,
          [
            stackId,
            p.id,
            seq,
            p.timestamp,
            message,
            JSON.stringify(p.params),
            JSON.stringify(p.attachments.map((a) => a.info)),
          ],
        );
        fid = (rows[0] as { fid: string }).fid;
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw frameExistsError(s.path, p.id);
        throw error;
      }
      const writer = chunkWriter(client, fid);
      const total = p.attachments.length;
      for (let i = 0; i < total; i++) {
        await writer.write(i, (p.attachments[i] as (typeof p.attachments)[number]).blob);
        pushOptions?.onProgress?.(i + 1, total);
        throwIfAborted(signal);
      }
      await writer.flush();
      throwIfAborted(signal);
      // The commit point: the head moves with the frame, the access the push names with both. The frame takes its
      // final seq under the stack row's lock, held to the commit, so frames of equal timestamps list in commit
      // order and the head is the newest of them. (NO KEY UPDATE: the frame rows' foreign keys hold KEY SHARE.)
      await client.query(
        `WITH n AS (SELECT nextval('dstack_seq') AS seq
                      FROM (SELECT id FROM dstack_stacks WHERE id = $1 FOR NO KEY UPDATE) locked),
              f AS (UPDATE dstack_frames SET seq = n.seq FROM n WHERE fid = $7)
         UPDATE dstack_stacks s SET head = $2, head_timestamp = $3, head_seq = n.seq, head_message = $4,
                private = COALESCE($5, s.private), frame_count = s.frame_count + $6
           FROM n WHERE s.id = $1`,
        [stackId, p.id, p.timestamp, message, p.private ?? null, created[0] ? 0 : 1, fid],
      );
      await events.notify(client, event);
    });
    announce(event);
    return { url: `postgres:${s.path}`, stack: s.path, frameId: p.id };
  }

  async function updateStack(stack: string, patch: StackPatch): Promise<void> {
    const fields = checkStackPatch(patch);
    const s = await resolveStack(stack);
    const event: StoreEvent = { type: "stack", path: s.path };
    await inTransaction(pool, async (client) => {
      const row = await readStackRow(client, s, true);
      if (fields.head !== undefined) {
        const { rows } = await client.query<{ timestamp: number; seq: string; message: string | null }>(
          "SELECT timestamp, seq, message FROM dstack_frames WHERE stack_id = $1 AND id = $2",
          [row.id, fields.head],
        );
        const head = rows[0];
        if (!head) throw new FrameNotFoundError(s.path, fields.head);
        await client.query(
          "UPDATE dstack_stacks SET head = $2, head_timestamp = $3, head_seq = $4, head_message = $5 WHERE id = $1",
          [row.id, fields.head, head.timestamp, head.seq, asJson(head.message ?? undefined)],
        );
      }
      if (fields.private !== undefined)
        await client.query("UPDATE dstack_stacks SET private = $2 WHERE id = $1", [row.id, fields.private]);
      if (fields.readme !== undefined)
        await client.query("UPDATE dstack_stacks SET readme = $2 WHERE id = $1", [row.id, asJson(fields.readme)]);
      await events.notify(client, event);
    });
    announce(event);
  }

  async function deleteStack(stack: string): Promise<void> {
    const s = await resolveStack(stack);
    const event: StoreEvent = { type: "stack", path: s.path };
    await inTransaction(pool, async (client) => {
      // Frames and bytes go with it (ON DELETE CASCADE), in the same commit.
      const { rowCount } = await client.query("DELETE FROM dstack_stacks WHERE owner = $1 AND name = $2", [
        s.user,
        s.name,
      ]);
      if (!rowCount) throw new StackNotFoundError(s.path);
      await events.notify(client, event);
    });
    announce(event);
  }

  async function readDashboard(db: Pool | PoolClient, owner: string, id: string, lock = false): Promise<Dashboard> {
    validateUser(owner);
    if (typeof id !== "string" || !FRAME_ID.test(id)) throw new DashboardNotFoundError(owner, String(id));
    const { rows } = await db.query<{ body: Dashboard }>(
      `SELECT body FROM dstack_dashboards WHERE owner = $1 AND id = $2${lock ? " FOR UPDATE" : ""}`,
      [owner, id],
    );
    const row = rows[0];
    if (!row) throw new DashboardNotFoundError(owner, id);
    return row.body;
  }

  // Each change reads the dashboard's row locked, applies the model's rule and writes it back, in one transaction.
  const changes = dashboardChanges(user, async (owner, id, apply) => {
    await ready();
    const event: StoreEvent = { type: "dashboard", path: `${owner}/${id}` };
    const next = await inTransaction(pool, async (client) => {
      const dashboard = apply(await readDashboard(client, owner, id, true));
      await client.query("UPDATE dstack_dashboards SET body = $3 WHERE owner = $1 AND id = $2", [
        owner,
        id,
        JSON.stringify(dashboard),
      ]);
      await events.notify(client, event);
      return dashboard;
    });
    announce(event);
    return next;
  });

  const store: PostgresStore = {
    user,
    pool,
    forUser: (other) => storeOn(family, validateUser(other), false),
    ready,
    listStacks: (owner = user, read?: ReadOptions) => abortable(read?.signal, () => listStacks(owner)),
    getStack: (stack, read?: StackReadOptions) =>
      abortable(read?.signal, () => getStack(stack, frameCountOption(read?.frames))),
    listFrames: (stack, page?: FramePageOptions) => abortable(page?.signal, () => listFrames(stack, page)),
    getFrame: (stack, frameId, read?: ReadOptions) => abortable(read?.signal, () => getFrame(stack, frameId)),
    getAttachment: (stack, frameId, index, read?: ReadOptions) =>
      abortable(read?.signal, () => getAttachment(stack, frameId, index)),
    push,
    updateStack,
    deleteStack,
    listDashboards: (owner = user, read?: ReadOptions) =>
      abortable(read?.signal, async () => {
        validateUser(owner);
        await ready();
        const { rows } = await pool.query<{ body: Dashboard }>(
          "SELECT body FROM dstack_dashboards WHERE owner = $1 ORDER BY seq DESC",
          [owner],
        );
        return rows.map((r) => r.body);
      }),
    getDashboard: (owner, id, read?: ReadOptions) =>
      abortable(read?.signal, async () => {
        await ready();
        return readDashboard(pool, owner, id);
      }),
    async createDashboard(init: DashboardPatch = {}) {
      const dashboard = newDashboard(user, init);
      await ready();
      const event: StoreEvent = { type: "dashboard", path: `${user}/${dashboard.id}` };
      await inTransaction(pool, async (client) => {
        await client.query(
          "INSERT INTO dstack_dashboards (owner, id, seq, body) VALUES ($1, $2, nextval('dstack_seq'), $3)",
          [user, dashboard.id, JSON.stringify(dashboard)],
        );
        await events.notify(client, event);
      });
      announce(event);
      return structuredClone(dashboard);
    },
    async deleteDashboard(owner, id) {
      await ready();
      const event: StoreEvent = { type: "dashboard", path: `${owner}/${id}` };
      await inTransaction(pool, async (client) => {
        await readDashboard(client, owner, id, true);
        await client.query("DELETE FROM dstack_dashboards WHERE owner = $1 AND id = $2", [owner, id]);
        await events.notify(client, event);
      });
      announce(event);
    },
    ...changes,
    subscribe: (listener) => events.subscribe(listener),
    async close() {
      if (!owner) return;
      await events.close();
      if (family.ownsPool) await pool.end();
    },
  };
  return store;
}
