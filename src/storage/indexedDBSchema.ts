/**
 * IndexedDB layout of `createIndexedDBStore`, and how it is upgraded.
 *
 * ## Schema, version 2
 *
 * | object store  | key                                   | value           | indexes                          |
 * |---------------|---------------------------------------|-----------------|----------------------------------|
 * | `stacks`      | `path` (`"user/name"`)                | {@link StackRow}      | `by-user` on `user`        |
 * | `frames`      | `[path, id]`                          | {@link FrameRow}      | `by-order` on `[path, timestamp, seq]` |
 * | `attachments` | `[path, frameId, index]`              | {@link AttachmentRow} | none (see below)           |
 * | `dashboards`  | `[user, id]`                          | {@link DashboardRow}  | `by-user-seq` on `[user, seq]` |
 * | `meta`        | out-of-line string                    | number          | none                             |
 *
 * - A stack's frames (and a stack's or a frame's attachments) are a range of the compound primary key,
 *   `IDBKeyRange.bound([path], [path, []])` (an array sorts after every string, number and date), so
 *   they need no secondary index: reading or deleting them is one key-range request.
 * - Attachment bytes are stored as `Blob`s (browsers keep large ones out of the row, on disk).
 * - `stacks.head` duplicates the head frame's summary so that `listStacks` reads one store only;
 *   every write that moves a head (push, `updateStack({head})`) rewrites it in the same transaction.
 *   `stacks.count` is the stack's number of frames, kept by every push.
 * - `frames.by-order` is the frame list's order (oldest first): `getStack` reads the newest frames and
 *   `listFrames` a page with one cursor walking it backwards, so neither reads the whole history.
 * - Version 2 added `by-order` and `count` (counted from the frames rows when upgrading).
 * - `meta["seq"]` is the last sequence number handed out. Each frame and dashboard takes the next one in
 *   the transaction that creates it: it breaks timestamp ties (newest first) across all connections,
 *   and orders dashboards newest first through `by-user-seq`.
 * - Optional fields (`message`, `readme`) are absent rather than `undefined`.
 *
 * ## Upgrade rules
 *
 * 1. The schema version is `MIGRATIONS.length`. Step `i` takes a database from version `i` to `i + 1`;
 *    opening runs every step from the database's version up to the current one, in order, inside the
 *    one `versionchange` transaction, so a failing step rolls back the whole upgrade.
 * 2. Released steps are never edited or removed: a v2 is made by appending one step. If a later change
 *    renames or retypes a store so that an older step no longer type-checks against {@link StackDB},
 *    freeze the old shape in its own interface (`StackDBv1`) and type that step against it.
 * 3. A step may be async, but it may await only requests made on the upgrade transaction `tx`
 *    (anything else lets the transaction commit early). Later steps start after it settles.
 * 4. Update {@link StackDB}, the row types and this table in the same change, and add a test that opens
 *    a database written in the previous version's layout (see `testing/indexedDBStoreSuite.ts`).
 * 5. Connections close themselves on `versionchange`, so an upgrade in another tab is never blocked by
 *    this code. Code older than the database it finds gets a `schema_too_new` DstackError (reload the page).
 */
import { type DBSchema, type IDBPDatabase, type IDBPTransaction, openDB, type StoreNames } from "idb";
import { DstackError } from "../model/errors";
import type { Params } from "../model/params";
import type { AttachmentInfo, Dashboard, FrameSummary } from "../model/types";

export interface StackRow {
  /** `user/name`: the primary key. */
  path: string;
  user: string;
  name: string;
  private: boolean;
  readme?: string;
  /** Summary of the head frame, with its sequence number (for listStacks' tie-break). */
  head: FrameSummary & { seq: number };
  /** How many frames the stack has (since version 2). */
  count: number;
}

export interface FrameRow {
  path: string;
  id: string;
  timestamp: number;
  message?: string;
  params: Params;
  /** Attachment metadata in index order; the bytes live in `attachments`. */
  attachments: AttachmentInfo[];
  seq: number;
}

export interface AttachmentRow {
  path: string;
  frameId: string;
  index: number;
  blob: Blob;
}

export type DashboardRow = Dashboard & { seq: number };

/** The current schema, typed for idb. */
export interface StackDB extends DBSchema {
  stacks: { key: string; value: StackRow; indexes: { "by-user": string } };
  frames: { key: [string, string]; value: FrameRow; indexes: { "by-order": [string, number, number] } };
  attachments: { key: [string, string, number]; value: AttachmentRow };
  dashboards: { key: [string, string]; value: DashboardRow; indexes: { "by-user-seq": [string, number] } };
  meta: { key: string; value: number };
}

