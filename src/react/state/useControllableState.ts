import { useCallback, useRef, useState } from "react";

export interface ControllableStateOptions<T> {
  /** The controlled value; `undefined` means uncontrolled. */
  prop: T | undefined;
  /** Starting value when uncontrolled. */
  defaultProp: T;
  /** Called with every value the component asks for, controlled or not. */
  onChange?: ((value: T) => void) | undefined;
}

/**
 * One state for controlled and uncontrolled use (as Radix does): with `prop` the parent owns the value and hears
 * about changes through `onChange`; without it the component keeps its own, starting at `defaultProp`.
 * @example const [value, setValue] = useControllableState({ prop: params, defaultProp: {}, onChange });
 */
export function useControllableState<T>({
  prop,
  defaultProp,
  onChange,
}: ControllableStateOptions<T>): [T, (next: T) => void] {
  const [own, setOwn] = useState<T>(defaultProp);
  const controlled = prop !== undefined;
  const value = controlled ? prop : own;
  // The latest callback without making setValue change identity on every render of the parent.
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const setValue = useCallback(
    (next: T) => {
      if (Object.is(next, value)) return;
      if (!controlled) setOwn(next);
      onChangeRef.current?.(next);
    },
    [controlled, value],
  );
  return [value, setValue];
}
