import type { ReactNode } from "react";
import { ForbiddenError } from "../../src/model/errors";
import type { StackStore } from "../../src/model/stackStore";
import { DstackProvider, type DstackProviderProps } from "../../src/react";

/** What the stories' loaders hand to `render`. */
export interface LoadedStore {
  store: StackStore;
}

/** The provider every story renders in (a fresh QueryClient per story, so no story sees another's cache). */
export function StoryProvider({
  store,
  children,
  ...props
}: Omit<DstackProviderProps, "children"> & { children: ReactNode }) {
  return (
    <DstackProvider store={store} {...props}>
      {children}
    </DstackProvider>
  );
}

/** A store whose stack never arrives: the loading state, frozen. */
export function neverLoadingStore(base: StackStore): StackStore {
  return Object.assign(Object.create(base) as StackStore, {
    getStack: () => new Promise<never>(() => {}),
  });
}

/** A store that answers 403 for every stack, as an HTTP store does for someone else's private stack. */
export function forbiddenStore(base: StackStore): StackStore {
  return Object.assign(Object.create(base) as StackStore, {
    getStack: (stack: string) => Promise.reject(new ForbiddenError(`you may not read ${stack}`)),
  });
}
