import { beforeAll, describe, expect, it } from "vitest";
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
async function open(user = `user${++count}`, onError?: (error: unknown) => void): Promise<PostgresStore> {
  const store = createPostgresStore({ connectionString: url, user, maxConnections: 4, ...(onError && { onError }) });
  await store.ready();
  return store;
}

// Another instance on the same database: its own pool and its own LISTEN connection.
describeStoreConformance("postgres", () => open(), { openPeer: (store) => open(store.user) });

describe("PostgreSQL store events", () => {
  it("listen again after the listening connection is cut, and hear other instances' changes again", {
    timeout: 30_000,
  }, async () => {
    const errors: unknown[] = [];
    const store = await open(undefined, (error) => errors.push(error));
    const peer = await open(store.user, (error) => errors.push(error));
    try {
      const heard: string[] = [];
      let wake = () => {};
      const off = store.subscribe((event) => {
        heard.push(event.path);
        wake();
      });
      const hear = (path: string) =>
        new Promise<void>((resolve) => {
          const check = () => {
            if (heard.includes(path)) resolve();
            else wake = check;
          };
          check();
        });
      const one = (stack: string) => ({ stack, attachments: [{ data: new Uint8Array(1), contentType: "x/y" }] });
      await peer.push(one("before-cut"));
      await hear(`${store.user}/before-cut`);
      // The server ends every LISTEN connection (a restart, a failover, an administrator).
      const { rowCount } = await peer.pool.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND pid <> pg_backend_pid()",
      );
      expect(rowCount).toBeGreaterThan(0);
      // Pushes from the peer until one is heard: the store reconnects on its own.
      for (let i = 0; !heard.includes(`${store.user}/after-cut`); i++) {
        await peer.push(one("after-cut"));
        await Promise.race([hear(`${store.user}/after-cut`), new Promise((r) => setTimeout(r, 200))]);
        expect(i).toBeLessThan(100);
      }
      off();
      // Each cut was reported, as what it was.
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) expect(String(error)).toMatch(/terminating connection/);
    } finally {
      await peer.close();
      await store.close();
    }
  });
});
