// server.concurrency.test.ts on a server whose data is in PostgreSQL.
import { runTestServersOnPostgres } from "./postgres/testing/testDatabase";

runTestServersOnPostgres();
await import("./server.concurrency.test");
