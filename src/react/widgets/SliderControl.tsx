import { useId } from "react";
import { optionIndex, type WidgetProps } from "./types";

// Tick marks past this many stops would be a grey smear; the track alone reads better.
const MAX_TICKS = 120;

/**
 * The stop a move from `from` to `to` lands on: `to` when it matches an attachment, else the nearest stop that
 * does, further in the direction of travel first, then back towards `from`; `from` when there is none.
 */
export function snapStop(from: number, to: number, available: readonly boolean[]): number {
  if (available[to]) return to;
  const step = to > from ? 1 : -1;
  for (let i = to + step; i >= 0 && i < available.length; i += step) if (available[i]) return i;
  for (let i = to - step; i !== from; i -= step) if (available[i]) return i;
  return from;
}

/**
 * A native range input over exactly the pushed values (one stop each, so arrows step value to value); the value
 * is spoken as its label, and stops that match nothing are skipped and drawn faded.
 */
export function SliderControl({ control, value, available, onChange, disabled }: WidgetProps) {
  const id = useId();
  const stops = control.options;
  const index = Math.max(0, optionIndex(control, value));
  const current = stops[index];
  const last = stops.length - 1;
  return (
    <div className="dk-field dk-field--slider">
      <div className="dk-field__row">
        <label className="dk-field__label" htmlFor={id}>
          {control.label}
        </label>
        <output className="dk-slider__value" htmlFor={id}>
          {current?.label}
        </output>
      </div>
      <input
        id={id}
        type="range"
        className="dk-slider"
        min={0}
        max={last}
        step={1}
        value={index}
        disabled={disabled || stops.length < 2}
        aria-valuetext={current?.label}
        onChange={(event) => {
          const next = snapStop(index, Number(event.target.value), available);
          const option = stops[next];
          if (next !== index && option) onChange(option.value);
        }}
      />
      {stops.length <= MAX_TICKS && last > 0 && (
        <div className="dk-slider__ticks" aria-hidden="true">
          {stops.map((stop, i) => (
            <span
              key={stop.label + String(i)}
              className={available[i] ? "dk-slider__tick" : "dk-slider__tick dk-slider__tick--off"}
              style={{ left: `${(i / last) * 100}%` }}
            />
          ))}
        </div>
      )}
      <div className="dk-slider__range" aria-hidden="true">
        <span>{stops[0]?.label}</span>
        <span>{stops[last]?.label}</span>
      </div>
    </div>
  );
}
