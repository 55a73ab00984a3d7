// Processes killed with SIGKILL mid-push leave whole frames only on PostgreSQL too: the transaction of the frame in
// flight dies with its connection, and the store shows the frames committed before the kill.
import { describe, expect, it } from "vitest";
import { StackNotFoundError } from "../model/errors";
import { createPostgresStore } from "./postgres/postgresStore";
import { postgresForTests } from "./postgres/testing/testDatabase";
import { startChild } from "./testing/childProcess";

const pg = postgresForTests();

/** Every frame the store lists is whole: each attachment reads back at its full length, with its own bytes. */
async function expectWholeFrames(database: string): Promise<number> {
  const store = createPostgresStore({ connectionString: database, user: "crash" });
  try {
    const stack = await store.getStack("loop", { frames: Number.POSITIVE_INFINITY });
    expect(stack.frames.map((f) => f.id)).toContain(stack.head?.id);
    expect(stack.frameCount).toBe(stack.frames.length);
    for (const summary of stack.frames) {
      const n = Number(summary.id.replace("frame-", ""));
      const frame = await store.getFrame("loop", summary.id);
      expect(frame.attachments).toHaveLength(20);
      for (const info of frame.attachments) {
        const bytes = new Uint8Array(await (await store.getAttachment("loop", summary.id, info.index)).arrayBuffer());
        expect(bytes.length).toBe(50_000 + info.index);
        expect(bytes.every((b) => b === (n + info.index) % 251)).toBe(true);
      }
    }
    return stack.frames.length;
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
      const count = await expectWholeFrames(database);
      expect(count).toBeGreaterThan(before);
      before = count;
    }
  });
});
