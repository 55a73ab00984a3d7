// Temporary: StackStore moved to src/model/stackStore.ts. Kept only for the protocol handler files being split now;
// delete once nothing imports this path (npm run lint lists who still does).
export type { ReadOptions, StackStore } from "../model/stackStore";
