// The `dstack` CLI as users run it: a child process with a temporary HOME (never the real ~/.dstack).
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { type Child, scriptPath, startChild, tsxArgs } from "./testing/childProcess";
import { tempHomes } from "./testing/tempHome";

const run = promisify(execFile);
const newHome = tempHomes("dstack-cli-");
const cli = scriptPath("../cli.ts");
const servers: Child[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.process.kill("SIGKILL");
    await s.exited;
  }
});

/** Runs `dstack ...args` with HOME set; resolves with its output even when it fails. */
async function dstack(home: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [...tsxArgs, cli, ...args], {
      env: { ...process.env, HOME: home, USERPROFILE: home },
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
    // The login URL works: the built-in page, and its API call hands out the token.
    const page = await fetch(first.loginUrl);
    expect(await page.text()).toContain("dstack-kit server");
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

  it("config add, push and pull CSV, JSON, PNG, SVG and markdown through the default profile", {
    timeout: 60_000,
  }, async () => {
    const home = newHome();
    const { configLine, apiUrl, token } = await serverStart(home);
    const configured = await dstack(home, ...configLine.split(" ").slice(1));
    expect(configured.code).toBe(0);
    expect(configured.stdout).toContain(join(home, ".dstack", "config.yaml"));
    const yaml = readFileSync(join(home, ".dstack", "config.yaml"), "utf8");
    expect(yaml).toContain(`token: ${token}`);
    expect(yaml).toContain(`server: ${apiUrl}`);

    const files: Record<string, string | Uint8Array> = {
      "sales.csv": "region,amount,date\nEU,1.5,2020-01-01\nUS,2,2020-02-01\n",
      "plot.json": JSON.stringify({ data: [{ type: "bar", x: [1, 2], y: [3, 4] }], layout: {} }),
      "chart.png": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      "logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>',
      "notes.md": "# Notes\n\nAll *good*.",
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(home, name), content);

    const pushed = await dstack(
      home,
      "push",
      join(home, "sales.csv"),
      "reports/sales",
      "--description",
      "Q1",
      "--param",
      "region=EU",
      "--param",
      "year=2020",
      "--message",
      "first",
    );
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout.trim()).toBe(`${apiUrl.replace(/\/api$/, "")}/dstack/reports/sales`);
    for (const name of ["plot.json", "chart.png", "logo.svg", "notes.md"]) {
      const result = await dstack(home, "push", join(home, name), `files/${name.replace(".", "-")}`);
      expect(result.code, result.stderr).toBe(0);
    }

    // What the server stored: pandas-style metadata for the CSV, typed params, the file name.
    const stack = (await (
      await fetch(`${apiUrl}/stacks/dstack/reports/sales`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      stack: { head: { message: string; attachments: Array<Record<string, unknown>> } };
    };
    expect(stack.stack.head.message).toBe("first");
    expect(stack.stack.head.attachments[0]).toMatchObject({
      content_type: "text/csv",
      application: "pandas/dataframe",
      description: "Q1",
      params: { region: "EU", year: 2020 },
      settings: { header: true, index: false, schema: ["object", "float64", "datetime64[ns]"], filename: "sales.csv" },
    });

    const out = join(home, "out.csv");
    const pulled = await dstack(
      home,
      "pull",
      "reports/sales",
      "--param",
      "region=EU",
      "--param",
      "year=2020",
      "-o",
      out,
    );
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stderr).toContain(
      `Saved ${Buffer.byteLength(files["sales.csv"] as string)} bytes (text/csv) to ${out}`,
    );
    expect(readFileSync(out, "utf8")).toBe(files["sales.csv"]);
    for (const name of ["plot.json", "chart.png", "logo.svg", "notes.md"]) {
      const result = await dstack(home, "pull", `files/${name.replace(".", "-")}`);
      expect(result.code, result.stderr).toBe(0);
      expect(Buffer.compare(result.bytes, Buffer.from(files[name] as string | Uint8Array)), name).toBe(0);
    }
    const wrongParams = await dstack(home, "pull", "reports/sales", "--param", "region=US");
    expect(wrongParams.code).toBe(1);
    expect(wrongParams.stderr).toMatch(
      /no attachment of .* has params \{region: "US"\}; available: \{region: "EU", year: 2020\}/,
    );
  });

  it("shows upload progress for large files and adds users a running server accepts", { timeout: 60_000 }, async () => {
    const home = newHome();
    const { configLine, apiUrl } = await serverStart(home);
    const added = await dstack(home, "user", "add", "alice", "--home", home);
    expect(added.code).toBe(0);
    const aliceToken = added.stdout.trim();
    expect(aliceToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(added.stderr).toContain(`dstack config add --token ${aliceToken} --user alice`);
    await dstack(
      home,
      "config",
      "add",
      "--token",
      aliceToken,
      "--user",
      "alice",
      "--server",
      apiUrl,
      "--profile",
      "alice",
    );
    await dstack(home, ...configLine.split(" ").slice(1));
    const listed = await dstack(home, "config", "list");
    expect(listed.stdout).toMatch(/^alice\tuser alice\tserver http/m);
    expect(listed.stdout).toMatch(/^default\tuser dstack/m);

    const big = new Uint8Array(6_000_000).map((_, i) => i % 256);
    writeFileSync(join(home, "big.bin"), big);
    const pushed = await dstack(home, "push", join(home, "big.bin"), "blobs/big", "--profile", "alice");
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout.trim()).toMatch(/\/alice\/blobs\/big$/);
    const lines = pushed.stderr.trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.at(-1)).toMatch(/^Uploading .*big\.bin \[#{30}\] 100% 6\.0\/6\.0 MB$/);
    const pulled = await dstack(home, "pull", "/alice/blobs/big", "--profile", "alice");
    expect(Buffer.compare(pulled.bytes, Buffer.from(big))).toBe(0);
    // Small files need no bar.
    writeFileSync(join(home, "small.md"), "hi");
    expect((await dstack(home, "push", join(home, "small.md"), "small")).stderr).toBe("");
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

  it("explains what is wrong: no profile, missing files, bad files, unknown commands", {
    timeout: 60_000,
  }, async () => {
    const home = newHome();
    writeFileSync(join(home, "bad.csv"), 'a,b\n"1,2\n');
    const noProfile = await dstack(home, "pull", "anything");
    expect(noProfile.code).toBe(1);
    expect(noProfile.stderr).toMatch(/no profile "default" in .*config\.yaml: run `dstack config add/);
    const missing = await dstack(home, "push", join(home, "nope.csv"), "stack");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ENOENT/);
    const bad = await dstack(home, "push", join(home, "bad.csv"), "stack");
    expect(bad.stderr).toMatch(/bad\.csv: unclosed quote|bad\.csv:.*line 2/);
    const unknown = await dstack(home, "frobnicate");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command: frobnicate");
    expect(unknown.stderr).toContain("Usage:");
    const flags = await dstack(home, "config", "add", "--token", "t");
    expect(flags.code).toBe(2);
    expect(flags.stderr).toContain("--user is required");
    expect((await dstack(home, "--help")).stdout).toContain("dstack server start");
  });
});
