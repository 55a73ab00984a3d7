// Checks of JSON request fields, shared by every route and the push parser: each problem is a 400
// `malformed request` that names the field. Absent and null mean "not given" everywhere.
import { InvalidRequestError } from "../model/errors";
import { parseStackPath, type StackPath } from "../model/stackPath";

/** 400 `malformed request: <message>`. */
export const malformed = (message: string) => new InvalidRequestError(`malformed request: ${message}`);

export function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw malformed(`${field} must be a string`);
  return value;
}

/** A string that is given and not empty. */
export function requiredString(value: unknown, field: string): string {
  const text = optionalString(value, field);
  if (text === undefined || text === "") throw malformed(`${field} is missing`);
  return text;
}

export function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw malformed(`${field} must be true or false`);
  return value;
}

export function optionalNumber(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number") throw malformed(`${field} must be a number`);
  return value;
}

/** An integer from `min` to `max`. */
export function optionalCount(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw malformed(`${field} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** A full `user/name` (a leading `/` tolerated, as dstack-py strips it). */
export function parseWirePath(value: unknown, field = "stack"): StackPath {
  if (typeof value !== "string" || value.length === 0) throw malformed(`${field} must be a 'user/name' string`);
  const path = value.startsWith("/") ? value : `/${value}`;
  return parseStackPath(path, "");
}
