import { QueryClient } from "@tanstack/react-query";
import { type RenderResult, render } from "@testing-library/react";
import type { ReactElement, ReactNode } from "react";
import type { StackStore } from "../../model/stackStore";
import { createMemoryStore } from "../../storage/memoryStore";
import { DstackProvider, type DstackProviderProps } from "../DstackProvider";

export interface Rendered extends RenderResult {
  store: StackStore;
  queryClient: QueryClient;
}

/** A QueryClient for tests: no retries (errors show at once), no garbage collection timers left running. */
export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Number.POSITIVE_INFINITY } } });
}

/** Renders `ui` inside a DstackProvider on `store` (a fresh memory store by default). */
export function renderWithStore(
  ui: ReactElement,
  options: Partial<Omit<DstackProviderProps, "children">> = {},
): Rendered {
  const store = options.store ?? createMemoryStore();
  const queryClient = options.queryClient ?? testQueryClient();
  // As a wrapper, so `rerender(ui)` keeps the provider (and its cache) around the new element.
  const wrapper = ({ children }: { children: ReactNode }) => (
    <DstackProvider {...options} store={store} queryClient={queryClient}>
      {children}
    </DstackProvider>
  );
  const result = render(ui, { wrapper });
  return { ...result, store, queryClient };
}
