// The privacy suite (server.permissions.test.ts) on a server whose data is in PostgreSQL.
import { afterAll, expect } from "vitest";
import { postgresForTests } from "./postgres/testing/testDatabase";
import { runTestServersOn } from "./testing/testServerDatabase";

const pg = postgresForTests();
let databases = 0;
runTestServersOn(() => {
  databases++;
  return pg.newDatabase();
});
afterAll(() => expect(databases).toBeGreaterThan(0));
await import("./server.permissions.test");
