// Every test of createIndexedDBStore, run by indexedDBStore.test.ts (fake-indexeddb in Node) and
// indexedDBStore.browser.test.ts (real Chromium): the conformance suite, then IndexedDB specifics. The raw
// database is inspected with plain idb.
import { deleteDB, type IDBPDatabase, openDB } from "idb";
import { afterAll, describe, expect, it, vi } from "vitest";
import { AbortError, DstackError, InvalidRequestError } from "../../model/errors";
import type { StackStore } from "../../model/stackStore";
import type { StoreEvent } from "../../model/types";
import { DB_VERSION, keyPrefix, MIGRATIONS, type Migration, runMigrations, type StackDB } from "../indexedDBSchema";
import { createIndexedDBStore, storeChannelName } from "../indexedDBStore";
import { describeStoreConformance } from "./conformance";
import { frame, readText, text } from "./storeFixtures";

/** Polls until `check` passes; no deadline of its own (the test's time limit catches an event that never comes). */
async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

const created: string[] = [];
/** A database name no other test uses; deleted after the file's tests. */
export function freshDbName(): string {
  const name = `dstack-test-${crypto.randomUUID()}`;
  created.push(name);
  return name;
}

/** Deletes every database made by freshDbName (call once per test file). */
function deleteTestDatabases(): void {
  afterAll(async () => {
    await Promise.all(created.splice(0).map((name) => deleteDB(name)));
  });
}

const dbNames = new WeakMap<StackStore, string>();
/** A store on a fresh database (or on `dbName`), remembered so that `openPeer` can reach the same database. */
function open(user?: string, dbName = freshDbName()): StackStore {
  const store = createIndexedDBStore(user === undefined ? { dbName } : { dbName, user });
  dbNames.set(store, dbName);
  return store;
}
// A second store on the same database is a second connection, as another tab would have.
const openPeer = async (store: StackStore) => open(store.user, dbNames.get(store));

/** The conformance suite (default user and another) and the IndexedDB specifics; `label` names the environment. */
export function describeIndexedDBStoreTests(label: string): void {
  describeStoreConformance(`indexeddb (${label})`, async () => open(), { openPeer });
  describeStoreConformance(`indexeddb (${label}, user alice)`, async () => open("alice"), { openPeer });
  describeIndexedDBStore(label);
  deleteTestDatabases();
}