export type UpgradeTransaction = IDBPTransaction<StackDB, StoreNames<StackDB>[], "versionchange">;

/** One schema step: from version `i` to `i + 1` (rules in the header of this file). */
export type Migration = (db: IDBPDatabase<StackDB>, tx: UpgradeTransaction) => void | Promise<void>;

/** Every schema step, oldest first. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  // v1: the initial layout.
  (db) => {
    db.createObjectStore("stacks", { keyPath: "path" }).createIndex("by-user", "user");
    db.createObjectStore("frames", { keyPath: ["path", "id"] });
    db.createObjectStore("attachments", { keyPath: ["path", "frameId", "index"] });
    db.createObjectStore("dashboards", { keyPath: ["user", "id"] }).createIndex("by-user-seq", ["user", "seq"]);
    db.createObjectStore("meta");
  },
  // v2: the frame order as an index, and each stack's frame count.
  async (_db, tx) => {
    const frames = tx.objectStore("frames");
    frames.createIndex("by-order", ["path", "timestamp", "seq"]);
    const stacks = tx.objectStore("stacks");
    for (const row of await stacks.getAll()) {
      await stacks.put({ ...row, count: await frames.count(keyPrefix(row.path)) });
    }
  },
];

/** The schema version this code writes. */
export const DB_VERSION = MIGRATIONS.length;

/** The key range of everything under `prefix` in a compound primary key, e.g. all frames of a stack. */
export function keyPrefix(...prefix: IDBValidKey[]): IDBKeyRange {
  return IDBKeyRange.bound(prefix, [...prefix, []]);
}

/**
 * Runs `migrations[oldVersion .. newVersion - 1]` in order: synchronous steps run at once, an async step
 * delays the ones after it. A failing step aborts the upgrade transaction (the open fails and the database
 * keeps its old version) and rejects the returned promise with the step's error.
 */
export function runMigrations(
  migrations: readonly Migration[],
  db: IDBPDatabase<StackDB>,
  oldVersion: number,
  newVersion: number | null,
  tx: UpgradeTransaction,
): Promise<void> {
  // The open request reports an aborted upgrade; this promise reports why.
  tx.done.catch(() => {});
  return new Promise<void>((resolve, reject) => {
    const target = newVersion ?? migrations.length;
    const fail = (error: unknown) => {
      try {
        tx.abort();
      } catch {
        // Already finished: the open reports the failure.
      }
      reject(error);
    };
    const from = (version: number): void => {
      for (let v = version; v < target; v++) {
        const step = migrations[v];
        if (!step) {
          fail(new DstackError(`no migration to schema version ${v + 1}`, "schema_unknown"));
          return;
        }
        let pending: void | Promise<void>;
        try {
          pending = step(db, tx);
        } catch (error) {
          fail(error);
          return;
        }
        if (pending) {
          pending.then(() => from(v + 1), fail);
          return;
        }
      }
      resolve();
    };
    from(oldVersion);
  });
}

export interface ConnectionEvents {
  /** Another connection wants a new version or to delete the database: close this one now. */
  versionChange(): void;
  /** The browser closed the connection (storage cleared, disk error). */
  terminated(): void;
}

/** Opens (creating or upgrading) a dstack database at the current version. */
export async function openStackDB(name: string, events: ConnectionEvents): Promise<IDBPDatabase<StackDB>> {
  if (typeof indexedDB === "undefined") {
    throw new DstackError("IndexedDB is not available in this environment", "indexeddb_unavailable");
  }
  let upgradeError: { error: unknown } | undefined;
  try {
    return await openDB<StackDB>(name, DB_VERSION, {
      upgrade: (db, oldVersion, newVersion, tx) => {
        runMigrations(MIGRATIONS, db, oldVersion, newVersion, tx).catch((error: unknown) => {
          upgradeError = { error };
        });
      },
      // Our open waits until older connections close; ours close on versionchange, others' should too.
      blocked: () => {},
      blocking: () => events.versionChange(),
      terminated: () => events.terminated(),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "VersionError") {
      throw new DstackError(
        `IndexedDB database "${name}" has a newer schema than version ${DB_VERSION}: ` +
          "it was upgraded by a newer dstack-kit (reload the page)",
        "schema_too_new",
        500,
        { cause: error },
      );
    }
    if (upgradeError) {
      throw new DstackError(
        `upgrading IndexedDB database "${name}" to version ${DB_VERSION} failed`,
        "schema_upgrade_failed",
        500,
        {
          cause: upgradeError.error,
        },
      );
    }
    throw error;
  }
}
