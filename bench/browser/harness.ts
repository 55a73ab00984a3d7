// Contract between a browser bench entry and bench/browser/run.mjs.
// A bench file default-exports a BrowserBench; the runner bundles it, runs it in headless Chromium,
// and prints median/min/max of each result's samples plus the ratios it asks for.

export interface BenchResult {
  /** One row of the table. */
  name: string;
  /** Wall-clock milliseconds, one per measured iteration (warm-ups excluded). */
  samples: number[];
  /** Bytes each iteration read, if it makes sense: the runner then prints MiB/s (from the median). */
  bytes?: number;
}

export interface BenchRatio {
  /** Label printed in front of the ratio, e.g. "ours / baseline, push + read". */
  name: string;
  /** Result names: numerator / denominator, compared by median and by min. */
  numerator: string;
  denominator: string;
  /**
   * The two results' samples were taken in the same rounds (sample i of each in round i): the median of the
   * round-by-round ratios is printed too, which the machine's drift between rounds does not move.
   */
  paired?: boolean;
}

export interface BenchReport {
  title?: string;
  results: BenchResult[];
  ratios?: BenchRatio[];
  /** Free-form lines printed under the table (data sizes, what exactly is timed...). */
  notes?: string[];
}

export interface BenchContext {
  /** Prints a progress line in the terminal running the bench. */
  log(message: string): void;
  /** The runner's "--name=value" arguments, for benches that can run a part of themselves. */
  args: string[];
}

export type BrowserBench = (context: BenchContext) => Promise<BenchReport>;

/** Runs `fn` and returns how long it took, in milliseconds. */
export async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}
