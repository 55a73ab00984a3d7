// A router of a few lines over the history API: the app has five kinds of page, so a dependency is not worth it.
import { useSyncExternalStore } from "react";

export type Route =
  | { page: "stacks" }
  | { page: "dashboards" }
  | { page: "settings" }
  | { page: "verify"; user: string; code: string }
  | { page: "dashboard"; user: string; id: string }
  | { page: "stack"; user: string; stack: string }
  | { page: "missing"; path: string };

const NAVIGATE = "dstack-app:navigate";

/** Reads a path (as in `location.pathname`) and query into a route. */
export function parseRoute(pathname: string, search: string): Route {
  const parts = pathname
    .split("/")
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  if (parts.length === 0) return { page: "stacks" };
  if (parts.length === 1) {
    if (parts[0] === "dashboards") return { page: "dashboards" };
    if (parts[0] === "settings") return { page: "settings" };
  }
  if (parts.length === 2 && parts[0] === "auth" && parts[1] === "verify") {
    const query = new URLSearchParams(search);
    return { page: "verify", user: query.get("user") ?? "", code: query.get("code") ?? "" };
  }
  if (parts.length === 3 && parts[1] === "d") return { page: "dashboard", user: parts[0]!, id: parts[2]! };
  if (parts.length >= 2) return { page: "stack", user: parts[0]!, stack: parts.slice(1).join("/") };
  return { page: "missing", path: pathname };
}

/** `/user/name` for a stack path `user/name` (each segment escaped, the slashes kept). */
export const stackUrl = (path: string) => `/${path.split("/").map(encodeURIComponent).join("/")}`;
export const dashboardUrl = (user: string, id: string) => `/${encodeURIComponent(user)}/d/${encodeURIComponent(id)}`;

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  window.dispatchEvent(new Event(NAVIGATE));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener(NAVIGATE, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(NAVIGATE, onChange);
  };
}

/** The current path (without the query: StackView's urlSync changes the query, which is no new page). */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}

export function useRoute(): Route {
  const pathname = usePathname();
  return parseRoute(pathname, location.search);
}

/**
 * Same-origin links anywhere in the page (the app's own and the kit's, such as a dashboard card's "Open") change
 * the route without a reload. Downloads, new-tab clicks, other windows and the API are left to the browser.
 */
export function interceptLinks(): () => void {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest?.("a");
    if (!anchor || anchor.hasAttribute("download") || (anchor.target && anchor.target !== "_self")) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
    event.preventDefault();
    if (url.pathname + url.search + url.hash !== location.pathname + location.search + location.hash) {
      navigate(url.pathname + url.search + url.hash);
    }
  };
  document.addEventListener("click", onClick);
  return () => document.removeEventListener("click", onClick);
}
