// The kit's whole stylesheet. Every selector starts with a `.dk-` class, so nothing leaks into the host page;
// colours, radius and fonts are CSS variables on `.dk-root`, which a host may override.

const LIGHT = `
  --dk-bg: #ffffff;
  --dk-fg: #1f2328;
  --dk-muted: #57606a;
  --dk-surface: #f6f8fa;
  --dk-border: #d0d7de;
  --dk-accent: #0969da;
  --dk-accent-fg: #ffffff;
  --dk-danger: #cf222e;
  --dk-focus: #0969da;
  --dk-skeleton: #eaeef2;
  --dk-skeleton-shine: #f6f8fa;
  color-scheme: light;`;

const DARK = `
  --dk-bg: #0d1117;
  --dk-fg: #e6edf3;
  --dk-muted: #9198a1;
  --dk-surface: #161b22;
  --dk-border: #30363d;
  --dk-accent: #4493f8;
  --dk-accent-fg: #0d1117;
  --dk-danger: #f85149;
  --dk-focus: #4493f8;
  --dk-skeleton: #21262d;
  --dk-skeleton-shine: #2d333b;
  color-scheme: dark;`;

/**
 * The CSS of `dstack-kit/react`. `<DstackProvider>` injects it once (a hoisted `<style>`, SSR included); pass
 * `injectStyles={false}` and ship this string yourself (e.g. under a CSP that forbids inline styles).
 */
