import type { ParamControl, SelectionValue } from "../../model/paramSpace";
import { encodeParamValue } from "../../model/params";

/** What every generated widget receives. */
export interface WidgetProps {
  control: ParamControl;
  value: SelectionValue | undefined;
  /** Per option (in `control.options` order): whether it leads to an attachment given the other values. */
  available: readonly boolean[];
  onChange(value: SelectionValue): void;
  disabled?: boolean | undefined;
}

/** Position of `value` among the control's options (typed: 1, "1" and true differ), or -1. */
export function optionIndex(control: ParamControl, value: SelectionValue | undefined): number {
  if (value === undefined) return -1;
  const code = encodeParamValue(value);
  return control.options.findIndex((o) => encodeParamValue(o.value) === code);
}
