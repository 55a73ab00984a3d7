import { InvalidRequestError } from "./errors";

/** A tab marker: attachments carrying `{ [title]: { type: "tab" } }` become tabs. */
export interface TabParam {
  type: "tab";
  title?: string;
}
export type ParamValue = string | number | boolean | TabParam;
export type Params = Record<string, ParamValue>;

export function isTabParam(value: unknown): value is TabParam {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "tab";
}

/** Throws InvalidRequestError naming the first key whose value is not a string, finite number, boolean or tab. */
export function validateParams(params: unknown, where = "params"): Params {
  if (params === undefined || params === null) return {};
  if (typeof params !== "object" || Array.isArray(params)) {
    throw new InvalidRequestError(`${where} must be an object of string, number, boolean or {type: "tab"} values`);
  }
  const out: Params = {};
  for (const [key, value] of Object.entries(params)) {
    if (key.length === 0) throw new InvalidRequestError(`${where} has an empty key`);
    // JSON.parse makes "__proto__" an own key; assigning it would set the result's prototype instead.
    if (key === "__proto__") throw new InvalidRequestError(`${where} cannot have a key named "__proto__"`);
    if (typeof value === "string" || typeof value === "boolean") out[key] = value;
    else if (typeof value === "number") {
      if (!Number.isFinite(value))
        throw new InvalidRequestError(`${where}.${key} must be a finite number, got ${value}`);
      out[key] = value;
    } else if (isTabParam(value)) {
      const title = (value as { title?: unknown }).title;
      if (title !== undefined && typeof title !== "string") {
        throw new InvalidRequestError(`${where}.${key}.title must be a string`);
      }
      out[key] = title === undefined ? { type: "tab" } : { type: "tab", title };
    } else {
      const got = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
      throw new InvalidRequestError(
        `${where}.${key} must be a string, a finite number, a boolean or {type: "tab"}; got ${got}`,
      );
    }
  }
  return out;
}

/** A stable text key for one value: type-tagged, so 1, "1" and true never collide. */
export function encodeParamValue(value: ParamValue): string {
  switch (typeof value) {
    case "string":
      return `s:${value}`;
    case "number":
      return `n:${Object.is(value, -0) ? 0 : value}`;
    case "boolean":
      return value ? "b:1" : "b:0";
    default:
      return "t:";
  }
}

/** Stable signature of a set of params, independent of key order. */
export function paramsSignature(params: Params): string {
  const keys = Object.keys(params).sort();
  let out = "";
  for (const key of keys) out += `${key}\u0000${encodeParamValue(params[key] as ParamValue)}\u0001`;
  return out;
}

/** Exact equality of two param sets (same keys, same typed values). */
export function paramsEqual(a: Params, b: Params): boolean {
  return paramsSignature(a) === paramsSignature(b);
}

/** Human label of a value, as widgets show it. */
export function paramLabel(value: ParamValue): string {
  return isTabParam(value) ? (value.title ?? "") : String(value);
}
