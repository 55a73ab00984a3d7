import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { deleteCard, insertCards, updateCard } from "../../model/dashboard";
import type { StackStore } from "../../model/stackStore";
import type { CardInit, CardPatch, Dashboard, DashboardPatch } from "../../model/types";
import { useDstackContext } from "../context";
import { dashboardQueryOptions } from "../hooks/queryFactories";
import { dstackKeys } from "../queryKeys";

/** One edit: how it changes the dashboard on screen now, and how the store makes it. */
interface Edit {
  apply(dashboard: Dashboard, defaultUser: string): Dashboard;
  save(store: StackStore, dashboard: Dashboard): Promise<Dashboard>;
  /** What the error banner says failed, e.g. "move the card". */
  what: string;
}

export interface DashboardEditor {
  /** The dashboard with the edits not yet confirmed applied. */
  shown: Dashboard | undefined;
  /** The last save that failed (its edit was rolled back); cleared by `dismissError` or the next success. */
  error: { what: string; cause: unknown } | undefined;
  dismissError(): void;
  saving: boolean;
  update(patch: DashboardPatch): void;
  addCards(cards: CardInit[]): void;
  /** `stack` as cards name it: `user/name`. */
  updateCard(stack: string, patch: CardPatch, what?: string): void;
  removeCard(stack: string): void;
}

/**
 * Optimistic editing of one dashboard: every edit shows at once, is saved through the store in order, and is rolled
 * back (with an error to show) when the store refuses it. `source` is what the store (or the host's prop) says.
 */
export function useDashboardEditor(source: Dashboard | undefined): DashboardEditor {
  const { store, storeKey } = useDstackContext();
  const client = useQueryClient();
  // Edits are chained so each one is saved on top of the previous: a fast move-move-remove keeps its order.
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const [pending, setPending] = useState<Edit[]>([]);
  const [confirmed, setConfirmed] = useState<Dashboard | undefined>(undefined);
  const [error, setError] = useState<DashboardEditor["error"]>(undefined);

  // The store's answer to the last save stands in for `source` until `source` itself catches up (a prop never does).
  const base = confirmed ?? source;
  let shown = base;
  for (const edit of pending) {
    if (!shown) break;
    try {
      shown = edit.apply(shown, store.user);
    } catch {
      // An edit the model refuses (a card removed meanwhile) is left for the store to refuse with a message.
    }
  }

  const run = useCallback(
    (edit: Edit) => {
      if (!source) return;
      setPending((list) => [...list, edit]);
      const key = dashboardQueryOptions(store, source.id, source.user, { cacheKey: storeKey }).queryKey;
      chain.current = chain.current.then(async () => {
        try {
          const saved = await edit.save(store, source);
          client.setQueryData(key, saved);
          setConfirmed(saved);
          setError(undefined);
          void client.invalidateQueries({ queryKey: dstackKeys.dashboards(storeKey) });
        } catch (cause) {
          setError({ what: edit.what, cause });
        } finally {
          setPending((list) => list.filter((e) => e !== edit));
        }
      });
    },
    [source, store, storeKey, client],
  );

  // A new definition from the store (another tab's edit, a refetch) replaces the confirmed copy.
  const [lastSource, setLastSource] = useState(source);
  if (source !== lastSource) {
    setLastSource(source);
    if (pending.length === 0) setConfirmed(undefined);
  }

  return {
    shown,
    error,
    saving: pending.length > 0,
    dismissError: () => setError(undefined),
    update: (patch) =>
      run({
        what: "save the dashboard",
        apply: (d) => ({ ...d, ...patch }),
        save: (s, d) => s.updateDashboard(d.user, d.id, patch),
      }),
    addCards: (cards) =>
      run({
        what: cards.length === 1 ? "add the stack" : "add the stacks",
        apply: (d, user) => insertCards(d, d.cards.length, cards, user),
        // Appended where the store's copy ends: another client may have added cards meanwhile.
        save: (s, d) => s.insertCards(d.user, d.id, Number.MAX_SAFE_INTEGER, cards),
      }),
    // Cards name their stack `user/name`; the store and the model read `/user/name` as that path.
    updateCard: (stack, patch, what = "save the card") =>
      run({
        what,
        apply: (d, user) => updateCard(d, `/${stack}`, patch, user),
        save: (s, d) => s.updateCard(d.user, d.id, `/${stack}`, patch),
      }),
    removeCard: (stack) =>
      run({
        what: "remove the card",
        apply: (d, user) => deleteCard(d, `/${stack}`, user),
        save: (s, d) => s.deleteCard(d.user, d.id, `/${stack}`),
      }),
  };
}
