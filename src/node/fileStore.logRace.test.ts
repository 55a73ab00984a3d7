// A reader that read stack.json just before a push replaced the frame log (a push older than the newest frame
// writes frames.<n+1>.log and removes frames.<n>.log) finds its log gone: it reads stack.json again and answers
// from the new log. The race is forced here by running such a push right before the reader opens its log.
import { describe, expect, it, vi } from "vitest";
import { createFileStore } from "./fileStore";
import { tempHomes } from "./testing/tempHome";

const race = vi.hoisted(() => ({ beforeLogOpen: undefined as undefined | (() => Promise<unknown>), hits: 0 }));

vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  const open: typeof actual.open = async (path, ...rest) => {
    const hook = race.beforeLogOpen;
    if (hook && String(path).endsWith(".log")) {
      race.beforeLogOpen = undefined;
      race.hits++;
      await hook();
    }
    return actual.open(path, ...rest);
  };
  return { ...actual, open, default: { ...actual, open } };
});

const newHome = tempHomes();
const part = (s: string) => [{ data: new TextEncoder().encode(s), contentType: "text/plain" }];

describe("file store: a log replaced under a reader", () => {
  it("getStack, listFrames and getFrame read stack.json again and answer from the new log", async () => {
    const store = createFileStore({ home: newHome(), fsync: false });
    for (let i = 0; i < 5; i++) {
      await store.push({ stack: "race", id: `f${i}`, timestamp: 10_000 + i, attachments: part(String(i)) });
    }
    const older = (id: string, timestamp: number) => () =>
      store.push({ stack: "race", id, timestamp, attachments: part(id) });

    race.beforeLogOpen = older("late-1", 1);
    const stack = await store.getStack("race");
    expect(race.hits).toBe(1);
    expect(stack.frameCount).toBe(6);
    expect(stack.frames.map((f) => f.id)).toEqual(["f4", "f3", "f2", "f1", "f0", "late-1"]);

    race.beforeLogOpen = older("late-2", 2);
    const page = await store.listFrames("race", { limit: 10 });
    expect(race.hits).toBe(2);
    expect(page.frames.map((f) => f.id)).toEqual(["f4", "f3", "f2", "f1", "f0", "late-2", "late-1"]);

    // f2 is neither the head nor the newest frame: it is looked up in the log.
    race.beforeLogOpen = older("late-3", 3);
    expect((await store.getFrame("race", "f2")).id).toBe("f2");
    expect(race.hits).toBe(3);
    expect((await store.getStack("race")).frameCount).toBe(8);
  });
});
