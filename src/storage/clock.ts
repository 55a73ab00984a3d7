// Time as the HTTP store and its event stream see it. Tests pass their own clock to read the delays and time limits
// the code asked for, instead of measuring elapsed time on a machine whose scheduler they do not control.
import { AbortError } from "../model/errors";

/** @internal not exported from the package: a test seam for retries, timeouts and reconnects. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** A number in [0, 1): the jitter of each backoff. */
  random(): number;
  /** Resolves after `ms`; rejects with AbortError as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A signal that aborts after `ms`: the time limit of one request. */
  timeout(ms: number): AbortSignal;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new AbortError());
      const onAbort = () => {
        clearTimeout(timer);
        reject(new AbortError());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  },
  timeout: (ms) => AbortSignal.timeout(ms),
};
