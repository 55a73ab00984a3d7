// The schema's migrations on a real PostgreSQL: from an empty database, from every earlier version with data in
// it, by several instances at once (one advisory lock), and a database newer than the code is refused.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { MIGRATIONS, migratePostgresSchema, SCHEMA_VERSION } from "./postgres/migrations";
import { createPostgresStore } from "./postgres/postgresStore";
import { openPostgresUserRegistry } from "./postgres/postgresUsers";
import { createPostgresPushSessions } from "./postgres/pushSessions";
import { postgresForTests } from "./postgres/testing/testDatabase";

const pgTest = postgresForTests();

async function withPool<T>(url: string, work: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

const versions = async (pool: pg.Pool) =>
  (await pool.query<{ version: number }>("SELECT version FROM dstack_schema ORDER BY version")).rows.map(
    (r) => r.version,
  );

describe("schema migrations", () => {
  it("bring an empty database to the latest version, once", async () => {
    const url = await pgTest.newDatabase();
    await withPool(url, async (pool) => {
      expect(await migratePostgresSchema(pool)).toBe(0);
      expect(await versions(pool)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
      expect(await migratePostgresSchema(pool)).toBe(SCHEMA_VERSION);
      expect(await versions(pool)).toHaveLength(SCHEMA_VERSION);
    });
  });

  it("bring every earlier version to the latest, keeping the data it holds", async () => {
    for (let from = 1; from < SCHEMA_VERSION; from++) {
      const url = await pgTest.newDatabase();
      await withPool(url, async (pool) => {
        await migratePostgresSchema(pool, from);
        expect(await versions(pool)).toHaveLength(from);
        // Data of that version: a stack with a frame and its bytes (version 1 on).
        const old = createPostgresStore({ pool, user: "olduser", migrate: false });
        await old.push({
          stack: "kept",
          id: "f-1",
          attachments: [{ data: new Uint8Array([1, 2, 3]), contentType: "x/y" }],
        });
        await old.close();
        expect(await migratePostgresSchema(pool)).toBe(from);
        const store = createPostgresStore({ pool, user: "olduser" });
        expect((await store.getStack("kept")).head?.id).toBe("f-1");
        expect(new Uint8Array(await (await store.getAttachment("kept", "f-1", 0)).arrayBuffer())).toEqual(
          new Uint8Array([1, 2, 3]),
        );
        // And what the later versions added works.
        const users = openPostgresUserRegistry(pool);
        expect(await users.authenticate(await users.addUser("olduser"))).toBe("olduser");
        await store.close();
      });
    }
  });

  it("4: move unfinished pushes into the database, dropping 3's table of which instance held them", async () => {
    const url = await pgTest.newDatabase();
    await withPool(url, async (pool) => {
      await migratePostgresSchema(pool, 3);
      await pool.query("INSERT INTO dstack_uploads (id, instance, expires_at) VALUES ('u1', 'http://gone:1', 1)");
      expect(await migratePostgresSchema(pool)).toBe(3);
      const { rows } = await pool.query("SELECT to_regclass('dstack_uploads') AS t");
      expect(rows[0]).toEqual({ t: null });
      const store = createPostgresStore({ pool, user: "olduser" });
      const sessions = createPostgresPushSessions(store, {
        ttlMs: 60_000,
        maxSessions: 1,
        maxBytes: 10,
        now: () => 1000,
      });
      const stack = { user: "olduser", name: "kept", path: "olduser/kept" };
      const session = await sessions.create(stack, "f-2", 5);
      session.slots.set(0, { meta: { contentType: "x/y", params: {}, length: 3 } });
      const uploadId = await sessions.uploadIdFor(session, 0);
      await sessions.save(session);
      expect((await sessions.byUpload(uploadId))?.index).toBe(0);
      await expect(sessions.checkQuota("olduser", undefined, 0)).rejects.toThrow(/unfinished pushes/);
      await store.close();
    });
  });

  it("run once when eight instances start at the same moment", async () => {
    const url = await pgTest.newDatabase();
    const pools = Array.from({ length: 8 }, () => new pg.Pool({ connectionString: url, max: 2 }));
    try {
      const found = await Promise.all(pools.map((pool) => migratePostgresSchema(pool)));
      // Exactly one found the empty database; every other one found the latest version.
      expect(found.filter((v) => v === 0)).toHaveLength(1);
      expect(found.filter((v) => v === SCHEMA_VERSION)).toHaveLength(7);
      expect(await versions(pools[0] as pg.Pool)).toHaveLength(SCHEMA_VERSION);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it("refuse a database written by a newer dstack-kit, and leave a failed migration unapplied", async () => {
    const url = await pgTest.newDatabase();
    await withPool(url, async (pool) => {
      await migratePostgresSchema(pool);
      await pool.query("INSERT INTO dstack_schema (version) VALUES ($1)", [SCHEMA_VERSION + 1]);
      await expect(migratePostgresSchema(pool)).rejects.toThrow(/newer than this dstack-kit/);
    });
    const broken = await pgTest.newDatabase();
    await withPool(broken, async (pool) => {
      // A table in the way of migration 1: it fails, and nothing of it (nor its version row) remains.
      await pool.query("CREATE TABLE dstack_frames (x int)");
      await expect(migratePostgresSchema(pool)).rejects.toThrow();
      expect(await versions(pool)).toEqual([]);
      const { rows } = await pool.query("SELECT to_regclass('dstack_stacks') AS t");
      expect(rows[0]).toEqual({ t: null });
      expect(MIGRATIONS.length).toBe(SCHEMA_VERSION);
    });
  });
});
