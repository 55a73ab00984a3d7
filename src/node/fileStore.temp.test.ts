// What a killed process left half-written in the temp area is removed when a store next opens the folder, not an
// hour later; what a live writer (another process) has there is never touched.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFileStore } from "./fileStore";
import { removeDeadWritersTemp } from "./fileStoreTemp";
import { startChild } from "./testing/childProcess";
import { tempHomes } from "./testing/tempHome";

const newHome = tempHomes("dstack-tmp-");
const tmpOf = (home: string) => join(home, ".dstack", "data", "tmp");
/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid as number;

/** A half-written frame in `home`'s temp area, as a writer named `name` left it. */
function plant(home: string, name: string): string {
  const dir = join(tmpOf(home), name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "0.bin"), new Uint8Array(1000));
  return name;
}

describe("file store temp area", () => {
  it("a frame a SIGKILLed process left half-written is gone as soon as a store opens the folder", {
    timeout: 30_000,
  }, async () => {
    const home = newHome();
    const child = startChild("pushLoop.child.ts", [home, "10"]);
    await child.exited;
    expect(child.process.signalCode).toBe("SIGKILL");
    const left = readdirSync(tmpOf(home));
    expect(left).toHaveLength(1);
    expect(readdirSync(join(tmpOf(home), left[0] as string)).length).toBeGreaterThanOrEqual(10);
    // The first call of the next store (a read) cleans up; nothing has to be an hour old.
    const store = createFileStore({ home, user: "crash" });
    expect(await store.listStacks()).toEqual([]);
    expect(readdirSync(tmpOf(home))).toEqual([]);
  });

  it("ready() removes entries of dead processes and of this pid, keeps a live process's, and old-style young ones", {
    timeout: 30_000,
  }, async () => {
    const home = newHome();
    const live = startChild("userRegistry.child.ts", [join(home, "x.lock"), "hold"]);
    await live.line(/^locked$/);
    const dead = [
      plant(home, `frame-${deadPid()}-${randomUUID()}`),
      plant(home, `deleted-${deadPid()}-${randomUUID()}`),
    ];
    // This process's pid on an entry it never wrote: an earlier process with the same pid (a container's pid 1).
    const samePid = plant(home, `frame-${process.pid}-${randomUUID()}`);
    const alive = plant(home, `frame-${live.process.pid}-${randomUUID()}`);
    const legacyYoung = plant(home, `frame-${randomUUID()}`);
    const legacyOld = plant(home, `frame-${randomUUID()}`);
    const hourAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(join(tmpOf(home), legacyOld), hourAgo, hourAgo);
    const foreign = plant(home, "someone-elses");
    await createFileStore({ home }).ready();
    expect(readdirSync(tmpOf(home)).sort()).toEqual([alive, legacyYoung, foreign].sort());
    expect([...dead, samePid, legacyOld].some((n) => existsSync(join(tmpOf(home), n)))).toBe(false);
    live.process.kill("SIGKILL");
    await live.exited;
    // Once that process is gone, the next cleanup takes its entry too.
    expect(await removeDeadWritersTemp(tmpOf(home))).toEqual([alive]);
  });

  it("a store opening the folder while another process pushes leaves that push whole", {
    timeout: 60_000,
  }, async () => {
    const home = newHome();
    const writer = startChild("pushLoop.child.ts", [home]);
    await writer.line(/^pushed 1$/);
    // Opened mid-push (the writer pushes 20 attachments a frame without pause).
    await createFileStore({ home, user: "crash" }).ready();
    await writer.line(/^pushed 4$/);
    writer.process.kill("SIGKILL");
    await writer.exited;
    expect(writer.output()).not.toMatch(/Error|ENOENT/);
    const store = createFileStore({ home, user: "crash" });
    expect((await store.getStack("loop")).frames.length).toBeGreaterThanOrEqual(5);
  });

  it("new temp entries carry the writer's pid", async () => {
    const home = newHome();
    const store = createFileStore({ home, fsync: false });
    let seen: string[] = [];
    await store.push(
      { stack: "pid", attachments: [{ data: new Uint8Array(1), contentType: "x/y" }] },
      {
        onProgress: () => {
          seen = readdirSync(tmpOf(home));
        },
      },
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(new RegExp(`^frame-${process.pid}-[0-9a-f-]{36}$`));
    expect(readdirSync(tmpOf(home))).toEqual([]);
  });
});
