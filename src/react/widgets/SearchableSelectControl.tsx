// The WAI-ARIA combobox pattern: focus stays in the input and aria-activedescendant points at the active option,
// so the listbox and its options are deliberately not focusable, and a native <select> cannot filter.
// biome-ignore-all lint/a11y/useSemanticElements: see above
// biome-ignore-all lint/a11y/useFocusableInteractive: see above
// biome-ignore-all lint/a11y/noNoninteractiveElementToInteractiveRole: see above
import { type KeyboardEvent, useId, useMemo, useState } from "react";
import { cx } from "../ui/format";
import { optionIndex, type WidgetProps } from "./types";

// A listbox of thousands of rows helps nobody; typing narrows it.
const MAX_SHOWN = 100;

/**
 * A select with a text filter for params with many values (more than 10): the WAI-ARIA combobox pattern with a
 * listbox popup. Type to filter, arrows to move (skipping options that match nothing), Enter to choose, Escape to
 * close; focus stays in the input (`aria-activedescendant`).
 */
export function SearchableSelectControl({ control, value, available, onChange, disabled }: WidgetProps) {
  const id = useId();
  const labelId = `${id}-label`;
  const listId = `${id}-list`;
  const optionId = (i: number) => `${id}-option-${i}`;
  const selected = optionIndex(control, value);
  const selectedLabel = control.options[selected]?.label ?? "";

  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(-1);

  const matches = useMemo(() => {
    const needle = (query ?? "").trim().toLowerCase();
    const out: number[] = [];
    control.options.forEach((option, i) => {
      if (needle === "" || option.label.toLowerCase().includes(needle)) out.push(i);
    });
    return out;
  }, [control, query]);
  const shown = matches.slice(0, MAX_SHOWN);

  const firstEnabled = (list: number[]) => list.find((i) => available[i]) ?? -1;
  const close = () => {
    setOpen(false);
    setQuery(null);
    setActive(-1);
  };
  const openList = () => {
    setOpen(true);
    setActive(selected >= 0 && shown.includes(selected) ? selected : firstEnabled(shown));
  };
  const commit = (i: number) => {
    const option = control.options[i];
    if (!option || !available[i]) return;
    if (i !== selected) onChange(option.value);
    close();
  };
  const move = (step: 1 | -1) => {
    const at = shown.indexOf(active);
    for (let n = 1; n <= shown.length; n++) {
      const candidate = shown[(((at + step * n) % shown.length) + shown.length) % shown.length] as number;
      if (available[candidate]) {
        setActive(candidate);
        document.getElementById(optionId(candidate))?.scrollIntoView?.({ block: "nearest" });
        return;
      }
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (open) move(1);
        else openList();
        break;
      case "ArrowUp":
        event.preventDefault();
        if (open) move(-1);
        else openList();
        break;
      case "Enter":
        if (open && active >= 0) {
          event.preventDefault();
          commit(active);
        }
        break;
      case "Escape":
        if (open || query !== null) {
          event.preventDefault();
          close();
        }
        break;
    }
  };

  return (
    <div className="dk-field dk-field--combobox">
      <label className="dk-field__label" id={labelId} htmlFor={id}>
        {control.label}
      </label>
      <div className="dk-combobox">
        <input
          id={id}
          className="dk-combobox__input"
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={open && active >= 0 ? optionId(active) : undefined}
          disabled={disabled}
          value={query ?? selectedLabel}
          onChange={(event) => {
            const text = event.target.value;
            setQuery(text);
            setOpen(true);
            const needle = text.trim().toLowerCase();
            setActive(control.options.findIndex((o, i) => available[i] && o.label.toLowerCase().includes(needle)));
          }}
          // Clicking opens (a click to place the caret must not close the list); typing replaces the label.
          onClick={() => {
            if (!open) openList();
          }}
          onFocus={(event) => event.target.select()}
          onKeyDown={onKeyDown}
          onBlur={close}
        />
        <span className="dk-combobox__chevron" aria-hidden="true" />
        <ul id={listId} className="dk-combobox__list" role="listbox" aria-labelledby={labelId} hidden={!open}>
          {shown.map((i) => {
            const option = control.options[i];
            const off = !available[i];
            return (
              // Keyboard use goes through the input (aria-activedescendant); the pointer picks directly.
              // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled by the combobox input
              <li
                key={i}
                id={optionId(i)}
                role="option"
                className={cx("dk-combobox__option", i === active && "dk-combobox__option--active")}
                aria-selected={i === selected}
                aria-disabled={off ? true : undefined}
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => commit(i)}
              >
                {option?.label}
              </li>
            );
          })}
          {shown.length === 0 && (
            <li className="dk-combobox__empty" role="option" aria-selected={false} aria-disabled="true">
              No matches
            </li>
          )}
        </ul>
        {open && matches.length > shown.length && (
          <p className="dk-combobox__more">{matches.length - shown.length} more: type to narrow the list</p>
        )}
      </div>
    </div>
  );
}
