import { InvalidRequestError } from "./errors";
import type { StackPatch } from "./types";

/**
 * Checks a stack update before any store looks the stack up: `head` a frame id string, `private` a boolean,
 * `readme` a string. Returns only these fields; whether `head` names a frame of the stack is the store's to check.
 */
export function checkStackPatch(patch: StackPatch): StackPatch {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
    throw new InvalidRequestError("a stack update must be an object");
  }
  const out: StackPatch = {};
  if (patch.head !== undefined) {
    if (typeof patch.head !== "string") throw new InvalidRequestError("head must be a frame id string");
    out.head = patch.head;
  }
  if (patch.private !== undefined) {
    if (typeof patch.private !== "boolean") throw new InvalidRequestError("private must be a boolean");
    out.private = patch.private;
  }
  if (patch.readme !== undefined) {
    if (typeof patch.readme !== "string") throw new InvalidRequestError("readme must be a string");
    out.readme = patch.readme;
  }
  return out;
}
