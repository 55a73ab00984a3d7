import { describe, expect, it } from "vitest";
import type { FrameSummary } from "../../model/types";
import { formatTimestamp } from "../ui/format";
import { frameLabels } from "./revisionLabels";

const at = Date.UTC(2026, 10, 30, 9, 15, 0);
const frame = (id: string, timestamp: number, message?: string): FrameSummary =>
  ({ id, timestamp, ...(message ? { message } : {}) }) as FrameSummary;

describe("frameLabels", () => {
  it("shows time to the minute and the message when that tells revisions apart", () => {
    const frames = [frame("c", at + 120_000, "third"), frame("b", at + 60_000, "second"), frame("a", at, "first")];
    expect(frameLabels(frames, "c")).toEqual([
      `${formatTimestamp(at + 120_000)} · third (head)`,
      `${formatTimestamp(at + 60_000)} · second`,
      `${formatTimestamp(at)} · first`,
    ]);
  });

  it("adds seconds where minute and message repeat, and the revision's number where even seconds do", () => {
    const frames = [
      frame("d", at + 20_000, "nightly"),
      frame("c", at + 5_000, "nightly"),
      frame("b", at + 5_000, "nightly"),
      frame("a", at + 5_000, "other"),
    ];
    const labels = frameLabels(frames, "d", 10);
    expect(new Set(labels).size).toBe(4);
    expect(labels[0]).toBe(`${formatTimestamp(at + 20_000, "seconds")} · nightly (head)`);
    // 10 revisions in all: the newest listed is #10
    expect(labels[1]).toBe(`${formatTimestamp(at + 5_000, "seconds")} · nightly · #9`);
    expect(labels[2]).toBe(`${formatTimestamp(at + 5_000, "seconds")} · nightly · #8`);
    expect(labels[3]).toBe(`${formatTimestamp(at + 5_000)} · other`);
    expect(formatTimestamp(at + 5_000, "seconds")).not.toBe(formatTimestamp(at + 5_000));
  });
});
