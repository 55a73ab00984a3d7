import { useEffect, useSyncExternalStore } from "react";

export type MarkdownModule = typeof import("./MarkdownContent");

let loaded: MarkdownModule | undefined;
let loading: Promise<MarkdownModule> | undefined;
const listeners = new Set<() => void>();

/**
 * Imports the markdown renderer once; every later call gets the same promise. A failed load (offline, blocked
 * chunk) is forgotten, so the next markdown to mount tries again.
 */
export function loadMarkdown(): Promise<MarkdownModule> {
  loading ??= import("./MarkdownContent").then(
    (module) => {
      loaded = module;
      for (const listener of listeners) listener();
      return module;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const getSnapshot = () => loaded;
// The server never renders parsed markdown, and hydration starts from this same snapshot, so the first client
// render always matches the server's markup; React re-renders with the loaded module right after.
const getServerSnapshot = () => undefined;

/** The markdown renderer once loaded, else undefined; the first component to ask starts the (client-only) load. */
export function useMarkdownModule(): MarkdownModule | undefined {
  const module = useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
  useEffect(() => {
    // The plain-text fallback stays readable if the load fails; nothing to report.
    if (!loaded) loadMarkdown().catch(() => {});
  }, []);
  return module;
}
