// Temporary: moved to src/model/frameMessage.ts. Kept only for src/protocol/handler.ts; delete once it imports
// the new path.
export { frameMessage } from "../model/frameMessage";
