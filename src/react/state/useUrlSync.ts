import { useCallback, useEffect, useLayoutEffect, useRef } from "react";
import { completeSelection, type ParamSelection, type ParamSpace } from "../../model/paramSpace";
import { readUrlSelection, sameSelection, writeUrlSelection } from "./urlSelection";

export interface UrlSyncOptions {
  enabled: boolean;
  prefix: string;
  space: ParamSpace | undefined;
  /** The selection on screen (complete). */
  value: ParamSelection;
  /** The selection a page without any of our keys shows (what "back" to such an entry restores). */
  initial: ParamSelection | undefined;
  /** Shows a selection read from the URL. */
  apply(next: ParamSelection): void;
}

// useLayoutEffect on the client (so restored values paint in the first frame), a no-op on the server.
const useClientLayoutEffect = typeof window === "undefined" ? useEffect : useLayoutEffect;

/**
 * Keeps a selection in the page's query string: restores it when the space is known (on load, after hydration)
 * and on back/forward (`popstate`); returns `push`, which records a user's change as a new history entry.
 */
export function useUrlSync({ enabled, prefix, space, value, initial, apply }: UrlSyncOptions) {
  const latest = useRef({ value, initial, apply });
  latest.current = { value, initial, apply };

  // On load only a URL that names some of our keys wins over the given params; on back/forward an entry without
  // them means "as the page started".
  const restore = useCallback(
    (navigated: boolean) => {
      if (!space) return;
      const fromUrl = readUrlSelection(window.location.search, space, prefix);
      if (!navigated && Object.keys(fromUrl).length === 0) return;
      const { value: current, initial: start, apply: show } = latest.current;
      const next = completeSelection(space, { ...start, ...fromUrl });
      if (!sameSelection(next, completeSelection(space, current))) show(next);
    },
    [space, prefix],
  );

  useClientLayoutEffect(() => {
    if (enabled) restore(false);
  }, [enabled, restore]);

  useEffect(() => {
    if (!enabled) return;
    const onPopState = () => restore(true);
    window.addEventListener("popstate", onPopState);
    return () => window.removeEventListener("popstate", onPopState);
  }, [enabled, restore]);

  return useCallback(
    (next: ParamSelection) => {
      if (!enabled || !space) return;
      const search = writeUrlSelection(window.location.search, space, next, prefix);
      if (search === window.location.search) return;
      const url = `${window.location.pathname}${search}${window.location.hash}`;
      window.history.pushState(window.history.state, "", url);
    },
    [enabled, space, prefix],
  );
}
