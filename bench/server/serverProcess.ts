// The server under test, in a process of its own (the load generator runs in the bench process).
// Usage: node --import tsx bench/server/serverProcess.ts HOME fsync|nofsync
import { startServer } from "../../src/node/server";

const [home, mode] = process.argv.slice(2);
if (!home) throw new Error("usage: serverProcess.ts HOME fsync|nofsync");
const server = await startServer({ home, port: 0, host: "127.0.0.1", fsync: mode !== "nofsync", log: () => {} });
process.stdout.write(`${JSON.stringify({ apiUrl: server.apiUrl, token: server.token })}\n`);
