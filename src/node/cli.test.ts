// The `dstack` CLI as users run it: a child process with a temporary HOME (never the real ~/.dstack). Only what
// needs a process is here (a running server, signals, the bin itself); cliMain.test.ts runs the rest in-process.
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { type Child, scriptPath, startChild } from "./testing/childProcess";
import { tempHomes } from "./testing/tempHome";

const run = promisify(execFile);
// By URL: the bin runs in its temporary home, where a bare `--import tsx` would not resolve.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
// The developer's own DSTACK_CONFIG must not reach the CLI under test.
const { DSTACK_CONFIG: _ignored, ...withoutConfigVariable } = process.env;
const newHome = tempHomes("dstack-cli-");
const cli = scriptPath("../cli.ts");
const servers: Child[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.process.kill("SIGKILL");
    await s.exited;
  }
});

/** Runs `dstack ...args` in `home` with HOME set; resolves with its output even when it fails. */
function dstack(home: string, ...args: string[]) {
  return dstackWith(home, {}, ...args);
}

async function dstackWith(home: string, env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", tsxLoader, cli, ...args], {
      cwd: home,
      env: { ...withoutConfigVariable, HOME: home, USERPROFILE: home, ...env },
      encoding: "buffer",
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout: stdout.toString(), stderr: stderr.toString(), bytes: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: Buffer; stderr: Buffer };
    return { code: e.code, stdout: e.stdout.toString(), stderr: e.stderr.toString(), bytes: e.stdout };
  }
}

/** `dstack server start` in the background; resolves with what its banner says. */
async function serverStart(home: string) {
  const child = startChild("../cli.ts", ["server", "start", "--port", "0", "--home", home], {
    ...process.env,
    HOME: home,
  });
  servers.push(child);
  const configLine = await child.line(/^ {4}dstack config add /);
  const loginLine = await child.line(/\/auth\/verify\?/);
  const match = /--token (\S+) --user dstack --server (http:\/\/localhost:(\d+)\/api)$/.exec(configLine);
  if (!match) throw new Error(`unexpected config line: ${configLine}`);
  return {
    child,
    configLine: configLine.trim(),
    loginUrl: loginLine.trim(),
    token: match[1] as string,
    apiUrl: match[2] as string,
  };
}

