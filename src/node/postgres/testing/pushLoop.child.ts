// Pushes frames into a PostgreSQL store until killed (see src/node/testing/pushLoop.ts).
// Usage: node --import tsx pushLoop.child.ts DATABASE_URL [killAtAttachment]
import { pushUntilKilled } from "../../testing/pushLoop";
import { createPostgresStore } from "../postgresStore";

const [database, killAt] = process.argv.slice(2);
if (!database) throw new Error("usage: pushLoop.child.ts DATABASE_URL [killAtAttachment]");
await pushUntilKilled(createPostgresStore({ connectionString: database, user: "crash" }), killAt);
