import { type EnsureQueryDataOptions, hashKey, type QueryClient, type QueryKey } from "@tanstack/react-query";
import { AbortError, throwIfAborted } from "../../model/errors";

// Callers still waiting on each shared query, per client: the query is cancelled only when the last one leaves.
const waiting = new WeakMap<QueryClient, Map<string, number>>();

/**
 * `client.ensureQueryData(query)` for a query that other query functions share (a frame's attachment list, an
 * attachment's bytes). When `signal` aborts and no other caller or component still wants it, its fetch is
 * cancelled too (its store read gets the abort); the caller rejects with AbortError.
 */
export async function ensureShared<T, K extends QueryKey>(
  client: QueryClient,
  query: EnsureQueryDataOptions<T, Error, T, K>,
  signal: AbortSignal,
): Promise<T> {
  throwIfAborted(signal);
  const hash = hashKey(query.queryKey);
  let counts = waiting.get(client);
  if (!counts) {
    counts = new Map();
    waiting.set(client, counts);
  }
  const waiters = counts;
  waiters.set(hash, (waiters.get(hash) ?? 0) + 1);
  let left = false;
  const leave = () => {
    if (left) return 0;
    left = true;
    const rest = (waiters.get(hash) ?? 1) - 1;
    if (rest > 0) waiters.set(hash, rest);
    else waiters.delete(hash);
    return rest;
  };
  const onAbort = () => {
    if (leave() > 0) return;
    const cached = client.getQueryCache().find({ queryKey: query.queryKey, exact: true });
    if (cached && cached.getObserversCount() === 0 && cached.state.fetchStatus === "fetching") {
      void client.cancelQueries({ queryKey: query.queryKey, exact: true });
    }
  };
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    return await client.ensureQueryData(query);
  } catch (error) {
    if (signal.aborted) throw new AbortError();
    throw error;
  } finally {
    signal.removeEventListener("abort", onAbort);
    leave();
  }
}