describe("dstack CLI", () => {
  it("server start prints a login URL and the exact config add line; the default user's token survives restarts", {
    timeout: 60_000,
  }, async () => {
    const home = newHome();
    const first = await serverStart(home);
    expect(first.configLine).toMatch(
      /^dstack config add --token [0-9a-f-]{36} --user dstack --server http:\/\/localhost:\d+\/api$/,
    );
    expect(first.loginUrl).toMatch(/^http:\/\/localhost:\d+\/auth\/verify\?user=dstack&code=[0-9a-f]{16}$/);
    expect(first.child.output()).toContain(`data in ${home}/.dstack`);
    // The login URL opens a page (the app built into the package, or the built-in page before a build), and the
    // code it carries is good for a token.
    const page = await fetch(first.loginUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toMatch(/^<!doctype html>/i);
    const code = new URL(first.loginUrl).searchParams.get("code");
    const verified = await fetch(`${first.apiUrl}/auth/verify?user=dstack&code=${code}`);
    expect(await verified.json()).toEqual({ user: "dstack", token: first.token });

    first.child.process.kill("SIGTERM");
    expect(await first.child.exited).toBe(0);
    const second = await serverStart(home);
    expect(second.token).toBe(first.token);
    expect(second.loginUrl).not.toBe(first.loginUrl);
  });

  it("server start --public-url prints the public login URL and config line (a server behind a proxy)", {
    timeout: 60_000,
  }, async () => {
    const home = newHome();
    const child = startChild(
      "../cli.ts",
      ["server", "start", "--port", "0", "--home", home, "--public-url", "https://dstack.example.org/"],
      { ...process.env, HOME: home },
    );
    servers.push(child);
    expect((await child.line(/\/auth\/verify\?/)).trim()).toMatch(
      /^https:\/\/dstack\.example\.org\/auth\/verify\?user=dstack&code=[0-9a-f]{16}$/,
    );
    expect((await child.line(/^ {4}dstack config add /)).trim()).toMatch(
      /--server https:\/\/dstack\.example\.org\/api$/,
    );
    const refused = await dstack(home, "server", "start", "--port", "0", "--public-url", "javascript:alert(1)");
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("--public-url must be http(s)://host[:port]");
  });

  it("the bin: the process's HOME, DSTACK_CONFIG and folder; bytes on stdout; exit codes 0, 1 and 2", {
    timeout: 60_000,
  }, async () => {
    const home = newHome();
    const { configLine, apiUrl } = await serverStart(home);
    const configured = await dstack(home, ...configLine.split(" ").slice(1));
    expect(configured.code, configured.stderr).toBe(0);
    expect(configured.stdout).toBe(`Profile default saved to ${join(home, ".dstack", "config.yaml")}\n`);
    // A relative file, read from the process's folder; a frame of two attachments.
    writeFileSync(join(home, "a.md"), "# A");
    writeFileSync(join(home, "b.md"), "# B");
    const pushed = await dstack(home, "push", "notes", "a.md", "--param", "n=1", "b.md", "--param", "n=2");
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout.trim()).toBe(`${apiUrl.replace(/\/api$/, "")}/dstack/notes`);
    const pulled = await dstack(home, "pull", "notes", "--param", "n=2");
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stdout).toBe("# B");
    // DSTACK_CONFIG from the process's environment wins over ~/.dstack/config.yaml.
    const elsewhere = await dstackWith(home, { DSTACK_CONFIG: "none.yaml" }, "pull", "notes", "--param", "n=2");
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/no profile "default" in .*none\.yaml \(from DSTACK_CONFIG\)/);
    const usage = await dstack(home, "pull", "notes", "extra");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('unexpected argument "extra"');
  });

  it("user add while a server runs: a permissions change afterwards keeps the user, also after a restart", {
    timeout: 60_000,
  }, async () => {
    const home = newHome();
    const first = await serverStart(home);
    const api = (path: string, token: string, json?: unknown) =>
      fetch(`${first.apiUrl}${path}`, {
        method: json === undefined ? "GET" : "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
    // alice is added and known to the server (her first request made it read the file again).
    const alice = (await dstack(home, "user", "add", "alice", "--home", home)).stdout.trim();
    expect(await (await api("/users/me", alice)).json()).toEqual({ user: "alice" });
    // dave is added; before dave's first request, the owner shares something with alice.
    const dave = (await dstack(home, "user", "add", "dave", "--home", home)).stdout.trim();
    expect(dave).toMatch(/^[0-9a-f-]{36}$/);
    const created = (await (await api("/dashboards/create", first.token, { title: "t" })).json()) as {
      dashboard: { id: string };
    };
    const shared = await api("/permissions/add", first.token, {
      path: `dstack/${created.dashboard.id}`,
      type: "dashboard",
      user: "alice",
    });
    expect(shared.status).toBe(200);
    expect(await (await api("/users/me", dave)).json()).toEqual({ user: "dave" });
    const file = JSON.parse(readFileSync(join(home, ".dstack", "server", "users.json"), "utf8"));
    expect(Object.keys(file.users).sort()).toEqual(["alice", "dave", "dstack"]);
    // The login URL works once.
    const code = new URL(first.loginUrl).searchParams.get("code");
    expect((await fetch(`${first.apiUrl}/auth/verify?user=dstack&code=${code}`)).status).toBe(200);
    expect((await fetch(`${first.apiUrl}/auth/verify?user=dstack&code=${code}`)).status).toBe(403);

    first.child.process.kill("SIGTERM");
    expect(await first.child.exited).toBe(0);
    const second = await serverStart(home);
    const me = await fetch(`${second.apiUrl}/users/me`, { headers: { authorization: `Bearer ${dave}` } });
    expect(await me.json()).toEqual({ user: "dave" });
  });
});
