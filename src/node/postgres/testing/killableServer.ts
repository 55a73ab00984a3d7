// A dstack server on PostgreSQL in a process of its own (server.child.ts), for tests that SIGKILL an instance
// mid-push while others on the same database carry on.
import { startChild } from "../../testing/childProcess";

export interface KillableServer {
  apiUrl: string;
  /** The token of the database's `dstack` user. */
  token: string;
  /** SIGKILLs the process and waits for it to exit; safe to call again. */
  kill(): Promise<void>;
}

/** Starts the server on `database` with its config in `home`; resolves once it listens. */
export async function startKillableServer(database: string, home: string): Promise<KillableServer> {
  const child = startChild("../postgres/testing/server.child.ts", [database, home]);
  const kill = async () => {
    child.process.kill("SIGKILL");
    await child.exited;
  };
  try {
    const { apiUrl, token } = JSON.parse(await child.line(/^\{/)) as { apiUrl: string; token: string };
    return { apiUrl, token, kill };
  } catch (error) {
    await kill();
    throw error;
  }
}
