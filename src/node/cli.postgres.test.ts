// `dstack server start --database` and `dstack user add --database` as users run them: instances on one database
// print the same token and login code, the banner names the database without its password, and a user added by
// the CLI can use every instance at once.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { postgresForTests } from "./postgres/testing/testDatabase";
import { type Child, scriptPath, startChild } from "./testing/childProcess";
import { tempHomes } from "./testing/tempHome";
import { call } from "./testing/testServer";

const run = promisify(execFile);
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const { DSTACK_CONFIG: _config, DSTACK_DATABASE_URL: _database, ...cleanEnv } = process.env;
const pg = postgresForTests();
const newHome = tempHomes("dstack-cli-");
const servers: Child[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.process.kill("SIGKILL");
    await s.exited;
  }
});

/** `dstack server start` in the background with `args` and `env`; resolves with what its banner says. */
async function serverStart(args: string[], env: Record<string, string> = {}) {
  const home = newHome();
  const child = startChild("../cli.ts", ["server", "start", "--port", "0", "--home", home, ...args], {
    ...cleanEnv,
    HOME: home,
    ...env,
  });
  servers.push(child);
  const configLine = await child.line(/^ {4}dstack config add /);
  const loginLine = await child.line(/\/auth\/verify\?/);
  const match = /--token (\S+) --user dstack --server (http:\/\/localhost:(\d+)\/api)$/.exec(configLine);
  if (!match) throw new Error(`unexpected config line: ${configLine}`);
  return { child, loginUrl: new URL(loginLine.trim()), token: match[1] as string, apiUrl: match[2] as string };
}

describe("dstack CLI on PostgreSQL", () => {
  it("instances started with --database or DSTACK_DATABASE_URL print the same token and login code", {
    timeout: 60_000,
  }, async () => {
    const database = await pg.newDatabase();
    const withPassword = database.replace("postgres@", "postgres:hunter2@");
    const [first, second] = await Promise.all([
      serverStart(["--database", withPassword]),
      serverStart([], { DSTACK_DATABASE_URL: database }),
    ]);
    expect(second.token).toBe(first.token);
    expect(second.loginUrl.search).toBe(first.loginUrl.search);
    expect(first.loginUrl.port).not.toBe(second.loginUrl.port);
    const banner = first.child.output();
    expect(banner).toContain(`data in ${database}`);
    expect(banner).not.toContain("hunter2");
    // The code works once, on either.
    const code = first.loginUrl.searchParams.get("code");
    const verified = await call(second.apiUrl, "GET", `/auth/verify?user=dstack&code=${code}`);
    expect(verified.body).toEqual({ user: "dstack", token: first.token });

    const added = await run(
      process.execPath,
      ["--import", tsxLoader, scriptPath("../cli.ts"), "user", "add", "eve", "--database", database],
      {
        env: { ...cleanEnv, HOME: newHome() },
      },
    );
    const token = added.stdout.trim();
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    for (const server of [first, second]) {
      expect((await call(server.apiUrl, "GET", "/users/me", { token })).body).toEqual({ user: "eve" });
    }
  });

  it("exits when its port is taken (the database connections do not keep it alive)", { timeout: 60_000 }, async () => {
    const database = await pg.newDatabase();
    const first = await serverStart(["--database", database]);
    const port = new URL(first.apiUrl).port;
    const home = newHome();
    const second = startChild(
      "../cli.ts",
      ["server", "start", "--port", port, "--home", home, "--database", database],
      {
        ...cleanEnv,
        HOME: home,
      },
    );
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`port ${port} is in use`);
  });

  it("refuses a --database that is not a PostgreSQL URL, and --home with --database", async () => {
    const cli = scriptPath("../cli.ts");
    const fail = (args: string[]) =>
      run(process.execPath, ["--import", tsxLoader, cli, ...args], { env: { ...cleanEnv, HOME: newHome() } }).then(
        () => ({ code: 0, stderr: "" }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
    const bad = await fail(["server", "start", "--database", "mysql://localhost/db"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--database must be a postgres:\/\//);
    const both = await fail(["user", "add", "eve", "--home", newHome(), "--database", "postgres://x@127.0.0.1/db"]);
    expect(both.code).toBe(2);
    // Nothing listens on port 1: the error names the database, without its password.
    const down = await fail(["user", "add", "eve", "--database", "postgres://eve:s3cret@127.0.0.1:1/none"]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain("cannot use the database postgres://eve@127.0.0.1:1/none");
    expect(down.stderr).not.toContain("s3cret");
  });
});
