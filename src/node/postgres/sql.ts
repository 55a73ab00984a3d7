// Queries of the hot paths as named (prepared) statements: each connection plans them once, then only binds
// values, which saves PostgreSQL's parse and plan on every read.
import { createHash } from "node:crypto";
import type { Pool, PoolClient, QueryResult, QueryResultRow } from "pg";

const names = new Map<string, string>();

/** Runs `text` (fixed SQL, values as $n) as a prepared statement named after it. */
export function prepared<R extends QueryResultRow>(
  db: Pool | PoolClient,
  text: string,
  values: unknown[],
): Promise<QueryResult<R>> {
  let name = names.get(text);
  if (!name) {
    name = `dstack_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`;
    names.set(text, name);
  }
  return db.query<R>({ name, text, values });
}

/** Runs `work` in one transaction on a client of `pool`: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