export const dstackCss = `
.dk-root {${LIGHT}
  --dk-radius: 8px;
  --dk-font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --dk-mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  box-sizing: border-box;
  font-family: var(--dk-font);
  font-size: 14px;
  line-height: 1.5;
  color: var(--dk-fg);
  background: var(--dk-bg);
}
.dk-root[data-dk-theme="dark"] {${DARK}
}
.dk-root *, .dk-root *::before, .dk-root *::after { box-sizing: inherit; }
.dk-root :focus-visible { outline: 2px solid var(--dk-focus); outline-offset: 2px; }
.dk-visually-hidden {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}

/* Stack view */
.dk-stack {
  display: flex; flex-direction: column; gap: 16px; padding: 16px; min-width: 0; max-width: 100%;
  border: 1px solid var(--dk-border); border-radius: var(--dk-radius);
}
.dk-stack__header { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 8px 16px; }
.dk-stack__heading { display: flex; align-items: center; gap: 8px; flex: 1 1 240px; min-width: 0; flex-wrap: wrap; }
.dk-stack__title { margin: 0; font-size: 1.25rem; font-weight: 600; overflow-wrap: anywhere; }
.dk-stack__user { color: var(--dk-muted); font-weight: 400; }
.dk-stack__meta { margin: 0; color: var(--dk-muted); display: flex; flex-wrap: wrap; gap: 4px 12px; flex-basis: 100%; order: 1; }
.dk-stack__message { color: var(--dk-fg); }
.dk-stack__readme { padding: 12px 16px; background: var(--dk-surface); border-radius: var(--dk-radius); }
.dk-stack__panel { min-width: 0; }
.dk-badge {
  display: inline-flex; align-items: center; padding: 0 8px; border: 1px solid var(--dk-border);
  border-radius: 999px; font-size: 12px; color: var(--dk-muted);
}
.dk-empty { margin: 0; padding: 24px; text-align: center; color: var(--dk-muted); background: var(--dk-surface); border-radius: var(--dk-radius); }

/* Revisions */
.dk-revisions { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; min-width: 0; max-width: 100%; }
.dk-revisions__select { max-width: min(100%, 360px); }
.dk-revisions__error { color: var(--dk-danger); flex-basis: 100%; }

/* Buttons and fields */
.dk-button {
  display: inline-flex; align-items: center; gap: 8px; min-height: 32px; padding: 4px 12px;
  font: inherit; color: var(--dk-fg); background: var(--dk-surface);
  border: 1px solid var(--dk-border); border-radius: 6px; cursor: pointer;
}
.dk-button:hover:not(:disabled) { border-color: var(--dk-muted); }
.dk-button:disabled { cursor: default; opacity: 0.6; }
.dk-button--small { min-height: 24px; padding: 0 8px; font-size: 12px; }
.dk-controls { display: flex; flex-direction: column; gap: 12px; min-width: 0; }
.dk-controls__fields { display: flex; flex-wrap: wrap; gap: 12px 24px; margin: 0; padding: 0; border: 0; min-width: 0; }
.dk-field { display: flex; flex-direction: column; gap: 4px; flex: 1 1 200px; min-width: 0; max-width: 360px; position: relative; }
.dk-field--checkbox { flex-direction: row; align-items: center; gap: 8px; flex: 0 1 auto; min-height: 32px; align-self: flex-end; }
.dk-field__row { display: flex; justify-content: space-between; gap: 8px; }
.dk-field__label { font-weight: 600; font-size: 13px; }
.dk-select, .dk-combobox__input, .dk-input {
  width: 100%; min-height: 32px; padding: 4px 8px; font: inherit; color: var(--dk-fg);
  background: var(--dk-bg); border: 1px solid var(--dk-border); border-radius: 6px;
}
.dk-checkbox { width: 18px; height: 18px; margin: 0; accent-color: var(--dk-accent); }

/* Slider */
.dk-slider { width: 100%; margin: 4px 0 0; accent-color: var(--dk-accent); }
.dk-slider__value { font-variant-numeric: tabular-nums; color: var(--dk-muted); }
.dk-slider__ticks { position: relative; height: 6px; margin: 0 8px; }
.dk-slider__tick { position: absolute; top: 0; width: 2px; height: 6px; margin-left: -1px; background: var(--dk-muted); }
.dk-slider__tick--off { opacity: 0.25; }
.dk-slider__range { display: flex; justify-content: space-between; font-size: 12px; color: var(--dk-muted); }

/* Tabs */
.dk-tabs { display: flex; gap: 4px; overflow-x: auto; border-bottom: 1px solid var(--dk-border); }
.dk-tab {
  flex: 0 0 auto; padding: 8px 12px; font: inherit; color: var(--dk-muted); background: none;
  border: 0; border-bottom: 2px solid transparent; margin-bottom: -1px; cursor: pointer;
}
.dk-tab[aria-selected="true"] { color: var(--dk-fg); border-bottom-color: var(--dk-accent); font-weight: 600; }
.dk-tab[aria-disabled="true"] { opacity: 0.45; cursor: not-allowed; }

/* Searchable select */
.dk-combobox { position: relative; }
.dk-combobox__input { padding-right: 28px; }
.dk-combobox__chevron {
  position: absolute; right: 10px; top: 12px; width: 8px; height: 8px; pointer-events: none;
  border-right: 2px solid var(--dk-muted); border-bottom: 2px solid var(--dk-muted); transform: rotate(45deg);
}
.dk-combobox__list {
  position: absolute; z-index: 20; left: 0; right: 0; top: calc(100% + 4px); max-height: 280px; overflow-y: auto;
  margin: 0; padding: 4px; list-style: none; background: var(--dk-bg);
  border: 1px solid var(--dk-border); border-radius: 6px; box-shadow: 0 8px 24px rgba(0, 0, 0, 0.16);
}
.dk-combobox__list[hidden] { display: none; }
.dk-combobox__option, .dk-combobox__empty { padding: 4px 8px; border-radius: 4px; cursor: pointer; }
.dk-combobox__option[aria-selected="true"] { font-weight: 600; }
.dk-combobox__option--active { background: var(--dk-accent); color: var(--dk-accent-fg); }
.dk-combobox__option[aria-disabled="true"] { opacity: 0.45; cursor: not-allowed; }
.dk-combobox__empty { color: var(--dk-muted); cursor: default; }
.dk-combobox__more { margin: 4px 0 0; font-size: 12px; color: var(--dk-muted); }

/* Attachments */
.dk-attachment { display: flex; flex-direction: column; gap: 8px; min-width: 0; }
.dk-attachment__body { min-width: 0; }
.dk-plot { position: relative; min-height: 420px; }
.dk-plot > .dk-skeleton { position: absolute; inset: 0; height: auto; }
.dk-plot__canvas { width: 100%; }
.dk-bokeh__frame { display: block; width: 100%; height: 360px; border: 0; }
.dk-image img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.dk-text__body, .dk-api__code {
  margin: 0; padding: 12px; max-height: 480px; overflow: auto; font: 13px/1.5 var(--dk-mono);
  background: var(--dk-surface); border: 1px solid var(--dk-border); border-radius: 6px; white-space: pre;
}
.dk-text__cut { color: var(--dk-muted); }
.dk-notice {
  display: flex; flex-direction: column; align-items: flex-start; gap: 8px; padding: 16px;
  background: var(--dk-surface); border: 1px dashed var(--dk-border); border-radius: var(--dk-radius);
}
.dk-notice p { margin: 0; }
.dk-root code { font-family: var(--dk-mono); font-size: 0.92em; }
.dk-download { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.dk-download__meta { color: var(--dk-muted); font-size: 12px; overflow-wrap: anywhere; }
.dk-download__failed { color: var(--dk-danger); }

/* Markdown */
.dk-markdown { overflow-wrap: anywhere; }
.dk-markdown > :first-child { margin-top: 0; }
.dk-markdown > :last-child { margin-bottom: 0; }
.dk-markdown a { color: var(--dk-accent); }
.dk-markdown pre { overflow: auto; padding: 8px; background: var(--dk-surface); border-radius: 6px; }
.dk-markdown img { max-width: 100%; }
.dk-markdown__source { margin: 0; white-space: pre-wrap; }
.dk-markdown del { color: var(--dk-muted); }
.dk-markdown__table { max-width: 100%; overflow-x: auto; margin: 0 0 1em; }
.dk-markdown table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
.dk-markdown th, .dk-markdown td {
  padding: 4px 10px; border: 1px solid var(--dk-border); vertical-align: top; overflow-wrap: normal;
}
/* Tinted with the text colour, so header and stripes show on the page and on a readme's surface, light or dark. */
.dk-markdown th {
  font-weight: 600; text-align: start;
  background: var(--dk-surface); background: color-mix(in srgb, var(--dk-fg) 7%, transparent);
}
.dk-markdown tbody tr:nth-child(even) { background: color-mix(in srgb, var(--dk-fg) 3%, transparent); }
.dk-markdown .task-list-item { list-style: none; }
.dk-markdown__task { margin: 0 0.4em 0.2em -1.4em; vertical-align: middle; accent-color: var(--dk-accent); }
.dk-markdown .footnotes { margin-top: 1em; border-top: 1px solid var(--dk-border); color: var(--dk-muted); font-size: 0.9em; }

/* Table */
.dk-table { display: flex; flex-direction: column; gap: 8px; min-width: 0; }
.dk-table__toolbar { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px; }
.dk-table__summary { color: var(--dk-muted); font-variant-numeric: tabular-nums; }
.dk-table__scroll { position: relative; overflow: auto; border: 1px solid var(--dk-border); border-radius: 6px; contain: layout paint; width: 100%; }
.dk-table__grid { position: relative; min-width: 100%; }
.dk-table__head { position: sticky; top: 0; z-index: 2; background: var(--dk-surface); }
/* Rows and their stripes span the box even when the columns are narrower than it, as the header band does. */
.dk-table__body { position: relative; min-width: 100%; }
.dk-table__row { position: absolute; top: 0; left: 0; min-width: 100%; }
.dk-table__head .dk-table__row { position: relative; border-bottom: 1px solid var(--dk-border); }
.dk-table__row--odd { background: var(--dk-surface); }
.dk-table__cell {
  position: absolute; top: 0; height: 100%; padding: 0 12px; display: flex; align-items: center;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-variant-numeric: tabular-nums;
}
.dk-table__cell--number { justify-content: flex-end; }
.dk-table__cell--index { color: var(--dk-muted); }
.dk-table__cell--head { padding: 0; }
.dk-table__sort {
  display: flex; align-items: center; justify-content: inherit; gap: 4px; width: 100%; height: 100%;
  padding: 0 12px; font: inherit; font-weight: 600; color: var(--dk-fg); background: none; border: 0; cursor: pointer;
}
.dk-table__name { overflow: hidden; text-overflow: ellipsis; }
.dk-table__sort-icon { font-size: 10px; color: var(--dk-accent); }
.dk-table__null { color: var(--dk-muted); font-style: italic; }
.dk-table__empty { padding: 12px; color: var(--dk-muted); }

/* API panel */
.dk-api { border-top: 1px solid var(--dk-border); padding-top: 12px; }
.dk-api__summary { cursor: pointer; font-weight: 600; }
.dk-api__block { margin-top: 12px; display: flex; flex-direction: column; gap: 4px; min-width: 0; }
.dk-api__bar { display: flex; align-items: center; gap: 8px; }
.dk-api__lang { font-size: 12px; font-weight: 600; color: var(--dk-muted); text-transform: uppercase; letter-spacing: 0.04em; }
.dk-api__status { font-size: 12px; color: var(--dk-muted); }

/* Errors */
.dk-error {
  display: flex; flex-direction: column; align-items: flex-start; gap: 8px; padding: 16px;
  border: 1px solid var(--dk-danger); border-radius: var(--dk-radius); background: var(--dk-bg);
}
.dk-error p { margin: 0; }
.dk-error__title { font-weight: 600; color: var(--dk-danger); }
.dk-error__detail { color: var(--dk-fg); overflow-wrap: anywhere; }

/* Skeletons */
.dk-skeleton {
  border-radius: 6px;
  background: linear-gradient(90deg, var(--dk-skeleton) 25%, var(--dk-skeleton-shine) 50%, var(--dk-skeleton) 75%);
  background-size: 200% 100%;
  animation: dk-shimmer 1.4s ease-in-out infinite;
}
.dk-skeleton--header { height: 32px; width: min(60%, 320px); }
.dk-skeleton--controls { height: 48px; }
.dk-skeleton--plot, .dk-skeleton--image { height: 320px; }
.dk-skeleton--table { height: 240px; }
.dk-skeleton--text { height: 64px; }
@keyframes dk-shimmer { from { background-position: 200% 0; } to { background-position: -200% 0; } }
/* Dashboards: a container query, so a dashboard in a narrow column of a wide page gets one column too */
.dk-dashboard { display: flex; flex-direction: column; gap: 16px; container-type: inline-size; min-width: 0; }
.dk-dashboard__header { display: flex; flex-direction: column; gap: 8px; min-width: 0; }
.dk-dashboard__title { margin: 0; font-size: 1.5em; line-height: 1.25; overflow-wrap: anywhere; }
.dk-dashboard__description > :first-child { margin-top: 0; }
.dk-dashboard__description > :last-child { margin-bottom: 0; }
.dk-dashboard__placeholder, .dk-card__note { margin: 0; color: var(--dk-muted); }
.dk-dashboard__toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; }
.dk-dashboard__status { color: var(--dk-muted); font-size: 13px; }
.dk-dashboard__grid { display: grid; grid-template-columns: minmax(0, 1fr); gap: 16px; }
@container (min-width: 720px) {
  .dk-dashboard__grid { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .dk-card--wide { grid-column: 1 / -1; }
}
.dk-card {
  display: flex; flex-direction: column; gap: 8px; min-width: 0; padding: 12px;
  border: 1px solid var(--dk-border); border-radius: var(--dk-radius); background: var(--dk-bg);
}
.dk-card--hidden { opacity: 0.55; }
.dk-card--dragging { outline: 2px dashed var(--dk-accent); }
.dk-card__header { display: flex; align-items: flex-start; gap: 8px; min-width: 0; }
.dk-card__header > .dk-inline, .dk-card__header > .dk-card__title { flex: 1 1 auto; }
.dk-card__title { margin: 0; font-size: 1.1em; line-height: 1.3; overflow-wrap: anywhere; }
.dk-card__handle { cursor: grab; user-select: none; padding: 2px 4px; color: var(--dk-muted); font-size: 16px; line-height: 1.2; }
.dk-card__open { flex: 0 0 auto; color: var(--dk-accent); }
.dk-card__meta { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; margin: 0; color: var(--dk-muted); font-size: 13px; }
.dk-card__message { color: var(--dk-fg); overflow-wrap: anywhere; }
.dk-card__description > :first-child { margin-top: 0; }
.dk-card__description > :last-child { margin-bottom: 0; }
.dk-card__body { min-width: 0; }
.dk-card__tools { display: flex; flex-wrap: wrap; gap: 6px; margin: 0; padding: 8px 0 0; border: 0; border-top: 1px solid var(--dk-border); min-width: 0; }
.dk-card__tools [aria-pressed="true"] { border-color: var(--dk-accent); color: var(--dk-accent); }
.dk-controls__fixed { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 0; padding: 0; list-style: none; font-size: 13px; }
.dk-controls__fixed-key { color: var(--dk-muted); }
.dk-controls__fixed-key::after { content: ":"; }
.dk-inline { display: flex; align-items: flex-start; gap: 8px; min-width: 0; }
.dk-inline__value { flex: 0 1 auto; min-width: 0; }
.dk-inline--editing { flex-direction: column; align-items: stretch; }
.dk-inline__field { max-width: 100%; }
textarea.dk-input { resize: vertical; }
.dk-inline__actions { display: flex; gap: 8px; }
.dk-button--quiet { background: transparent; border-color: transparent; }
.dk-button--quiet:hover:not(:disabled) { border-color: var(--dk-border); }
.dk-button--danger { color: var(--dk-danger); }
.dk-toggle { display: inline-flex; align-items: center; gap: 8px; min-height: 32px; }
.dk-picker { display: flex; flex-direction: column; gap: 8px; padding: 12px; border: 1px solid var(--dk-border); border-radius: var(--dk-radius); background: var(--dk-surface); }
.dk-picker__top { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
.dk-picker__title { margin: 0; font-size: 1em; }
.dk-picker__list { display: flex; flex-direction: column; gap: 4px; max-height: 320px; overflow: auto; margin: 0; padding: 0; list-style: none; }
.dk-picker__item { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; padding: 4px 0; }
.dk-picker__name { font-weight: 600; overflow-wrap: anywhere; }
.dk-picker__message { flex: 1 1 120px; color: var(--dk-muted); overflow-wrap: anywhere; }
.dk-picker__item > .dk-button { margin-left: auto; }
.dk-label { font-weight: 600; font-size: 13px; }
@media (prefers-reduced-motion: reduce) { .dk-skeleton { animation: none; } }

/* Small screens (down to 320px) */
@media (max-width: 480px) {
  .dk-stack { padding: 12px; gap: 12px; border-radius: 0; border-left: 0; border-right: 0; }
  .dk-field { flex-basis: 100%; max-width: none; }
  .dk-revisions, .dk-revisions__select { width: 100%; max-width: none; }
  .dk-plot { min-height: 300px; }
}
`;
