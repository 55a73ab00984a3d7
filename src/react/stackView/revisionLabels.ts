import type { FrameSummary } from "../../model/types";
import { formatTimestamp } from "../ui/format";

/**
 * Labels that tell the listed revisions apart: time to the minute and message; seconds where two share a minute
 * and message; the revision's number (1 = the oldest, when the count is known) where even those repeat.
 */
export function frameLabels(frames: readonly FrameSummary[], headId: string | undefined, total?: number): string[] {
  const what = (frame: FrameSummary) => frame.message?.trim() || `revision ${frame.id.slice(0, 8)}`;
  const countOf = (labels: string[]) => {
    const count = new Map<string, number>();
    for (const label of labels) count.set(label, (count.get(label) ?? 0) + 1);
    return count;
  };
  const byMinute = frames.map((f) => `${formatTimestamp(f.timestamp)} · ${what(f)}`);
  const minuteCount = countOf(byMinute);
  const labels = frames.map((f, i) =>
    (minuteCount.get(byMinute[i] as string) ?? 0) > 1
      ? `${formatTimestamp(f.timestamp, "seconds")} · ${what(f)}`
      : (byMinute[i] as string),
  );
  const count = countOf(labels);
  const newest = Math.max(total ?? 0, frames.length);
  return frames.map((f, i) => {
    const label = labels[i] as string;
    const numbered = (count.get(label) ?? 0) > 1 ? `${label} · #${newest - i}` : label;
    return f.id === headId ? `${numbered} (head)` : numbered;
  });
}
