// HttpStore against the real Node server (node:http on 127.0.0.1, random port, file store in a temp HOME):
// the same conformance suite every store passes, unchanged.
import { afterAll, beforeAll } from "vitest";
import { type DstackServer, startServer } from "../node/server";
import { tempHomes } from "../node/testing/tempHome";
import { createHttpStore } from "./httpStore";
import { describeStoreConformance } from "./testing/conformance";

const newHome = tempHomes();
let server: DstackServer;
let count = 0;

beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", home: newHome(), fsync: false });
});
afterAll(() => server.close());

// Each test gets a user of its own: a fresh, empty namespace on the shared server.
describeStoreConformance("http (real server on loopback)", async () => {
  const user = `user${++count}`;
  return createHttpStore({ server: server.apiUrl, user, token: server.addUser(user) });
});
