// The lock around users.json: one holder at a time across processes, and a holder that died never blocks anyone.
import { spawnSync } from "node:child_process";
import { existsSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isProcessAlive, withFileLock } from "./fileLock";
import { startChild } from "./testing/childProcess";
import { tempHomes } from "./testing/tempHome";

const newDir = tempHomes("dstack-lock-");
const HOUR = 60 * 60 * 1000;
/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid as number;

describe("withFileLock", () => {
  it("runs one task at a time, in this process too, and removes the lock after", async () => {
    const lock = join(newDir(), "x.lock");
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        withFileLock(lock, async () => {
          inside++;
          most = Math.max(most, inside);
          await new Promise((r) => setTimeout(r, 1));
          order.push(i);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toHaveLength(20);
    expect(existsSync(lock)).toBe(false);
  });

  it("releases the lock when the task throws", async () => {
    const lock = join(newDir(), "x.lock");
    await expect(withFileLock(lock, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(existsSync(lock)).toBe(false);
    expect(await withFileLock(lock, async () => 7)).toBe(7);
  });

  it("takes over a lock whose process is dead, however young", async () => {
    const lock = join(newDir(), "x.lock");
    const pid = deadPid();
    expect(isProcessAlive(pid)).toBe(false);
    writeFileSync(lock, `${pid} leftover`);
    expect(await withFileLock(lock, async () => "ok", { staleMs: HOUR, timeoutMs: 5_000 })).toBe("ok");
    expect(existsSync(lock)).toBe(false);
  });

  it("takes over a lock naming this process's pid that this process does not hold (a restarted container's pid 1)", async () => {
    const lock = join(newDir(), "x.lock");
    writeFileSync(lock, `${process.pid} from-an-earlier-process`);
    expect(await withFileLock(lock, async () => "ok", { staleMs: HOUR, timeoutMs: 5_000 })).toBe("ok");
  });

  it("waits for a live holder in another process, and takes over once it is killed", { timeout: 30_000 }, async () => {
    const lock = join(newDir(), "x.lock");
    const holder = startChild("userRegistry.child.ts", [lock, "hold"]);
    await holder.line(/^locked$/);
    const pid = holder.process.pid as number;
    await expect(withFileLock(lock, async () => "no", { staleMs: HOUR, timeoutMs: 200 })).rejects.toThrow(
      `held by process ${pid}`,
    );
    holder.process.kill("SIGKILL");
    await holder.exited;
    expect(await withFileLock(lock, async () => "ok", { staleMs: HOUR, timeoutMs: 5_000 })).toBe("ok");
  });

  it("takes over a lock older than staleMs even if its pid is alive (reused), and an empty one only once old", async () => {
    const lock = join(newDir(), "x.lock");
    writeFileSync(lock, "1 pid-one-is-always-alive");
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    expect(await withFileLock(lock, async () => "ok", { staleMs: 10_000, timeoutMs: 5_000 })).toBe("ok");

    writeFileSync(lock, ""); // a lock whose owner has not written its pid yet
    await expect(withFileLock(lock, async () => "no", { staleMs: 10_000, timeoutMs: 100 })).rejects.toThrow(
      /held by process \?/,
    );
    utimesSync(lock, old, old);
    expect(await withFileLock(lock, async () => "ok", { staleMs: 10_000, timeoutMs: 5_000 })).toBe("ok");
  });
});
