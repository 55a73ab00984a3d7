import { createContext, useContext, useSyncExternalStore } from "react";
import { type Theme, useDstackContext } from "../context";

const DARK_QUERY = "(prefers-color-scheme: dark)";

function subscribe(onChange: () => void): () => void {
  if (typeof window === "undefined" || typeof window.matchMedia !== "function") return () => {};
  const media = window.matchMedia(DARK_QUERY);
  media.addEventListener("change", onChange);
  return () => media.removeEventListener("change", onChange);
}

const prefersDark = () =>
  typeof window !== "undefined" && typeof window.matchMedia === "function" && window.matchMedia(DARK_QUERY).matches;

/** A `theme` set on a component (e.g. `<StackView theme="dark">`) wins over the provider's for its subtree. */
export const ThemeOverrideContext = createContext<Theme | undefined>(undefined);

/** The theme asked for here: the nearest component override, else the provider's. */
export function useTheme(): Theme {
  const override = useContext(ThemeOverrideContext);
  const { theme } = useDstackContext();
  return override ?? theme;
}

/**
 * The colour scheme in effect: `theme`, or the reader's `prefers-color-scheme` for `auto`. The server (and
 * hydration) render light, then the client follows the media query, so markup always hydrates cleanly.
 */
export function useColorScheme(): "light" | "dark" {
  const theme = useTheme();
  const dark = useSyncExternalStore(subscribe, prefersDark, () => false);
  if (theme === "auto") return dark ? "dark" : "light";
  return theme;
}
