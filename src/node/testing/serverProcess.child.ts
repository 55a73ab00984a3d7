// A dstack server in a process of its own, so tests can SIGKILL it mid-push and start it again on the same data.
// Usage: node --import tsx serverProcess.child.ts HOME [PORT]; prints {"apiUrl", "token", "pid", "users"} once listening.
import { startServer } from "../server";

const [home, port] = process.argv.slice(2);
if (!home) throw new Error("usage: serverProcess.child.ts HOME [PORT]");
const server = await startServer({ home, port: Number(port ?? 0), host: "127.0.0.1" });
// DSTACK_TEST_USERS=bob,carol: more users, their tokens printed under "users".
const users = Object.fromEntries(
  (process.env.DSTACK_TEST_USERS ?? "")
    .split(",")
    .filter(Boolean)
    .map((name) => [name, server.addUser(name)]),
);
process.stdout.write(`${JSON.stringify({ apiUrl: server.apiUrl, token: server.token, pid: process.pid, users })}\n`);
