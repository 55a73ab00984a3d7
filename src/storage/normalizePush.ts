// Temporary: moved to src/model/normalizePush.ts. Kept only for src/protocol/pushRequest.ts (FRAME_ID,
// MAX_TIMESTAMP_MS); delete once it imports the new path.
export { FRAME_ID, MAX_TIMESTAMP_MS } from "../model/normalizePush";
