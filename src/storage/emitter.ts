import type { StoreEvent } from "../model/types";

export type Listener = (event: StoreEvent) => void;

/** Whether a value that came from elsewhere (another tab, the server) is a StoreEvent. */
export function isStoreEvent(value: unknown): value is StoreEvent {
  if (typeof value !== "object" || value === null) return false;
  const { type, path } = value as Record<string, unknown>;
  return (type === "stack" || type === "dashboard") && typeof path === "string";
}

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
