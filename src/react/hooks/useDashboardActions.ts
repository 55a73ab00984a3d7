import { type UseMutationResult, useMutation, useQueryClient } from "@tanstack/react-query";
import type { Dashboard, DashboardPatch } from "../../model/types";
import { useDstackContext } from "../context";
import { dstackKeys } from "../queryKeys";

/**
 * Creates a dashboard of the store's user (title, description, privacy) and refreshes the dashboard lists.
 * @example const create = useCreateDashboard(); create.mutate({ title: "Weather" }, { onSuccess: (d) => open(d.id) });
 */
export function useCreateDashboard(): UseMutationResult<Dashboard, Error, DashboardPatch | undefined> {
  const { store, storeKey } = useDstackContext();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (init?: DashboardPatch) => store.createDashboard(init),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: dstackKeys.dashboards(storeKey) }),
  });
}

/**
 * Deletes a dashboard (`user` defaults to the store's user) and refreshes the dashboard lists.
 * @example const remove = useDeleteDashboard(); remove.mutate({ id });
 */
export function useDeleteDashboard(): UseMutationResult<void, Error, { id: string; user?: string }> {
  const { store, storeKey } = useDstackContext();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, user }) => store.deleteDashboard(user ?? store.user, id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: dstackKeys.dashboards(storeKey) }),
  });
}
