// The schema, as numbered migrations applied in order at start. Two instances starting at once take turns on one
// advisory lock, so each migration runs once; each one runs in its own transaction with its version row, so a
// crash never leaves half a migration. A database newer than this code is refused rather than guessed at.
//
// Append-only by design: a push inserts one frame row (and its bytes in chunk rows) and updates one small stack
// row, so its cost does not depend on how many frames the stack already has.
import type { Pool, PoolClient } from "pg";
import { DstackError } from "../../model/errors";

/** Bytes in every chunk row of an attachment but its last (slices of an attachment find their chunks by this). */
export const CHUNK_BYTES = 512 * 1024;

/** pg_advisory_lock key of schema changes: "dstack" in ASCII. */
const MIGRATION_LOCK = 0x64737461636b;

export const MIGRATIONS: readonly string[] = [
  // 1: stacks, frames, attachment bytes, dashboards.
  `
  CREATE SEQUENCE dstack_seq;
  CREATE TABLE dstack_stacks (
    id bigserial PRIMARY KEY,
    owner text NOT NULL,
    name text NOT NULL,
    private boolean NOT NULL DEFAULT false,
    readme json,
    -- The head frame, copied here so listing stacks reads one row per stack.
    head text NOT NULL,
    head_timestamp double precision NOT NULL,
    head_seq bigint NOT NULL,
    head_message json,
    frame_count bigint NOT NULL DEFAULT 1,
    UNIQUE (owner, name)
  );
  CREATE TABLE dstack_frames (
    fid bigserial PRIMARY KEY,
    stack_id bigint NOT NULL REFERENCES dstack_stacks (id) ON DELETE CASCADE,
    id text NOT NULL,
    seq bigint NOT NULL,
    timestamp double precision NOT NULL,
    message json,
    params json NOT NULL,
    attachments json NOT NULL,
    UNIQUE (stack_id, id)
  );
  CREATE INDEX dstack_frames_order ON dstack_frames (stack_id, timestamp DESC, seq DESC);
  CREATE TABLE dstack_chunks (
    fid bigint NOT NULL REFERENCES dstack_frames (fid) ON DELETE CASCADE,
    idx integer NOT NULL,
    n integer NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (fid, idx, n)
  );
  -- Attachment bytes are often compressed already: stored out of line, uncompressed, so slices read only their part.
  ALTER TABLE dstack_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
  CREATE TABLE dstack_dashboards (
    owner text NOT NULL,
    id text NOT NULL,
    seq bigint NOT NULL,
    body json NOT NULL,
    PRIMARY KEY (owner, id)
  );
  `,
  // 2: users, tokens, login codes, shares, revocations and server settings (the URL-signing secret).
  `
  CREATE TABLE dstack_users (
    name text PRIMARY KEY,
    token text NOT NULL UNIQUE,
    login_code text,
    login_expires_at double precision,
    failed_count integer,
    failed_since double precision
  );
  CREATE TABLE dstack_shares (
    resource text NOT NULL,
    username text NOT NULL,
    PRIMARY KEY (resource, username)
  );
  CREATE TABLE dstack_revocations (
    resource text PRIMARY KEY,
    at double precision NOT NULL
  );
  CREATE TABLE dstack_settings (
    key text PRIMARY KEY,
    value text NOT NULL
  );
  `,
  // 3: which instance holds each upload session, so any instance can take its PUT upload_url (dropped by 4).
  `
  CREATE TABLE dstack_uploads (
    id text PRIMARY KEY,
    instance text NOT NULL,
    expires_at double precision NOT NULL
  );
  CREATE INDEX dstack_uploads_expiry ON dstack_uploads (expires_at);
  `,
  // 4: unfinished pushes themselves (replacing 3's routing to the instance that held them): the session, its
  // declared attachments and the bytes received so far, so any instance takes any request of a push.
  `
  DROP TABLE dstack_uploads;
  CREATE TABLE dstack_push_sessions (
    key text PRIMARY KEY,
    owner text NOT NULL,
    stack json NOT NULL,
    frame text NOT NULL,
    timestamp double precision NOT NULL,
    message json,
    params json NOT NULL,
    private boolean,
    size integer,
    expires_at double precision NOT NULL,
    -- Set while one instance stores the frame; a lease, so a killed committer does not hold it for ever.
    committing_until double precision,
    result json
  );
  CREATE INDEX dstack_push_sessions_owner ON dstack_push_sessions (owner);
  CREATE INDEX dstack_push_sessions_expiry ON dstack_push_sessions (expires_at);
  CREATE TABLE dstack_push_slots (
    session text NOT NULL REFERENCES dstack_push_sessions (key) ON DELETE CASCADE,
    idx integer NOT NULL,
    meta json NOT NULL,
    length bigint NOT NULL,
    upload_id text UNIQUE,
    -- Which attempt's chunks hold the bytes (NULL: none yet); a PUT writes under a new attempt, then points here.
    attempt text,
    PRIMARY KEY (session, idx)
  );
  CREATE TABLE dstack_push_chunks (
    session text NOT NULL REFERENCES dstack_push_sessions (key) ON DELETE CASCADE,
    idx integer NOT NULL,
    attempt text NOT NULL,
    n integer NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (session, idx, attempt, n)
  );
  ALTER TABLE dstack_push_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
  `,
];

/** The version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

async function versionOf(client: PoolClient): Promise<number> {
  await client.query(
    "CREATE TABLE IF NOT EXISTS dstack_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
  );
  const { rows } = await client.query<{ version: number | null }>("SELECT max(version) AS version FROM dstack_schema");
  return rows[0]?.version ?? 0;
}

/**
 * Brings the database to `to` (default: the latest version), holding the migration lock; answers the version
 * it found. Safe to call from every instance at every start.
 */
export async function migratePostgresSchema(pool: Pool, to: number = SCHEMA_VERSION): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      const found = await versionOf(client);
      if (found > SCHEMA_VERSION) {
        throw new DstackError(
          `the database has dstack schema version ${found}, newer than this dstack-kit knows (${SCHEMA_VERSION}): upgrade dstack-kit`,
          "schema_too_new",
          500,
        );
      }
      for (let version = found + 1; version <= to; version++) {
        await client.query("BEGIN");
        try {
          await client.query(MIGRATIONS[version - 1] as string);
          await client.query("INSERT INTO dstack_schema (version) VALUES ($1)", [version]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw error;
        }
      }
      return found;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
