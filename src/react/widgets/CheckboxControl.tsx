import { useId } from "react";
import type { WidgetProps } from "./types";
import { optionIndex } from "./types";

/** A labelled checkbox for a boolean param; disabled when the other value was never pushed or matches nothing. */
export function CheckboxControl({ control, value, available, onChange, disabled }: WidgetProps) {
  const id = useId();
  const checked = value === true;
  const other = optionIndex(control, !checked);
  const canToggle = other >= 0 && available[other] === true;
  return (
    <div className="dk-field dk-field--checkbox">
      <input
        id={id}
        type="checkbox"
        className="dk-checkbox"
        checked={checked}
        disabled={disabled || !canToggle}
        onChange={(event) => onChange(event.target.checked)}
      />
      <label className="dk-field__label" htmlFor={id}>
        {control.label}
      </label>
    </div>
  );
}
