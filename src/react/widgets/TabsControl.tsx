import { type KeyboardEvent, useId, useRef } from "react";
import { optionIndex, type WidgetProps } from "./types";

export interface TabsControlProps extends WidgetProps {
  /** The id of the element the tabs switch (`role="tabpanel"`), for `aria-controls`. */
  panelId?: string | undefined;
  /** Prefix of the tab ids (`<idBase>-tab-<i>`), so the panel can name its tab with `aria-labelledby`. */
  idBase?: string | undefined;
}

/** Id of tab `index` of a TabsControl with this `idBase`. */
export function tabId(idBase: string, index: number): string {
  return `${idBase}-tab-${index}`;
}

/**
 * A WAI-ARIA tablist for `{type: "tab"}` params: one tab stop, arrows/Home/End move and select (skipping tabs
 * that match nothing, which stay focusable but `aria-disabled`), as the APG tabs pattern with automatic activation.
 */
export function TabsControl({ control, value, available, onChange, disabled, panelId, idBase }: TabsControlProps) {
  const ownId = useId();
  const base = idBase ?? ownId;
  const selected = Math.max(0, optionIndex(control, value));
  const list = useRef<HTMLDivElement>(null);

  const choose = (i: number) => {
    const option = control.options[i];
    if (!option || disabled || !available[i]) return;
    if (i !== selected) onChange(option.value);
  };

  const focusTab = (i: number) => {
    list.current?.querySelectorAll<HTMLElement>('[role="tab"]')[i]?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const count = control.options.length;
    const from = control.options.findIndex((_, i) => tabId(base, i) === (event.target as HTMLElement).id);
    if (from < 0) return;
    let step = 0;
    let start = from;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") step = 1;
    else if (event.key === "ArrowLeft" || event.key === "ArrowUp") step = -1;
    else if (event.key === "Home") [start, step] = [-1, 1];
    else if (event.key === "End") [start, step] = [count, -1];
    else return;
    event.preventDefault();
    // Wrap around once, skipping tabs that match nothing.
    for (let n = 1; n <= count; n++) {
      const i = (((start + step * n) % count) + count) % count;
      if (available[i]) {
        focusTab(i);
        choose(i);
        return;
      }
    }
  };

  return (
    <div ref={list} className="dk-tabs" role="tablist" aria-label={control.label} onKeyDown={onKeyDown}>
      {control.options.map((option, i) => {
        const isSelected = i === selected;
        const off = !available[i];
        return (
          <button
            // biome-ignore lint/suspicious/noArrayIndexKey: tabs never reorder
            key={i}
            id={tabId(base, i)}
            type="button"
            role="tab"
            className="dk-tab"
            aria-selected={isSelected}
            aria-controls={panelId}
            aria-disabled={off || disabled ? true : undefined}
            tabIndex={isSelected ? 0 : -1}
            onClick={() => choose(i)}
          >
            {option.label}
          </button>
        );
      })}
    </div>
  );
}
