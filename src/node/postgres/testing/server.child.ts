// A dstack server on PostgreSQL in a process of its own, so tests can SIGKILL it mid-upload.
// Usage: node --import tsx server.child.ts DATABASE_URL HOME; prints {"apiUrl", "token", "pid"} once listening.
import { startServer } from "../../server";

const [database, home] = process.argv.slice(2);
if (!database || !home) throw new Error("usage: server.child.ts DATABASE_URL HOME");
const server = await startServer({ database, home, port: 0, host: "127.0.0.1" });
process.stdout.write(`${JSON.stringify({ apiUrl: server.apiUrl, token: server.token, pid: process.pid })}\n`);
