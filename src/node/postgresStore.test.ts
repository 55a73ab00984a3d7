import { beforeAll } from "vitest";
import { describeStoreConformance } from "../storage/testing/conformance";
import { createPostgresStore, type PostgresStore } from "./postgres/postgresStore";
import { postgresForTests } from "./postgres/testing/testDatabase";

const pg = postgresForTests();
let url = "";
let count = 0;
beforeAll(async () => {
  url = await pg.newDatabase();
}, 60_000);

// A fresh user per test: an empty store on the same database (stacks and dashboards are per user).
async function open(user = `user${++count}`): Promise<PostgresStore> {
  const store = createPostgresStore({ connectionString: url, user, maxConnections: 4 });
  await store.ready();
  return store;
}

// Another instance on the same database: its own pool and its own LISTEN connection.
describeStoreConformance("postgres", () => open(), { openPeer: (store) => open(store.user) });
