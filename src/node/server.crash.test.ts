// Processes killed with SIGKILL mid-push (no cleanup runs) leave whole frames only: the server restarted on the
// same data shows the frames committed before the kill and nothing of the one in flight.
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FrameNotFoundError, StackNotFoundError } from "../model/errors";
import { createFileStore } from "./fileStore";
import { stackFolderName } from "./fileStoreFolders";
import { startChild } from "./testing/childProcess";
import { tempHomes } from "./testing/tempHome";
import { call } from "./testing/testServer";
import { expectWholeFrames } from "./testing/wholeFrames";

const newHome = tempHomes();

describe("a file store killed mid-push", () => {
  it("after 10 of 20 attachments of its first frame: no stack at all, and the store still works", async () => {
    const home = newHome();
    const child = startChild("pushLoop.child.ts", [home, "10"]);
    expect(await child.exited).toBeNull(); // killed by a signal
    expect(child.process.signalCode).toBe("SIGKILL");
    const store = createFileStore({ home, user: "crash" });
    await expect(store.getStack("loop")).rejects.toBeInstanceOf(StackNotFoundError);
    expect(await store.listStacks()).toEqual([]);
    await store.push({ stack: "loop", id: "frame-0", attachments: [{ data: new Uint8Array(1), contentType: "x/y" }] });
    expect((await store.getStack("loop")).frames).toHaveLength(1);
  });

  it("at random moments, five times over: every frame it shows is whole", { timeout: 60_000 }, async () => {
    const home = newHome();
    let before = 0;
    for (let round = 0; round < 5; round++) {
      const child = startChild("pushLoop.child.ts", [home]);
      await child.line(/^ready/);
      // Let it commit a frame or two, then kill it somewhere inside the next one.
      await child.line(new RegExp(`^pushed ${before + (round % 2)}$`));
      await new Promise((r) => setTimeout(r, Math.random() * 40));
      child.process.kill("SIGKILL");
      await child.exited;
      const count = await expectWholeFrames(createFileStore({ home, user: "crash" }));
      expect(count).toBeGreaterThan(before);
      before = count;
    }
  });

  it("a frame directory renamed into place but never listed in stack.json (killed between the two) is invisible", async () => {
    const home = newHome();
    const store = createFileStore({ home, user: "crash" });
    const part = { data: new TextEncoder().encode("whole"), contentType: "text/plain" };
    await store.push({ stack: "loop", id: "frame-1", attachments: [part] });
    const frames = join(store.root, "stacks", "crash", stackFolderName("crash", "loop"), "frames");
    await cp(join(frames, "frame-1"), join(frames, "frame-2"), { recursive: true });
    await expect(store.getFrame("loop", "frame-2")).rejects.toBeInstanceOf(FrameNotFoundError);
    await expect(store.getAttachment("loop", "frame-2", 0)).rejects.toBeInstanceOf(FrameNotFoundError);
    expect((await store.getStack("loop")).frames.map((f) => f.id)).toEqual(["frame-1"]);
    // Pushing that id again replaces the leftover.
    await store.push({
      stack: "loop",
      id: "frame-2",
      attachments: [{ ...part, data: new TextEncoder().encode("new") }],
    });
    expect(await (await store.getAttachment("loop", "frame-2", 0)).text()).toBe("new");
  });
});

describe("a server killed mid-push and restarted", () => {
  it("shows the frames before the kill and nothing of the push in flight; tokens persist", {
    timeout: 60_000,
  }, async () => {
    const home = newHome();
    const first = startChild("serverProcess.child.ts", [home]);
    const { apiUrl, token } = JSON.parse(await first.line(/^\{/)) as { apiUrl: string; token: string };
    const part = (s: string) => ({ data: Buffer.from(s).toString("base64"), content_type: "text/plain" });
    const done = await call(apiUrl, "POST", "/stacks/push", {
      token,
      json: { stack: "dstack/crash", id: "complete", timestamp: 1, attachments: [part("kept")] },
    });
    expect(done.status).toBe(200);
    // A large push: three attachments announced by length, two of them uploaded, then the kill.
    const announced = await call(apiUrl, "POST", "/stacks/push", {
      token,
      json: {
        stack: "dstack/crash",
        id: "in-flight",
        timestamp: 2,
        attachments: [0, 1, 2].map(() => ({ length: 100_000, content_type: "application/octet-stream" })),
      },
    });
    const uploads = announced.body.attachments as Array<{ upload_url: string }>;
    for (const u of uploads.slice(0, 2)) {
      expect((await call(apiUrl, "PUT", u.upload_url, { body: new Uint8Array(100_000) })).status).toBe(200);
    }
    first.process.kill("SIGKILL");
    await first.exited;

    const second = startChild("serverProcess.child.ts", [home]);
    try {
      const again = JSON.parse(await second.line(/^\{/)) as { apiUrl: string; token: string };
      expect(again.token).toBe(token);
      const stack = await call(again.apiUrl, "GET", "/stacks/dstack/crash", { token });
      expect(stack.body.stack).toMatchObject({ head: { id: "complete" }, frames: [{ id: "complete" }] });
      expect((await call(again.apiUrl, "GET", "/frames/dstack/crash/in-flight", { token })).status).toBe(404);
      // The old upload URLs died with the process; the client pushes again from the start.
      expect(
        (
          await call(again.apiUrl, "PUT", uploads[2]?.upload_url.replace(apiUrl, again.apiUrl) as string, {
            body: new Uint8Array(100_000),
          })
        ).status,
      ).toBe(404);
    } finally {
      second.process.kill("SIGKILL");
      await second.exited;
    }
  });
});
