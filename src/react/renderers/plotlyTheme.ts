type Layout = Record<string, unknown>;

const COLORS = {
  light: { text: "#1f2328", grid: "#e4e7eb", zero: "#c4c9d0" },
  dark: { text: "#e6e8eb", grid: "#2f3640", zero: "#4b5563" },
} as const;

function axis(scheme: "light" | "dark", own: unknown): Layout {
  const colors = COLORS[scheme];
  const base = { gridcolor: colors.grid, zerolinecolor: colors.zero, linecolor: colors.zero };
  return typeof own === "object" && own !== null ? { ...base, ...(own as Layout) } : base;
}

/**
 * The figure's layout over the kit's theme: transparent backgrounds, text and grid colours of the scheme; any value
 * the figure sets itself wins. The width follows the container (a pushed `width` would not fit small screens).
 */
export function themedLayout(layout: unknown, scheme: "light" | "dark"): Layout {
  const own: Layout = typeof layout === "object" && layout !== null ? { ...(layout as Layout) } : {};
  delete own.width;
  const out: Layout = {
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    ...own,
    autosize: true,
    font: { color: COLORS[scheme].text, ...((own.font as Layout | undefined) ?? {}) },
  };
  for (const key of Object.keys(own)) {
    if (/^[xy]axis\d*$/.test(key)) out[key] = axis(scheme, own[key]);
  }
  out.xaxis = axis(scheme, own.xaxis);
  out.yaxis = axis(scheme, own.yaxis);
  if (typeof out.height !== "number") out.height = 420;
  return out;
}
