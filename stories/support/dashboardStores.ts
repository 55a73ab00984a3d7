import { ForbiddenError, InvalidRequestError } from "../../src/model/errors";
import { parseStackPath } from "../../src/model/stackPath";
import type { StackStore } from "../../src/model/stackStore";

/** A view of `base` where reading these stacks (`user/name`) answers 403, as an HTTP store does for a private one. */
export function forbidStacks(base: StackStore, paths: readonly string[]): StackStore {
  const forbidden = new Set(paths);
  return Object.assign(Object.create(base) as StackStore, {
    getStack: (stack: string, options?: Parameters<StackStore["getStack"]>[1]) =>
      forbidden.has(parseStackPath(stack, base.user).path)
        ? Promise.reject(new ForbiddenError(`you may not read ${stack}`))
        : base.getStack(stack, options),
  });
}

/** A view of `base` that refuses every change to a card, as a server would refuse a save. */
export function refusingCardStore(base: StackStore): StackStore {
  const refuse = () => Promise.reject(new InvalidRequestError("the server refused the change (story)"));
  return Object.assign(Object.create(base) as StackStore, { updateCard: refuse, deleteCard: refuse });
}
