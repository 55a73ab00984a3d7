// The IndexedDB store in real Chromium (Vitest browser mode): conformance plus IndexedDB specifics.

import type { StackStore } from "../model/stackStore";
import { createIndexedDBStore } from "./indexedDBStore";
import { describeStoreConformance } from "./testing/conformance";
import { deleteTestDatabases, describeIndexedDBStore, freshDbName } from "./testing/indexedDBStoreSuite";

const dbNames = new WeakMap<StackStore, string>();
function open(user?: string, dbName = freshDbName()): StackStore {
  const store = createIndexedDBStore(user === undefined ? { dbName } : { dbName, user });
  dbNames.set(store, dbName);
  return store;
}
// A second store on the same database is a second connection, as another tab would have.
const openPeer = async (store: StackStore) => open(store.user, dbNames.get(store));

describeStoreConformance("indexeddb (Chromium)", async () => open(), { openPeer });
describeStoreConformance("indexeddb (Chromium, user alice)", async () => open("alice"), { openPeer });
describeIndexedDBStore("Chromium");
deleteTestDatabases();
