import { parseStackPath } from "../../model/stackPath";

/** Options every data hook takes. */
export interface DstackQueryOptions {
  /** false: do not fetch (yet). */
  enabled?: boolean;
  /** Refetch every n ms; overrides the provider's `pollInterval`. */
  refetchInterval?: number | false;
}

/** A stack reference resolved against the store's user, or the naming error to report through the query. */
export interface ResolvedStack {
  /** `user/name`, or the raw reference when it is invalid (still a stable key). */
  path: string;
  /** What to pass to store methods: the absolute `/user/name`. */
  ref: string;
  error?: unknown;
}

export function resolveStack(stack: string, user: string): ResolvedStack {
  try {
    const { path } = parseStackPath(stack, user);
    return { path, ref: `/${path}` };
  } catch (error) {
    // Rendering must not throw on a bad name: the query reports it as its error instead.
    return { path: `invalid:${String(stack)}`, ref: String(stack), error };
  }
}
