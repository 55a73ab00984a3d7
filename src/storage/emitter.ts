import type { StoreEvent } from "../model/types";

export type Listener = (event: StoreEvent) => void;

/** Listener set shared by the local stores; one throwing listener never stops the others. */
export function createEmitter() {
  const listeners = new Set<Listener>();
  return {
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    emit(event: StoreEvent): void {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    },
    get size() {
      return listeners.size;
    },
  };
}
