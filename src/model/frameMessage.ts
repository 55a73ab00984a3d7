import type { Params } from "./params";

/**
 * A frame's commit message: its own, else `params.message` when that is a string. dstack-py 0.5 sends
 * `push_frame(..., message=...)` only as the frame param `message`; taking it from there lets every reader (the
 * revision picker, the stack header) show it. The param itself stays in the params.
 */
export function frameMessage(message: string | undefined, params: Params | undefined): string | undefined {
  if (message !== undefined) return message;
  const fromParams = params?.message;
  return typeof fromParams === "string" ? fromParams : undefined;
}
