import { type UseMutationResult, useMutation, useQueryClient } from "@tanstack/react-query";
import type { StackPatch } from "../../model/types";
import { useDstackContext } from "../context";
import { dstackKeys } from "../queryKeys";
import { stackQueryOptions } from "./queryFactories";
import { resolveStack } from "./queryOptions";

/**
 * Changes a stack's head, privacy or readme, then refreshes what shows it (stores without change events too).
 * @example const update = useUpdateStack("line_plot"); update.mutate({ head: frameId });
 */
export function useUpdateStack(stack: string): UseMutationResult<void, Error, StackPatch> {
  const { store, storeKey } = useDstackContext();
  const queryClient = useQueryClient();
  const resolved = resolveStack(stack, store.user);
  return useMutation({
    mutationFn: async (patch: StackPatch) => {
      if (resolved.error) throw resolved.error;
      await store.updateStack(resolved.ref, patch);
    },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: stackQueryOptions(store, stack, { cacheKey: storeKey }).queryKey }),
        queryClient.invalidateQueries({ queryKey: dstackKeys.stacks(storeKey) }),
      ]),
  });
}
