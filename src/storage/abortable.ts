import { AbortError, throwIfAborted } from "../model/errors";

/**
 * Runs a read under `signal`: an already-aborted signal rejects before `work` starts, an abort while it runs
 * rejects at once (the result, when it comes, is dropped), and a result that lands after an abort is refused too,
 * so a cancelled caller never gets data. `work` receives the signal to stop what it can (file reads, fetches).
 */
export async function abortable<T>(
  signal: AbortSignal | undefined,
  work: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  throwIfAborted(signal);
  if (!signal) return work(undefined);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new AbortError());
    signal.addEventListener("abort", onAbort, { once: true });
  });
  const running = work(signal);
  // Whichever loses the race must not surface as an unhandled rejection.
  running.catch(() => {});
  try {
    const result = await Promise.race([running, aborted]);
    throwIfAborted(signal);
    return result;
  } catch (error) {
    // The work's own abort error (a fetch, a file read) becomes the kit's AbortError.
    if (signal.aborted) throw new AbortError();
    throw error;
  } finally {
    signal.removeEventListener("abort", onAbort as () => void);
  }
}
