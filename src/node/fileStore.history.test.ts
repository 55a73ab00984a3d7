// The file store's frame log: homes 0.2 wrote are converted on first use, uncommitted lines stay invisible, and
// long histories are searched and paged without reading them whole.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FrameNotFoundError } from "../model/errors";
import type { FrameSummary } from "../model/types";
import { createFileStore } from "./fileStore";
import { legacyStackFolderName, stackFolderName } from "./fileStoreFolders";
import { type LogEntry, readBackward, withLog, writeLog } from "./fileStoreLog";
import { tempHomes } from "./testing/tempHome";

const newHome = tempHomes();
const text = (s: string) => ({ data: new TextEncoder().encode(s), contentType: "text/plain" });

interface OldFrame extends FrameSummary {
  seq: number;
}

/**
 * A stack as 0.2 wrote it: stack.json listing every frame (newest first), one folder per frame, in the folder name
 * 0.2 used. `withFiles` chooses which frames get a frame folder (all by default).
 */
function writeOldStack(home: string, name: string, frames: OldFrame[], head: string, withFiles = frames) {
  const dir = join(home, ".dstack", "data", "stacks", "dstack", legacyStackFolderName(name));
  for (const f of withFiles) {
    mkdirSync(join(dir, "frames", f.id), { recursive: true });
    const meta = {
      ...f,
      seq: undefined,
      params: {},
      attachments: [{ index: 0, contentType: "text/plain", params: {}, length: f.id.length }],
    };
    writeFileSync(join(dir, "frames", f.id, "frame.json"), JSON.stringify(meta));
    writeFileSync(join(dir, "frames", f.id, "0.bin"), f.id);
  }
  const sorted = [...frames].sort((a, b) => b.timestamp - a.timestamp || b.seq - a.seq);
  const file = { version: 1, user: "dstack", name, private: false, readme: "old", head, seq: 99, frames: sorted };
  writeFileSync(join(dir, "stack.json"), JSON.stringify(file));
  return dir;
}

const stackDir = (home: string, name: string) =>
  join(home, ".dstack", "data", "stacks", "dstack", stackFolderName("dstack", name));
const stackJson = (home: string, name: string) =>
  JSON.parse(readFileSync(join(stackDir(home, name), "stack.json"), "utf8"));

