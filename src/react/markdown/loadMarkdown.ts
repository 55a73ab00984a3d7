import { useEffect, useSyncExternalStore } from "react";
import type { MarkdownLibraries } from "./MarkdownContent";

// import() of the packages themselves: bundlers put them (and everything they pull in) in chunks of their own,
// loaded on first use, and the kit's CommonJS build keeps import() too, so it never require()s these ESM-only
// packages.
async function importMarkdown(): Promise<MarkdownLibraries> {
  const [reactMarkdown, gfm] = await Promise.all([import("react-markdown"), import("remark-gfm")]);
  return {
    ReactMarkdown: reactMarkdown.default,
    defaultUrlTransform: reactMarkdown.defaultUrlTransform,
    remarkPlugins: [gfm.default],
  };
}

let loaded: MarkdownLibraries | undefined;
let loading: Promise<MarkdownLibraries> | undefined;
const listeners = new Set<() => void>();

/**
 * Imports the markdown libraries once; every later call gets the same promise. A failed load (offline, blocked
 * chunk) is forgotten, so the next markdown to mount tries again.
 */
export function loadMarkdown(): Promise<MarkdownLibraries> {
  loading ??= importMarkdown().then(
    (libraries) => {
      loaded = libraries;
      for (const listener of listeners) listener();
      return libraries;
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
// render always matches the server's markup; React re-renders with the loaded libraries right after.
const getServerSnapshot = () => undefined;

/** The markdown libraries once loaded, else undefined; the first component to ask starts the (client-only) load. */
export function useMarkdownLibraries(): MarkdownLibraries | undefined {
  const libraries = useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
  useEffect(() => {
    // The plain-text fallback stays readable if the load fails; nothing to report.
    if (!loaded) loadMarkdown().catch(() => {});
  }, []);
  return libraries;
}
