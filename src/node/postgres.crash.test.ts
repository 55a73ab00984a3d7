// Processes killed with SIGKILL mid-push leave whole frames only on PostgreSQL too: the transaction of the frame in
// flight dies with its connection, and the store shows the frames committed before the kill.
import { describe, expect, it } from "vitest";
import { StackNotFoundError } from "../model/errors";
import { createPostgresStore } from "./postgres/postgresStore";
import { postgresForTests } from "./postgres/testing/testDatabase";
import { startChild } from "./testing/childProcess";
import { expectWholeFrames } from "./testing/wholeFrames";

const pg = postgresForTests();

/** expectWholeFrames on the database's store. */
async function expectWholeFramesIn(database: string): Promise<number> {
  const store = createPostgresStore({ connectionString: database, user: "crash" });
  try {
    return await expectWholeFrames(store);
  } finally {
    await store.close();
  }
}

describe("a PostgreSQL store killed mid-push", () => {
  it("after 10 of 20 attachments of its first frame: no stack at all, and the store still works", {
    timeout: 60_000,
  }, async () => {
    const database = await pg.newDatabase();
    const child = startChild("../postgres/testing/pushLoop.child.ts", [database, "10"]);
    expect(await child.exited).toBeNull();
    expect(child.process.signalCode).toBe("SIGKILL");
    const store = createPostgresStore({ connectionString: database, user: "crash" });
    try {
      await expect(store.getStack("loop")).rejects.toBeInstanceOf(StackNotFoundError);
      expect(await store.listStacks()).toEqual([]);
      // The killed connection's transaction is rolled back: no chunk rows were left behind either.
      const { rows } = await store.pool.query<{ n: string }>("SELECT count(*) AS n FROM dstack_chunks");
      expect(Number(rows[0]?.n)).toBe(0);
      await store.push({
        stack: "loop",
        id: "frame-0",
        attachments: [{ data: new Uint8Array(1), contentType: "x/y" }],
      });
      expect((await store.getStack("loop")).frames).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it("at random moments, five times over: every frame it shows is whole", { timeout: 90_000 }, async () => {
    const database = await pg.newDatabase();
    let before = 0;
    for (let round = 0; round < 5; round++) {
      const child = startChild("../postgres/testing/pushLoop.child.ts", [database]);
      await child.line(/^ready/);
      await child.line(new RegExp(`^pushed ${before + (round % 2)}$`));
      await new Promise((r) => setTimeout(r, Math.random() * 40));
      child.process.kill("SIGKILL");
      await child.exited;
      const count = await expectWholeFramesIn(database);
      expect(count).toBeGreaterThan(before);
      before = count;
    }
  });
});
