// Moments after which download links of a stack stop working: it was deleted, made private or unshared. Links
// carry the time they were issued, so a link issued before a revocation is refused.
import type { UserRegistry } from "./users";

export function createRevocations(users: UserRegistry | undefined, now: () => number) {
  // Revocations seen by this handler; the registry (when there is one) keeps them across restarts.
  const revoked = new Map<string, number>();
  return {
    /** Download links of stack `path` issued before now stop working. */
    async revoke(path: string): Promise<void> {
      revoked.set(path, now());
      await users?.revoke({ type: "stack", path });
    },
    /** Notes a revocation the registry already recorded itself (`forget` and `unshare` do): no second write. */
    noteRecorded(path: string): void {
      revoked.set(path, now());
    },
    /** Epoch ms of the latest revocation of stack `path`; -Infinity when it never had one. */
    async revokedAt(path: string): Promise<number> {
      const persisted = (await users?.revokedAt({ type: "stack", path })) ?? Number.NEGATIVE_INFINITY;
      return Math.max(revoked.get(path) ?? Number.NEGATIVE_INFINITY, persisted);
    },
  };
}

export type Revocations = ReturnType<typeof createRevocations>;
