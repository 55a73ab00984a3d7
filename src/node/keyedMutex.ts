/** Runs tasks one at a time per key (read-modify-write of one stack file), in the order they were asked for. */
export function createKeyedMutex() {
  const tails = new Map<string, Promise<void>>();
  return {
    async run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      let release = () => {};
      const turn = new Promise<void>((resolve) => {
        release = resolve;
      });
      const tail = previous.then(() => turn);
      tails.set(key, tail);
      await previous;
      try {
        return await task();
      } finally {
        release();
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
    get size() {
      return tails.size;
    },
  };
}

export type KeyedMutex = ReturnType<typeof createKeyedMutex>;
