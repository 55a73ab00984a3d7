import { useId } from "react";
import { optionIndex, type WidgetProps } from "./types";

/** A labelled native select: keyboard and screen readers work as everywhere; impossible options are disabled. */
export function SelectControl({ control, value, available, onChange, disabled }: WidgetProps) {
  const id = useId();
  const selected = optionIndex(control, value);
  return (
    <div className="dk-field dk-field--select">
      <label className="dk-field__label" htmlFor={id}>
        {control.label}
      </label>
      <select
        id={id}
        className="dk-select"
        value={selected < 0 ? "" : String(selected)}
        disabled={disabled}
        onChange={(event) => {
          const option = control.options[Number(event.target.value)];
          if (option) onChange(option.value);
        }}
      >
        {selected < 0 && <option value="">—</option>}
        {control.options.map((option, i) => (
          // Options are identified by position: values of a mixed select may share a text form.
          // biome-ignore lint/suspicious/noArrayIndexKey: the options of a control never reorder
          <option key={i} value={String(i)} disabled={!available[i] && i !== selected}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
