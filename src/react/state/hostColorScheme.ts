// The colour scheme of the page the kit is embedded in, for `theme="auto"`. Following the OS instead would draw a
// dark card inside a light page whenever the reader's system is dark, as most pages never opt into dark mode.

type Scheme = "light" | "dark";

const DARK_QUERY = "(prefers-color-scheme: dark)";

const osPrefersDark = () => typeof window.matchMedia === "function" && window.matchMedia(DARK_QUERY).matches;

/** `color-scheme` values ("light", "dark", "light dark", "only dark", "normal") to a scheme, or undefined. */
function fromDeclaration(value: string | null | undefined): Scheme | undefined {
  if (!value) return undefined;
  const words = value.trim().toLowerCase().split(/\s+/);
  const light = words.includes("light");
  const dark = words.includes("dark");
  if (light && dark) return osPrefersDark() ? "dark" : "light";
  if (dark) return "dark";
  if (light) return "light";
  return undefined;
}

/** Relative luminance of a computed `rgb()`/`rgba()` colour; undefined when transparent or unparsable. */
function luminance(color: string): number | undefined {
  const parts = color.match(/[\d.]+/g)?.map(Number);
  if (!parts || parts.length < 3) return undefined;
  if (parts.length >= 4 && (parts[3] as number) < 0.5) return undefined;
  const [r, g, b] = parts.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * What the host page declares, in order: the `color-scheme` of `<body>`/`<html>` (CSS or a `color-scheme` meta),
 * else the lightness of the page's background; a page that says nothing is light, as browsers draw it.
 */
export function hostColorScheme(): Scheme {
  if (typeof document === "undefined") return "light";
  const { body, documentElement: root } = document;
  const style = (el: Element | null) => (el ? getComputedStyle(el) : undefined);
  const bodyStyle = style(body);
  const rootStyle = style(root);
  const declared =
    fromDeclaration(bodyStyle?.colorScheme) ??
    fromDeclaration(rootStyle?.colorScheme) ??
    fromDeclaration(document.querySelector('meta[name="color-scheme"]')?.getAttribute("content"));
  if (declared) return declared;
  const background = luminance(bodyStyle?.backgroundColor ?? "") ?? luminance(rootStyle?.backgroundColor ?? "");
  return background !== undefined && background < 0.2 ? "dark" : "light";
}

// One observer for the page, however many views follow it: the scheme is computed when the page changes, and every
// render reads the cached value (computed styles are not free, and every attachment view asks).
const listeners = new Set<() => void>();
let cached: Scheme | undefined;
let stop: (() => void) | undefined;

function refresh(): void {
  const next = hostColorScheme();
  if (next === cached) return;
  cached = next;
  for (const listener of [...listeners]) listener();
}

function observe(): () => void {
  const observer = new MutationObserver(refresh);
  const attributes = { attributes: true };
  observer.observe(document.documentElement, attributes);
  if (document.body) observer.observe(document.body, attributes);
  observer.observe(document.head, { childList: true, subtree: true, attributes: true });
  const media = typeof window.matchMedia === "function" ? window.matchMedia(DARK_QUERY) : undefined;
  media?.addEventListener("change", refresh);
  return () => {
    observer.disconnect();
    media?.removeEventListener("change", refresh);
  };
}

/** The host page's scheme, as last seen by the shared observer (computed now when nothing observes yet). */
export function currentHostColorScheme(): Scheme {
  if (cached === undefined || listeners.size === 0) cached = hostColorScheme();
  return cached;
}

/** Calls `onChange` when the host page switches schemes: a class/style/attribute change, or the OS's. */
export function subscribeHostColorScheme(onChange: () => void): () => void {
  if (typeof window === "undefined" || typeof document === "undefined") return () => {};
  listeners.add(onChange);
  if (listeners.size === 1) {
    cached = hostColorScheme();
    stop = observe();
  }
  return () => {
    listeners.delete(onChange);
    if (listeners.size === 0) {
      stop?.();
      stop = undefined;
    }
  };
}
