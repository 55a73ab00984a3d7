// A server instance on PostgreSQL, in a process of its own (the load generator runs in the bench process).
// Usage: node --import tsx bench/server/postgresServerProcess.ts DATABASE_URL HOME
import { startServer } from "../../src/node/server";

const [database, home] = process.argv.slice(2);
if (!database || !home) throw new Error("usage: postgresServerProcess.ts DATABASE_URL HOME");
const server = await startServer({ database, home, port: 0, host: "127.0.0.1", log: () => {} });
process.stdout.write(`${JSON.stringify({ apiUrl: server.apiUrl, token: server.token })}\n`);
