import {
  completeSelection,
  matchAttachment,
  mergeParamSpaces,
  type ParamSelection,
  type ParamSpace,
  selectionFor,
  TAB_KEY,
} from "./paramSpace";
import { encodeParamValue } from "./params";

/** How the params of a dashboard's cards split into shared widgets and widgets of one card. */
export interface DashboardParams {
  /** Every card's controls merged: the dashboard's one selection covers all of them. */
  merged: ParamSpace;
  /** Keys that two or more cards have: their widgets sit at the top and drive every card that has them. */
  shared: ReadonlySet<string>;
  /** Per card (same order as the input), the keys only that card has: its widgets sit on the card. */
  own: ReadonlyArray<ReadonlySet<string>>;
}

/**
 * Splits the params of the cards' spaces (undefined: the card's stack is not loaded, has no head, or failed).
 * @example planDashboardParams([spaceA, spaceB]).shared // Set {"Region"} when both stacks have a Region param
 */
export function planDashboardParams(spaces: ReadonlyArray<ParamSpace | undefined>): DashboardParams {
  const count = new Map<string, number>();
  for (const space of spaces) {
    for (const control of space?.controls ?? []) count.set(control.key, (count.get(control.key) ?? 0) + 1);
  }
  const shared = new Set([...count].filter(([, n]) => n > 1).map(([key]) => key));
  const own = spaces.map(
    (space) => new Set((space?.controls ?? []).map((c) => c.key).filter((key) => !shared.has(key))),
  );
  const merged = mergeParamSpaces(spaces.filter((s): s is ParamSpace => s !== undefined));
  return { merged, shared, own };
}

/**
 * Whether a card shows under the dashboard's selection: a shared tab param chooses the cards that have the chosen
 * tab; cards without tabs always show. A tab param only one card has switches that card's own attachment instead.
 */
export function cardIsShown(space: ParamSpace | undefined, plan: DashboardParams, value: ParamSelection): boolean {
  if (!space || !plan.shared.has(TAB_KEY)) return true;
  const tabs = space.controls.find((c) => c.key === TAB_KEY);
  const chosen = value[TAB_KEY];
  if (!tabs || chosen === undefined) return true;
  const code = encodeParamValue(chosen);
  return tabs.options.some((o) => encodeParamValue(o.value) === code);
}

/**
 * The attachment a card shows for the dashboard's selection: the card filters on the params its stack has (a param
 * it lacks is ignored) and answers -1 when no attachment has the chosen values.
 */
export function cardAttachment(space: ParamSpace, value: ParamSelection): number {
  return matchAttachment(space, selectionFor(space, value));
}

/**
 * The complete selection of a dashboard: known keys kept, the rest from the defaults (the first card that has the
 * key). Values the user chose for a key no loaded card has are kept too, so they apply when that card arrives.
 */
export function dashboardSelection(plan: DashboardParams, raw: ParamSelection | undefined): ParamSelection {
  return { ...raw, ...completeSelection(plan.merged, raw) };
}
