import { createContext, useContext, useSyncExternalStore } from "react";
import { type Theme, useDstackContext } from "../context";
import { currentHostColorScheme, subscribeHostColorScheme } from "./hostColorScheme";

/** A `theme` set on a component (e.g. `<StackView theme="dark">`) wins over the provider's for its subtree. */
export const ThemeOverrideContext = createContext<Theme | undefined>(undefined);

/** The theme asked for here: the nearest component override, else the provider's. */
export function useTheme(): Theme {
  const override = useContext(ThemeOverrideContext);
  const { theme } = useDstackContext();
  return override ?? theme;
}

/**
 * The colour scheme in effect: `theme`, or for `auto` the host page's own scheme (its `color-scheme`, else its
 * background), which follows the OS only when the page itself does. The server (and hydration) render light, then
 * the client follows the page, so markup always hydrates cleanly.
 */
export function useColorScheme(): "light" | "dark" {
  return useSchemeOf(useTheme());
}

/** `theme` resolved to the scheme drawn (see useColorScheme). */
export function useSchemeOf(theme: Theme): "light" | "dark" {
  const host = useSyncExternalStore(subscribeHostColorScheme, currentHostColorScheme, () => "light" as const);
  return theme === "auto" ? host : theme;
}
