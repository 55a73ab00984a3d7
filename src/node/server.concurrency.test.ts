// 50 clients pushing to one stack at once: every push lands as its own frame, and the head is the frame whose
// push completed last.
import { describe, expect, it } from "vitest";
import { createHttpStore } from "../storage/httpStore";
import { setupTestServer } from "./testing/testServer";

const t = setupTestServer({ fsync: true });

describe("concurrent pushes to one stack", () => {
  it("all 50 land as frames; the head is the last one completed", async () => {
    // One store per client: 50 separate connections, as 50 processes would make.
    const token = t.server.addUser("many");
    const clients = Array.from({ length: 50 }, () => createHttpStore({ server: t.server.apiUrl, user: "many", token }));
    const completed: string[] = [];
    const results = await Promise.all(
      clients.map((store, i) =>
        store
          .push({
            stack: "race",
            id: `push-${i}`,
            // One timestamp for all: the history order is then the order the frames were committed in.
            timestamp: 1000,
            attachments: [
              { data: new TextEncoder().encode(`client ${i}`), contentType: "text/plain", params: { i } },
              { data: new Uint8Array(20_000).fill(i), contentType: "application/octet-stream" },
            ],
          })
          .then((result) => {
            completed.push(result.frameId);
            return result;
          }),
      ),
    );
    const stack = await clients[0]?.getStack("race");
    expect(stack?.frames).toHaveLength(50);
    expect(new Set(stack?.frames.map((f) => f.id))).toEqual(new Set(results.map((r) => r.frameId)));
    expect(stack?.head?.id).toBe(stack?.frames[0]?.id);
    expect(stack?.head?.id).toBe(completed.at(-1));
    for (const [i, id] of [0, 17, 49].map((i) => [i, `push-${i}`] as const)) {
      expect(await (await clients[i]?.getAttachment("race", id, 0))?.text()).toBe(`client ${i}`);
    }
  });
});