describe("file store history", () => {
  it("opens a home 0.2 wrote (every frame in stack.json), converts it once, and pushes on", async () => {
    const home = newHome();
    const frames = [
      { id: "f1", timestamp: 1000, seq: 1 },
      { id: "f2", timestamp: 2000, message: "two", seq: 2 },
      { id: "f3", timestamp: 3000, seq: 3 },
    ];
    // A folder a crash left unlisted, as 0.2 could.
    writeOldStack(home, "old/report", frames, "f2", [...frames, { id: "ghost", timestamp: 4000, seq: 4 }]);
    const store = createFileStore({ home, fsync: false });

    // Listing reads it as it is; the first read of the stack converts it.
    expect(await store.listStacks()).toEqual([
      {
        user: "dstack",
        name: "old/report",
        path: "dstack/old/report",
        private: false,
        head: { id: "f2", timestamp: 2000, message: "two" },
      },
    ]);
    const stack = await store.getStack("old/report");
    expect(stack).toMatchObject({ readme: "old", head: { id: "f2", message: "two" }, frameCount: 3 });
    expect(stack.frames.map((f) => f.id)).toEqual(["f3", "f2", "f1"]);
    const converted = stackJson(home, "old/report");
    expect(converted).toMatchObject({ version: 2, count: 3, log: 1, head: { id: "f2" }, newest: { id: "f3" } });
    expect(converted.frames).toBeUndefined();
    await expect(store.getFrame("old/report", "ghost")).rejects.toBeInstanceOf(FrameNotFoundError);
    expect(await (await store.getAttachment("old/report", "f1", 0)).text()).toBe("f1");
    expect(await store.listFrames("old/report", { before: "f2" })).toEqual({
      frames: [{ id: "f1", timestamp: 1000 }],
      more: false,
    });

    await store.push({ stack: "old/report", id: "f4", timestamp: 5000, attachments: [text("4")] });
    expect((await store.getStack("old/report", { frames: 2 })).frames.map((f) => f.id)).toEqual(["f4", "f3"]);
    // The ghost's id is free: its folder was never a frame.
    await store.push({ stack: "old/report", id: "ghost", timestamp: 6000, attachments: [text("real")] });
    expect(await (await store.getAttachment("old/report", "ghost", 0)).text()).toBe("real");
    expect((await store.getStack("old/report")).frameCount).toBe(5);
  });

  it("ignores a log line past the committed end (a push killed before its stack.json) and writes over it", async () => {
    const home = newHome();
    const store = createFileStore({ home, fsync: false });
    await store.push({ stack: "cut", id: "a", timestamp: 1000, attachments: [text("a")] });
    const dir = stackDir(home, "cut");
    // What a process killed between the log and stack.json leaves: a frame folder and a line past logEnd.
    const line = `${JSON.stringify({ id: "b", timestamp: 2000, seq: 1e18 })}\n{"id":"b"`;
    writeFileSync(join(dir, "frames.1.log"), line, { flag: "a" });
    mkdirSync(join(dir, "frames", "b"));
    writeFileSync(
      join(dir, "frames", "b", "frame.json"),
      JSON.stringify({ id: "b", timestamp: 2000, params: {}, attachments: [] }),
    );
    expect((await store.getStack("cut")).frames.map((f) => f.id)).toEqual(["a"]);
    await expect(store.getFrame("cut", "b")).rejects.toBeInstanceOf(FrameNotFoundError);
    await expect(store.updateStack("cut", { head: "b" })).rejects.toBeInstanceOf(FrameNotFoundError);

    await store.push({ stack: "cut", id: "c", timestamp: 3000, attachments: [text("c")] });
    expect(await store.listFrames("cut")).toEqual({
      frames: [
        { id: "c", timestamp: 3000 },
        { id: "a", timestamp: 1000 },
      ],
      more: false,
    });
    const log = readFileSync(join(dir, "frames.1.log"), "utf8");
    expect(
      log
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l).id),
    ).toEqual(["a", "c"]);
  });

  it("writes the log anew for a push older than the newest frame, and removes the old one", async () => {
    const home = newHome();
    const store = createFileStore({ home, fsync: false });
    await store.push({ stack: "late", id: "new", timestamp: 2000, attachments: [text("n")] });
    await store.push({ stack: "late", id: "old", timestamp: 1000, attachments: [text("o")] });
    const dir = stackDir(home, "late");
    expect(readdirSync(dir).filter((n) => n.endsWith(".log"))).toEqual(["frames.2.log"]);
    expect(stackJson(home, "late")).toMatchObject({ log: 2, head: { id: "old" }, newest: { id: "new" }, count: 2 });
    expect((await store.getStack("late")).frames.map((f) => f.id)).toEqual(["new", "old"]);
    await store.push({ stack: "late", id: "newer", timestamp: 3000, attachments: [text("x")] });
    expect((await store.listFrames("late", { before: "newer" })).frames.map((f) => f.id)).toEqual(["new", "old"]);
  });

  it("serves every read while pushes older than the newest frame replace the log under it", async () => {
    const home = newHome();
    const store = createFileStore({ home, fsync: false });
    await store.push({ stack: "race", id: "top", timestamp: 1_000_000, attachments: [text("t")] });
    // A second store on the same folder: readers that hold an older stack.json while the log is replaced.
    const reader = createFileStore({ home, fsync: false });
    let pushing = true;
    const pushes = (async () => {
      for (let i = 0; i < 40; i++) {
        await store.push({ stack: "race", id: `old-${i}`, timestamp: 1000 + i, attachments: [text(String(i))] });
      }
      pushing = false;
    })();
    let reads = 0;
    // Several readers at once, so some hold a stack.json whose log a push is replacing.
    const readLoop = async () => {
      while (pushing) {
        const [stack, page] = await Promise.all([
          reader.getStack("race"),
          reader.listFrames("race", { before: "top" }),
        ]);
        // Each read is whole, whichever log it read: every frame up to its moment, in order.
        expect(stack.frames[0]?.id).toBe("top");
        expect(stack.frames).toHaveLength(Math.min(50, stack.frameCount));
        const n = page.frames.length;
        expect(page.frames.map((f) => f.id)).toEqual(Array.from({ length: n }, (_, i) => `old-${n - 1 - i}`));
        expect((await reader.getFrame("race", "top")).id).toBe("top");
        reads++;
      }
    };
    await Promise.all([readLoop(), readLoop(), readLoop(), readLoop()]);
    await pushes;
    expect(reads).toBeGreaterThan(0);
    const all = await reader.listFrames("race", { limit: Number.POSITIVE_INFINITY });
    expect(all.frames.map((f) => f.id)).toEqual(["top", ...Array.from({ length: 40 }, (_, i) => `old-${39 - i}`)]);
    expect(readdirSync(stackDir(home, "race")).filter((n) => n.endsWith(".log"))).toEqual(["frames.41.log"]);
  });

  it("finds, pages and moves the head to frames deep in 20,000, ties on timestamps included", async () => {
    const home = newHome();
    // Frame i at timestamp 1000 + floor(i / 3): runs of three frames share a millisecond, and frames 8,000 to
    // 8,999 all share one (a run longer than the binary search's last window).
    const frames: OldFrame[] = Array.from({ length: 20_000 }, (_, i) => ({
      id: `f${i}`,
      timestamp: 1000 + Math.floor((i >= 8_000 && i < 9_000 ? 8_000 : i) / 3),
      ...(i % 7 === 0 ? { message: `message ${"x".repeat(i % 300)}` } : {}),
      seq: i + 1,
    }));
    const probes = [
      0, 1, 2, 3, 4_999, 7_999, 8_000, 8_001, 8_500, 8_999, 9_000, 10_000, 10_001, 10_002, 19_998, 19_999,
    ].map((i) => frames[i] as OldFrame);
    writeOldStack(home, "long", frames, "f19999", probes);
    const store = createFileStore({ home, fsync: false });
    const newestFirst = [...frames].reverse();
    const summary = ({ seq: _, ...f }: OldFrame) => f;

    const top = await store.getStack("long");
    expect(top.frameCount).toBe(20_000);
    expect(top.frames).toEqual(newestFirst.slice(0, 50).map(summary));
    for (const probe of probes) {
      expect((await store.getFrame("long", probe.id)).id).toBe(probe.id);
      const at = newestFirst.findIndex((f) => f.id === probe.id);
      const page = await store.listFrames("long", { before: probe.id, limit: 5 });
      expect(page.frames).toEqual(newestFirst.slice(at + 1, at + 6).map(summary));
      expect(page.more).toBe(at + 6 < frames.length);
    }
    // Long pages cross the log's read chunks.
    const deep = await store.listFrames("long", { before: "f10001", limit: 2_000 });
    expect(deep.frames).toEqual(newestFirst.slice(9_999, 11_999).map(summary));
    expect((await store.listFrames("long", { limit: Number.POSITIVE_INFINITY })).frames).toHaveLength(20_000);

    await store.updateStack("long", { head: "f10001" });
    expect((await store.listStacks())[0]?.head).toEqual(summary(frames[10_001] as OldFrame));
    expect((await store.getStack("long", { frames: 0 })).head?.id).toBe("f10001");
  });

  it("reads lines backwards across chunk boundaries, long ones included", async () => {
    const dir = newHome();
    const file = join(dir, "test.log");
    const entries: LogEntry[] = Array.from({ length: 300 }, (_, i) => ({
      id: `e${i}`,
      timestamp: i,
      seq: i,
      ...(i % 50 === 7 ? { message: "m".repeat(70_000 + i) } : {}),
    }));
    const end = await writeLog(file, entries, false);
    const all = await withLog(file, (handle) => readBackward(file, handle, end, Number.POSITIVE_INFINITY));
    expect(all.entries).toEqual([...entries].reverse());
    expect(all.more).toBe(false);
    const some = await withLog(file, (handle) => readBackward(file, handle, end, 120));
    expect(some.entries).toEqual([...entries].reverse().slice(0, 120));
    expect(some.more).toBe(true);
    expect(existsSync(file)).toBe(true);
  });
});
