// A real PostgreSQL for tests. `npm test` starts one throwaway cluster for the whole run and passes its URL in
// DSTACK_TEST_POSTGRES_URL; a test file run on its own starts its own. Either way each test file works in
// databases of its own, dropped at its end.
import pg from "pg";
import { afterAll, expect } from "vitest";
import { startPostgres, type ThrowawayPostgres } from "../../../../scripts/postgres.mjs";
import { runTestServersOn } from "../../testing/testServerDatabase";

export const TEST_POSTGRES_ENV = "DSTACK_TEST_POSTGRES_URL";

/** Call at the top of a test file; `newDatabase()` then creates an empty database and answers its URL. */
export function postgresForTests(): { newDatabase(): Promise<string>; clusterUrl(): Promise<string> } {
  let own: Promise<ThrowawayPostgres> | undefined;
  const created: string[] = [];
  const clusterUrl = async () => {
    const shared = process.env[TEST_POSTGRES_ENV];
    if (shared) return shared;
    own ??= startPostgres();
    return (await own).url;
  };
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: await clusterUrl() });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  afterAll(async () => {
    if (created.length > 0) {
      await admin(async (client) => {
        for (const name of created) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    }
    (await own)?.stop();
  }, 60_000);
  return {
    clusterUrl,
    async newDatabase() {
      const name = `dstack_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
      await admin((client) => client.query(`CREATE DATABASE ${name}`));
      created.push(name);
      const url = new URL(await clusterUrl());
      url.pathname = `/${name}`;
      return url.toString();
    },
  };
}

/**
 * Call at the top of a PostgreSQL variant of a server test file, before importing it: every test server it sets
 * up then runs on a new database of its own (and the file fails if none did, so that it cannot pass vacuously).
 */
export function runTestServersOnPostgres(): void {
  const pg = postgresForTests();
  let databases = 0;
  runTestServersOn(() => {
    databases++;
    return pg.newDatabase();
  });
  afterAll(() => expect(databases).toBeGreaterThan(0));
}