/** Opens the raw database as it is (no upgrade), runs `fn`, closes it. */
async function raw<T>(name: string, fn: (db: IDBPDatabase<StackDB>) => Promise<T>): Promise<T> {
  const db = await openDB<StackDB>(name);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

async function rowCounts(name: string) {
  return raw(name, async (db) => ({
    stacks: await db.count("stacks"),
    frames: await db.count("frames"),
    attachments: await db.count("attachments"),
  }));
}

/** The v1 layout spelled out literally, so that editing the v1 migration breaks the upgrade-path test. */
function createV1Layout(db: IDBPDatabase) {
  db.createObjectStore("stacks", { keyPath: "path" }).createIndex("by-user", "user");
  db.createObjectStore("frames", { keyPath: ["path", "id"] });
  db.createObjectStore("attachments", { keyPath: ["path", "frameId", "index"] });
  db.createObjectStore("dashboards", { keyPath: ["user", "id"] }).createIndex("by-user-seq", ["user", "seq"]);
  db.createObjectStore("meta");
}

async function withStores<T>(stores: StackStore[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    for (const s of stores) s.close?.();
  }
}

function describeIndexedDBStore(label: string): void {
  describe(`IndexedDB store specifics: ${label}`, () => {
    it("touches neither IndexedDB nor BroadcastChannel before the first call", async () => {
      const open = vi.spyOn(indexedDB, "open");
      const Original = globalThis.BroadcastChannel;
      let channels = 0;
      globalThis.BroadcastChannel = class extends Original {
        constructor(name: string) {
          super(name);
          channels++;
        }
      };
      try {
        const store = createIndexedDBStore({ dbName: freshDbName() });
        await new Promise((r) => setTimeout(r, 20));
        expect(open).not.toHaveBeenCalled();
        expect(channels).toBe(0);
        await withStores([store], async () => {
          expect(await store.listStacks()).toEqual([]);
          expect(open).toHaveBeenCalledTimes(1);
          await store.listStacks();
          expect(open).toHaveBeenCalledTimes(1);
          store.subscribe(() => {});
          expect(channels).toBe(1);
        });
      } finally {
        globalThis.BroadcastChannel = Original;
        open.mockRestore();
      }
    });

    it("keeps data across close and reopen, and refuses calls once closed", async () => {
      const dbName = freshDbName();
      const first = createIndexedDBStore({ dbName });
      const { frameId } = await first.push(frame("persist", [text("kept", { k: 1 })], { message: "m" }));
      await first.updateStack("persist", { readme: "# r", private: true });
      const dashboard = await first.createDashboard({ title: "D" });
      await first.insertCards(first.user, dashboard.id, 0, [{ stack: "persist" }]);
      first.close?.();
      await expect(first.listStacks()).rejects.toMatchObject({ code: "store_closed" });

      const second = createIndexedDBStore({ dbName });
      await withStores([second], async () => {
        const stack = await second.getStack("persist");
        expect(stack).toMatchObject({ private: true, readme: "# r", head: { id: frameId, message: "m" } });
        expect(await readText(await second.getAttachment("persist", frameId, 0))).toBe("kept");
        expect((await second.getDashboard(second.user, dashboard.id)).cards).toEqual([
          { stack: `${second.user}/persist`, columns: 1 },
        ]);
      });
    });

    it("stores attachment bytes as Blob rows keyed [path, frameId, index]", async () => {
      const dbName = freshDbName();
      const store = createIndexedDBStore({ dbName });
      const bytes = new Uint8Array(4096).map((_, i) => i % 251);
      const { frameId, stack } = await withStores([store], () =>
        store.push(frame("blobs", [{ data: bytes, contentType: "image/png" }, text("two")])),
      );
      await raw(dbName, async (db) => {
        const row = await db.get("attachments", [stack, frameId, 0]);
        if (!row) throw new Error("no attachment row");
        expect(row.blob).toBeInstanceOf(Blob);
        expect(row.blob.type).toBe("image/png");
        expect(new Uint8Array(await row.blob.arrayBuffer())).toEqual(bytes);
        expect(await db.count("attachments", keyPrefix(stack, frameId))).toBe(2);
        const frameRow = await db.get("frames", [stack, frameId]);
        expect(frameRow?.attachments.map((a) => a.length)).toEqual([4096, 3]);
        expect(frameRow?.attachments.flatMap((a) => Object.keys(a))).not.toContain("blob");
        expect(await db.get("meta", "seq")).toBe(1);
      });
    });

    it("leaves no frame or attachment rows when a push is aborted after 5 of 10 puts", async () => {
      const dbName = freshDbName();
      const store = createIndexedDBStore({ dbName });
      await withStores([store], async () => {
        const before = await store.push(frame("atomic", [text("before")]));
        const controller = new AbortController();
        const seen: Array<[number, number]> = [];
        const parts = Array.from({ length: 10 }, (_, i) => text(`part ${i}`));
        await expect(
          store.push(frame("atomic", parts, { id: "aborted" }), {
            signal: controller.signal,
            onProgress: (done, total) => {
              seen.push([done, total]);
              if (done === 5) controller.abort();
            },
          }),
        ).rejects.toBeInstanceOf(AbortError);
        expect(seen).toEqual([
          [1, 10],
          [2, 10],
          [3, 10],
          [4, 10],
          [5, 10],
        ]);
        expect(await rowCounts(dbName)).toEqual({ stacks: 1, frames: 1, attachments: 1 });
        await raw(dbName, async (db) => {
          expect(await db.count("attachments", keyPrefix(before.stack, "aborted"))).toBe(0);
          expect((await db.get("stacks", before.stack))?.head.id).toBe(before.frameId);
          expect(await db.get("meta", "seq")).toBe(1);
        });
        // The store is still usable, and the id was never taken.
        await store.push(frame("atomic", parts, { id: "aborted" }));
        expect(await rowCounts(dbName)).toEqual({ stacks: 1, frames: 2, attachments: 11 });
      });
    });

    it("leaves nothing when a put fails mid-way, synchronously or as a failed request", async () => {
      const dbName = freshDbName();
      const store = createIndexedDBStore({ dbName });
      const proto = IDBObjectStore.prototype;
      const originalPut = proto.put;
      let calls = 0;
      let failures = 0;
      const failAt = (n: number, failure: (s: IDBObjectStore, value: unknown, key?: IDBValidKey) => IDBRequest) => {
        calls = 0;
        proto.put = function put(this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
          if (this.name === "attachments" && ++calls === n) {
            failures++;
            return failure(this, value, key);
          }
          return originalPut.call(this, value, key);
        };
      };
      const parts = Array.from({ length: 10 }, (_, i) => text(`part ${i}`));
      await withStores([store], async () => {
        try {
          // A put that throws (as a DataCloneError or a closed transaction would).
          failAt(6, () => {
            throw new DOMException("simulated put failure", "DataError");
          });
          await expect(store.push(frame("failing", parts))).rejects.toThrow("simulated put failure");
          // A request that fails later: `add` of a key the 5th put already wrote (ConstraintError).
          failAt(6, (s, value) => s.add({ ...(value as object), index: 4 }));
          await expect(store.push(frame("failing", parts))).rejects.toMatchObject({ name: "ConstraintError" });
        } finally {
          proto.put = originalPut;
        }
        expect(failures).toBe(2);
        // A throwing progress callback is a failure too.
        await expect(
          store.push(frame("failing", parts), {
            onProgress: (done) => {
              if (done === 5) throw new Error("listener broke");
            },
          }),
        ).rejects.toThrow("listener broke");
        expect(await rowCounts(dbName)).toEqual({ stacks: 0, frames: 0, attachments: 0 });
        await expect(store.getStack("failing")).rejects.toMatchObject({ code: "stack_not_found" });
      });
    });

    it("rejects an existing frame id before writing anything", async () => {
      const dbName = freshDbName();
      const store = createIndexedDBStore({ dbName });
      await withStores([store], async () => {
        await store.push(frame("dupe", [text("1")], { id: "x1" }));
        const progress = vi.fn();
        await expect(
          store.push(frame("dupe", [text("2"), text("3")], { id: "x1" }), { onProgress: progress }),
        ).rejects.toBeInstanceOf(InvalidRequestError);
        expect(progress).not.toHaveBeenCalled();
        expect(await rowCounts(dbName)).toEqual({ stacks: 1, frames: 1, attachments: 1 });
        // The same id in another stack is another frame.
        await store.push(frame("other", [text("2")], { id: "x1" }));
      });
    });

    it("serves getAttachment calls made together from one transaction, each with its own result", async () => {
      const store = createIndexedDBStore({ dbName: freshDbName() });
      await withStores([store], async () => {
        const parts = Array.from({ length: 50 }, (_, i) => text(`part ${i}`));
        const { frameId } = await store.push(frame("batch", parts));
        const transaction = vi.spyOn(IDBDatabase.prototype, "transaction");
        try {
          const all = await Promise.all(parts.map((_, i) => store.getAttachment("batch", frameId, i)));
          expect(await Promise.all(all.map(readText))).toEqual(parts.map((_, i) => `part ${i}`));
          expect(transaction).toHaveBeenCalledTimes(1);
          const mixed = await Promise.allSettled([
            store.getAttachment("batch", frameId, 49),
            store.getAttachment("batch", frameId, 50),
            store.getAttachment("batch", "no-such-frame", 0),
            store.getAttachment("no-such-stack", frameId, 0),
            store.getAttachment("bad//name", frameId, 0),
            store.getAttachment("batch", frameId, 0),
          ]);
          expect(transaction).toHaveBeenCalledTimes(2);
          expect(mixed.map((r) => (r.status === "fulfilled" ? "blob" : (r.reason as DstackError).code))).toEqual([
            "blob",
            "attachment_not_found",
            "frame_not_found",
            "stack_not_found",
            "invalid_stack_name",
            "blob",
          ]);
        } finally {
          transaction.mockRestore();
        }
      });
    });

    it("delivers a push from a second connection to the first one's subscribers over BroadcastChannel", async () => {
      const dbName = freshDbName();
      const a = createIndexedDBStore({ dbName });
      const b = createIndexedDBStore({ dbName });
      const wire = new BroadcastChannel(storeChannelName(dbName));
      await withStores([a, b], async () => {
        const onWire: unknown[] = [];
        wire.onmessage = (e: MessageEvent<unknown>) => onWire.push(e.data);
        const seenByA: StoreEvent[] = [];
        const seenByB: StoreEvent[] = [];
        a.subscribe((e) => seenByA.push(e));
        b.subscribe((e) => seenByB.push(e));
        const { frameId } = await b.push(frame("tabs", [text("from b")]));
        const event = { type: "stack", path: `${a.user}/tabs` };
        await waitFor(() => seenByA.length > 0 && onWire.length > 0);
        expect(seenByA).toEqual([event]);
        expect(onWire).toEqual([event]);
        expect((await a.getStack("tabs")).head?.id).toBe(frameId);
        const d = await a.createDashboard({ title: "from a" });
        // Fences: one more change from each connection. A channel delivers one sender's messages in order, so once
        // both stores have heard both fences, a second copy of any earlier event would have arrived too.
        await a.push(frame("fence-a", [text("a")]));
        await b.push(frame("fence-b", [text("b")]));
        const fenced = (seen: StoreEvent[]) =>
          ["fence-a", "fence-b"].every((name) => seen.some((e) => e.path === `${a.user}/${name}`));
        await waitFor(() => fenced(seenByA) && fenced(seenByB));
        // Each store hears its own change once (locally) and the other's once (over the channel).
        const dashboard = { type: "dashboard", path: `${a.user}/${d.id}` };
        expect(seenByB.slice(0, 2)).toEqual([event, dashboard]);
        expect(seenByA.slice(0, 2)).toEqual([event, dashboard]);
        expect([seenByA.length, seenByB.length]).toEqual([4, 4]);
        // Junk on the channel is ignored; a valid event sent after it shows the junk was handled.
        wire.postMessage({ type: "nope", path: 1 });
        const after = { type: "stack", path: `${a.user}/after-junk` };
        wire.postMessage(after);
        await waitFor(() => seenByA.length > 4);
        expect(seenByA.slice(4)).toEqual([after]);
      }).finally(() => wire.close());
    });

    it("keeps every concurrent push from two connections, each with its own sequence number", async () => {
      const dbName = freshDbName();
      const a = createIndexedDBStore({ dbName });
      const b = createIndexedDBStore({ dbName });
      await withStores([a, b], async () => {
        const pushes = Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b).push(frame("race", [text(`${i}`), text(`${i}!`)], { id: `f${i}`, timestamp: 1000 })),
        );
        await Promise.all(pushes);
        const stack = await a.getStack("race");
        expect(stack.frames).toHaveLength(20);
        await raw(dbName, async (db) => {
          const rows = await db.getAll("frames", keyPrefix(stack.path));
          const seqs = rows.map((r) => r.seq).sort((x, y) => x - y);
          expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
          const last = rows.find((r) => r.seq === 20);
          expect(stack.head?.id).toBe(last?.id);
          expect(stack.frames[0]?.id).toBe(last?.id);
          expect(await db.count("attachments")).toBe(40);
        });
      });
    });

    it("opens a database written at version 1 by raw idb (upgrade path)", async () => {
      const dbName = freshDbName();
      const blob = new Blob(["a,b\n1,2\n"], { type: "text/csv" });
      const v1 = await openDB(dbName, 1, { upgrade: (db) => createV1Layout(db) });
      const path = "dstack/legacy/report";
      await v1.put("stacks", {
        path,
        user: "dstack",
        name: "legacy/report",
        private: false,
        readme: "old",
        head: { id: "f2", timestamp: 2000, message: "second", seq: 2 },
      });
      await v1.put("frames", { path, id: "f1", timestamp: 1000, params: {}, attachments: [], seq: 1 });
      await v1.put("frames", {
        path,
        id: "f2",
        timestamp: 2000,
        message: "second",
        params: { run: 2 },
        attachments: [
          { index: 0, contentType: "text/csv", application: "pandas/dataframe", params: { x: 1 }, length: 8 },
        ],
        seq: 2,
      });
      await v1.put("attachments", { path, frameId: "f2", index: 0, blob });
      const dashboard = { id: "d1", user: "dstack", title: "Old", description: "", private: false, cards: [] };
      await v1.put("dashboards", { ...dashboard, seq: 3 });
      await v1.put("meta", 3, "seq");
      v1.close();

      const store = createIndexedDBStore({ dbName });
      await withStores([store], async () => {
        const stack = await store.getStack("legacy/report");
        expect(stack).toMatchObject({ readme: "old", head: { id: "f2", message: "second", params: { run: 2 } } });
        expect(stack.frames.map((f) => f.id)).toEqual(["f2", "f1"]);
        // Version 2 counted the frames and indexed their order.
        expect(stack.frameCount).toBe(2);
        expect(await store.listFrames("legacy/report", { before: "f2" })).toEqual({
          frames: [{ id: "f1", timestamp: 1000 }],
          more: false,
        });
        expect(await readText(await store.getAttachment("legacy/report", "f2", 0))).toBe("a,b\n1,2\n");
        expect(await store.listDashboards()).toEqual([dashboard]);
        const next = await store.push(frame("legacy/report", [text("new")], { timestamp: 2000 }));
        expect((await store.listStacks())[0]?.head?.id).toBe(next.frameId);
        expect(await store.getStack("legacy/report", { frames: 1 })).toMatchObject({
          frameCount: 3,
          frames: [{ id: next.frameId }],
        });
        const newer = await store.createDashboard({ title: "New" });
        expect((await store.listDashboards()).map((d) => d.id)).toEqual([newer.id, "d1"]);
      });
      await raw(dbName, async (db) => {
        expect(db.version).toBe(DB_VERSION);
        expect(await db.get("meta", "seq")).toBe(5);
      });
    });

    it("runs appended migrations step by step from the stored version, in order, and rolls back a failing one", async () => {
      const dbName = freshDbName();
      const seed = createIndexedDBStore({ dbName });
      await withStores([seed], () => seed.push(frame("migrate", [text("x")])));
      const ran: string[] = [];
      // A v2 that rewrites data (async: awaits requests of the upgrade transaction) ...
      const v2: Migration = async (_db, tx) => {
        ran.push("v2");
        const stacks = tx.objectStore("stacks");
        for (const row of await stacks.getAll()) await stacks.put({ ...row, readme: "migrated" });
      };
      // ... and a v3 that must see v2's writes.
      const v3: Migration = async (_db, tx) => {
        ran.push("v3");
        const migrated = (await tx.objectStore("stacks").getAll()).filter((r) => r.readme === "migrated");
        await tx.objectStore("meta").put(migrated.length, "migrated");
      };
      const broken: Migration = () => {
        throw new Error("step 4 is broken");
      };
      const open = (migrations: readonly Migration[]) =>
        openDB<StackDB>(dbName, migrations.length, {
          upgrade: (db, oldVersion, newVersion, tx) => {
            runMigrations(migrations, db, oldVersion, newVersion, tx).catch(() => {});
          },
        });
      // The broken step aborts the upgrade transaction, so opening fails and nothing of v2 or v3 stays.
      await expect(open([...MIGRATIONS, v2, v3, broken])).rejects.toMatchObject({ name: "AbortError" });
      expect(ran).toEqual(["v2", "v3"]);
      expect(await raw(dbName, async (db) => [db.version, (await db.get("stacks", "dstack/migrate"))?.readme])).toEqual(
        [DB_VERSION, undefined],
      );

      ran.length = 0;
      const upgraded = await open([...MIGRATIONS, v2, v3]);
      expect(ran).toEqual(["v2", "v3"]);
      expect(upgraded.version).toBe(DB_VERSION + 2);
      expect(await upgraded.get("meta", "migrated")).toBe(1);
      upgraded.close();

      // This code is now older than the database: a clear error, not a hang.
      const old = createIndexedDBStore({ dbName });
      await withStores([old], async () => {
        const error = await old.listStacks().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DstackError);
        expect(error).toMatchObject({ code: "schema_too_new" });
      });
    });

    it("closes its connection on versionchange, so other tabs can upgrade or delete the database", async () => {
      const dbName = freshDbName();
      const store = createIndexedDBStore({ dbName });
      await withStores([store], async () => {
        await store.push(frame("vchange", [text("x")]));
        const blocked = vi.fn();
        await deleteDB(dbName, { blocked });
        expect(blocked).not.toHaveBeenCalled();
        // The next call reopens: a fresh, empty database.
        expect(await store.listStacks()).toEqual([]);
        await store.push(frame("vchange", [text("y")]));

        const upgraded = await openDB(dbName, DB_VERSION + 1, { blocked });
        expect(blocked).not.toHaveBeenCalled();
        upgraded.close();
        await expect(store.getStack("vchange")).rejects.toMatchObject({ code: "schema_too_new" });
      });
    });
  });
}
