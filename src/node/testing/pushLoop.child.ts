// Pushes frames into a file store until killed (see pushLoop.ts).
// Usage: node --import tsx pushLoop.child.ts HOME [killAtAttachment]
import { createFileStore } from "../fileStore";
import { pushUntilKilled } from "./pushLoop";

const [home, killAt] = process.argv.slice(2);
if (!home) throw new Error("usage: pushLoop.child.ts HOME [killAtAttachment]");
await pushUntilKilled(createFileStore({ home, user: "crash" }), killAt);
