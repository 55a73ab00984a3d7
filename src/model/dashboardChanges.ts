import { checkDashboardPatch, deleteCard, insertCards, updateCard } from "./dashboard";
import type { StackStore } from "./stackStore";
import type { Dashboard } from "./types";

/**
 * Reads dashboard `owner/id` (DashboardNotFoundError when there is none), applies `apply`, writes the result and
 * announces it, all as one change; answers the dashboard written. `apply` throws to refuse the change.
 */
export type ChangeDashboard = (owner: string, id: string, apply: (d: Dashboard) => Dashboard) => Promise<Dashboard>;

/**
 * The StackStore methods that change one dashboard, the same in every store that keeps dashboards itself: the
 * rules are model/dashboard.ts's, and the store supplies only `change`. `defaultUser` resolves card stack names.
 */
export function dashboardChanges(
  defaultUser: string,
  change: ChangeDashboard,
): Pick<StackStore, "updateDashboard" | "insertCards" | "updateCard" | "deleteCard"> {
  return {
    async updateDashboard(owner, id, patch) {
      const fields = checkDashboardPatch(patch);
      return change(owner, id, (d) => ({ ...d, ...fields }));
    },
    insertCards: (owner, id, index, cards) => change(owner, id, (d) => insertCards(d, index, cards, defaultUser)),
    updateCard: (owner, id, stack, patch) => change(owner, id, (d) => updateCard(d, stack, patch, defaultUser)),
    deleteCard: (owner, id, stack) => change(owner, id, (d) => deleteCard(d, stack, defaultUser)),
  };
}
