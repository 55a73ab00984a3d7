// While the workers parse 50 MB, the main thread never runs a task longer than 50 ms: checked with a longtask
// PerformanceObserver and a setTimeout gap probe. A control run parses in-thread to show both would notice.
import { afterAll, describe, expect, it } from "vitest";
import { parseTableSync } from "./parseTable";
import { createTableParser } from "./tableParser";
import { mixedCsvBytes } from "./testing/mixedCsv";

const parser = createTableParser({ workers: 1 });
afterAll(() => parser.close());

/** Runs `work` and reports the main thread's long tasks and largest gap between timer callbacks meanwhile. */
async function watchMainThread(work: () => Promise<unknown>) {
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: "longtask" });
  let running = true;
  let last = performance.now();
  let maxGap = 0;
  const tick = () => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    if (running) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  const started = performance.now();
  await work();
  const elapsed = performance.now() - started;
  running = false;
  // Long task entries are delivered after the task; give them a moment.
  await new Promise((resolve) => setTimeout(resolve, 200));
  observer.disconnect();
  return { longTasks, maxGap, elapsed };
}

describe("the main thread during a 50 MB parse", () => {
  it("can see long tasks (control: an in-thread parse blocks it)", async () => {
    expect(PerformanceObserver.supportedEntryTypes).toContain("longtask");
    const bytes = mixedCsvBytes(10 * 1024 * 1024);
    const { longTasks, maxGap } = await watchMainThread(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      parseTableSync(bytes);
    });
    expect(longTasks.some((d) => d > 50)).toBe(true);
    expect(maxGap).toBeGreaterThan(50);
  });

  // Retried: `npm test` runs the storybook and React browser projects at the same time on 2 cores, and a starved
  // main thread can stretch one short task past 50 ms (seen once in ~4 full runs). A parse that really blocks the
  // page fails every attempt (the control above shows tasks of seconds).
  it("has no task longer than 50 ms while the worker parses", { retry: 2 }, async () => {
    const bytes = mixedCsvBytes(50 * 1024 * 1024);
    // Start the worker first: loading its module is not what is measured.
    await parser.parse("a\n1\n");
    let rows = 0;
    const { longTasks, maxGap, elapsed } = await watchMainThread(async () => {
      const table = await parser.parse(bytes.buffer, { onProgress: () => {} });
      rows = table.rowCount;
    });
    expect(rows).toBeGreaterThan(500_000);
    expect(elapsed).toBeGreaterThan(200);
    expect(longTasks).toEqual([]);
    // The longtask observer is the measure of main-thread tasks. Timer gaps also include OS scheduling: on a
    // 2-core CI machine the worker holds one core, so a gap of 50-100 ms can occur with no long task at all.
    // The bound still fails by far when the parse blocks the page (the control run's gaps are seconds).
    expect(maxGap).toBeLessThan(250);
  });
});
