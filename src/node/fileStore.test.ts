import { describeStoreConformance } from "../storage/testing/conformance";
import { createFileStore } from "./fileStore";
import { tempHomes } from "./testing/tempHome";

const newHome = tempHomes();
const homes = new WeakMap<object, string>();

function open(user?: string, home = newHome()) {
  const store = createFileStore(user === undefined ? { home } : { home, user });
  homes.set(store, home);
  return store;
}

// The same store on the same folder, opened again: shares data and (in this process) change events.
const openPeer = async (store: { user: string }) => open(store.user, homes.get(store));

describeStoreConformance("file", async () => open(), { openPeer });
describeStoreConformance("file (user alice, no fsync)", async () =>
  createFileStore({ home: newHome(), user: "alice", fsync: false }),
);
