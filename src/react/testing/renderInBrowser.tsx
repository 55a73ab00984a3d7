import type { ReactNode } from "react";
import { render } from "vitest-browser-react";
import type { StackStore } from "../../model/stackStore";
import { DstackProvider, type DstackProviderProps } from "../DstackProvider";
import { testQueryClient } from "./renderWithStore";

/** Renders `ui` in real Chromium inside a DstackProvider on `store`. */
export function renderInBrowser(
  ui: ReactNode,
  store: StackStore,
  options: Partial<Omit<DstackProviderProps, "children" | "store">> = {},
) {
  const queryClient = options.queryClient ?? testQueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <DstackProvider {...options} store={store} queryClient={queryClient}>
      {children}
    </DstackProvider>
  );
  return render(ui, { wrapper });
}

/** Resolves once `find()` returns something, polling every animation frame; rejects after `timeout` ms. */
export async function waitFor<T>(
  find: () => T | null | undefined | false,
  timeout = 30_000,
  what = "condition",
): Promise<T> {
  const start = performance.now();
  for (;;) {
    const found = find();
    if (found) return found;
    if (performance.now() - start > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
  }
}
