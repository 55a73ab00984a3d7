import { type ParamSelection, type ParamSpace, TAB_KEY } from "../../model/paramSpace";
import { encodeParamValue } from "../../model/params";

/** The query-string key of a control: the param name, with `tab` for the tab control unless a param has that name. */
export function urlKeyOf(space: ParamSpace, key: string, prefix: string): string {
  if (key !== TAB_KEY) return prefix + key;
  const clash = space.controls.some((c) => c.key === "tab");
  return prefix + (clash ? TAB_KEY : "tab");
}

/**
 * The values a query string holds for this space's controls; unknown keys and values no option has are ignored.
 * @example readUrlSelection("?Coefficient=1.5", space, "") // { Coefficient: 1.5 }
 */
export function readUrlSelection(search: string, space: ParamSpace, prefix = ""): ParamSelection {
  const query = new URLSearchParams(search);
  const out: ParamSelection = {};
  for (const control of space.controls) {
    const raw = query.get(urlKeyOf(space, control.key, prefix));
    if (raw === null) continue;
    const option = control.options.find((o) => String(o.value) === raw);
    if (option) out[control.key] = option.value;
  }
  return out;
}

/** `search` with this space's keys set to `selection` (other query parameters are kept). */
export function writeUrlSelection(search: string, space: ParamSpace, selection: ParamSelection, prefix = ""): string {
  const query = new URLSearchParams(search);
  for (const control of space.controls) {
    const value = selection[control.key];
    const key = urlKeyOf(space, control.key, prefix);
    if (value === undefined) query.delete(key);
    else query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : "";
}

/** Whether two selections hold the same typed values for the same keys. */
export function sameSelection(a: ParamSelection, b: ParamSelection): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => {
    const other = b[k];
    const mine = a[k];
    return other !== undefined && mine !== undefined && encodeParamValue(mine) === encodeParamValue(other);
  });
}
