// The `dstack` command run in-process (main(argv, io)) against an in-process server: config profiles and where
// they live, arguments it refuses, and pushes of one file or of a frame of several (a param stack).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildParamSpace } from "../model/paramSpace";
import { type CliIo, main } from "./cliMain";
import { tempHomes } from "./testing/tempHome";
import { setupTestServer } from "./testing/testServer";

const t = setupTestServer();
const newHome = tempHomes("dstack-cli-main-");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  bytes: Buffer;
}

/** `dstack ...argv` with this home, current folder and environment (never the real ones). */
function dstack(home: string, where: { cwd?: string; env?: Record<string, string> } = {}) {
  return async (...argv: string[]): Promise<Run> => {
    const out: Buffer[] = [];
    let err = "";
    const io: CliIo = {
      stdout: { write: (chunk) => out.push(Buffer.from(chunk)) },
      stderr: { write: (chunk) => (err += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString()) },
      env: where.env ?? {},
      cwd: where.cwd ?? home,
      home,
    };
    const code = await main(argv, io);
    const bytes = Buffer.concat(out);
    return { code, stdout: bytes.toString(), stderr: err, bytes };
  };
}

/** A home whose default profile is the test server's `dstack` user. */
async function configured() {
  const home = newHome();
  const run = dstack(home);
  const added = await run("config", "add", "--token", t.server.token, "--user", "dstack", "--server", t.server.apiUrl);
  expect(added.code, added.stderr).toBe(0);
  return { home, run };
}

const configFile = (dir: string) => join(dir, ".dstack", "config.yaml");

function plot(y: number[]): string {
  return JSON.stringify({ data: [{ type: "scatter", x: [1, 2, 3], y }], layout: {} });
}

describe("dstack config", () => {
  it("config add NAME takes the profile name as dstack-py does; --profile still works; other profiles stay", async () => {
    const home = newHome();
    const run = dstack(home);
    const url = t.server.apiUrl;
    expect((await run("config", "add", "--token", "T0", "--user", "dstack", "--server", url)).code).toBe(0);
    const work = await run("config", "add", "work", "--token", "T1", "--user", "alice", "--server", `${url}/`);
    expect(work.code, work.stderr).toBe(0);
    expect(work.stdout).toBe(`Profile work saved to ${configFile(home)}\n`);
    expect(
      (await run("config", "add", "--profile", "other", "--token", "T2", "--user", "bob", "--server", url)).code,
    ).toBe(0);
    // An existing profile keeps what is not given.
    expect((await run("config", "add", "work", "--token", "T3")).code).toBe(0);
    const listed = await run("config", "list");
    expect(listed.stdout).toBe(
      `Profiles in ${configFile(home)}:\n` +
        `default\tuser dstack\tserver ${url}\ttoken T0…\n` +
        `work\tuser alice\tserver ${url}\ttoken T3…\n` +
        `other\tuser bob\tserver ${url}\ttoken T2…\n`,
    );
    const twoNames = await run("config", "add", "work", "--profile", "other", "--token", "T");
    expect(twoNames.code).toBe(2);
    expect(twoNames.stderr).toContain("two profile names: work and --profile other");
    const missing = await run("config", "add", "fresh", "--token", "t");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--user is required");
  });

  it("refuses extra arguments in every command instead of ignoring them", async () => {
    const home = newHome();
    const run = dstack(home);
    const cases: Array<[string[], string]> = [
      [["config", "add", "work", "extra", "--token", "T", "--user", "u", "--server", "http://h/api"], "extra"],
      [["config", "list", "work"], "work"],
      [["user", "add", "bob", "carol", "--home", home], "carol"],
      [["server", "start", "now", "--port", "0"], "now"],
      [["pull", "line_plot", "extra"], "extra"],
    ];
    for (const [argv, extra] of cases) {
      const result = await run(...argv);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr).toContain(`dstack: unexpected argument "${extra}"`);
      expect(result.stderr).toContain("Usage:");
    }
    // Nothing was written by the refused commands.
    expect(existsSync(configFile(home))).toBe(false);
    expect(existsSync(join(home, ".dstack", "server"))).toBe(false);
  });

  it("uses DSTACK_CONFIG, else the current folder's .dstack/config.yaml, else the home's, for every command", async () => {
    const home = newHome();
    const project = newHome();
    const url = t.server.apiUrl;
    await dstack(home)("config", "add", "--token", "HOME", "--user", "dstack", "--server", url);
    // A project folder with its own config: commands run there read and write that one.
    mkdirSync(join(project, ".dstack"));
    writeFileSync(configFile(project), `profiles:\n  default:\n    token: ${t.server.token}\n    server: ${url}\n`);
    const inProject = dstack(home, { cwd: project });
    expect((await inProject("config", "list")).stdout).toMatch(/^Profiles in .*\(the current folder's\):\n/);
    writeFileSync(join(project, "notes.md"), "# local");
    const pushed = await inProject("push", "notes.md", "from-project");
    expect(pushed.code, pushed.stderr).toBe(0);
    expect((await inProject("config", "add", "second", "--token", "S", "--user", "u", "--server", url)).code).toBe(0);
    expect(readFileSync(configFile(project), "utf8")).toContain("second:");
    expect(readFileSync(configFile(home), "utf8")).not.toContain("second:");

    // DSTACK_CONFIG beats both, relative to the current folder, and is created by config add.
    const viaEnv = dstack(home, { cwd: project, env: { DSTACK_CONFIG: "ci.yaml" } });
    const saved = await viaEnv("config", "add", "--token", t.server.token, "--user", "dstack", "--server", url);
    expect(saved.stdout).toBe(`Profile default saved to ${join(project, "ci.yaml")} (from DSTACK_CONFIG)\n`);
    expect((await viaEnv("pull", "from-project")).stdout).toBe("# local");
    const empty = dstack(home, { cwd: project, env: { DSTACK_CONFIG: join(project, "none.yaml") } });
    const noProfile = await empty("pull", "from-project");
    expect(noProfile.code).toBe(1);
    expect(noProfile.stderr).toMatch(/no profile "default" in .*none\.yaml \(from DSTACK_CONFIG\)/);
    // --file names the file for config add and list.
    await dstack(home)("config", "add", "--file", "x.yaml", "--token", "X", "--user", "u", "--server", url);
    expect(readFileSync(join(home, "x.yaml"), "utf8")).toContain("token: X");
  });

  it("rewrites a profile keeping verify and other profiles; lists profiles without server with a note", async () => {
    const home = newHome();
    const run = dstack(home);
    mkdirSync(join(home, ".dstack"));
    writeFileSync(
      configFile(home),
      "profiles:\n  cloud:\n    token: CLOUDTOKEN\n  default:\n    token: OLD\n    server: https://x.org/api\n    verify: false\n",
    );
    const listed = await run("config", "list");
    expect(listed.stdout).toMatch(
      /^cloud\tuser dstack\tserver \(none\)\ttoken CLOU…\tcannot be used: no server \(dstack-py's default, the dstack\.ai cloud\): add it with `dstack config add cloud --server URL`$/m,
    );
    expect(listed.stdout).toMatch(
      /^default\tuser dstack\tserver https:\/\/x\.org\/api\ttoken OLD…\tnote: verify: false/m,
    );
    const used = await run("pull", "anything", "--profile", "cloud");
    expect(used.code).toBe(1);
    expect(used.stderr).toMatch(/^dstack: profile "cloud" in .*config\.yaml cannot be used: no server/);

    expect((await run("config", "add", "--token", "NEW", "--user", "dstack", "--server", t.server.apiUrl)).code).toBe(
      0,
    );
    const text = readFileSync(configFile(home), "utf8");
    expect(text).toContain("verify: false");
    expect(text).toMatch(/cloud:\n {4}token: CLOUDTOKEN\n/);
    // cloud becomes usable once it has a server; its token is kept.
    expect((await run("config", "add", "cloud", "--server", t.server.apiUrl, "--user", "dstack")).code).toBe(0);
    expect(readFileSync(configFile(home), "utf8")).toMatch(/cloud:\n {4}token: CLOUDTOKEN\n {4}server: http/);
  });
});

describe("dstack push: a frame of several attachments (a param stack)", () => {
  let home: string;
  let run: ReturnType<typeof dstack>;
  const coefficients = { "a.json": [0.5, 1, 1.5], "b.json": [1, 2, 3], "c.json": [1.5, 3, 4.5] };
  beforeAll(async () => {
    ({ home, run } = await configured());
    for (const [name, y] of Object.entries(coefficients)) writeFileSync(join(home, name), plot(y));
  });

  it("push STACK FILE --param ... FILE --param ... makes one frame with a slider; pull gets each value's bytes", async () => {
    const pushed = await run(
      "push",
      "line_plot",
      "a.json",
      "--param",
      "Coefficient=0.5",
      "--description",
      "low",
      "b.json",
      "--param",
      "Coefficient=1",
      "c.json",
      "--param",
      "Coefficient=1.5",
      "--message",
      "three coefficients",
    );
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toBe(`${t.server.url}/dstack/line_plot\n`);
    expect(pushed.stderr).toBe(
      "[1/3] a.json {Coefficient: 0.5}\n[2/3] b.json {Coefficient: 1}\n[3/3] c.json {Coefficient: 1.5}\n",
    );
    const stack = await t.server.store.getStack("line_plot");
    expect(stack.frames).toHaveLength(1);
    const head = stack.head;
    expect(head?.message).toBe("three coefficients");
    expect(head?.attachments.map((a) => [a.params, a.description, a.application])).toEqual([
      [{ Coefficient: 0.5 }, "low", "plotly"],
      [{ Coefficient: 1 }, undefined, "plotly"],
      [{ Coefficient: 1.5 }, undefined, "plotly"],
    ]);
    const [control] = buildParamSpace(head?.attachments ?? []).controls;
    expect(control).toMatchObject({ key: "Coefficient", kind: "slider" });
    expect(control?.options.map((o) => o.value)).toEqual([0.5, 1, 1.5]);

    for (const [name, value] of [
      ["a.json", "0.5"],
      ["b.json", "1"],
      ["c.json", "1.5"],
    ] as const) {
      const pulled = await run("pull", "line_plot", "--param", `Coefficient=${value}`, "-o", `out-${name}`);
      expect(pulled.code, pulled.stderr).toBe(0);
      expect(readFileSync(join(home, `out-${name}`), "utf8")).toBe(readFileSync(join(home, name), "utf8"));
    }
    const text = await run("pull", "line_plot", "--param", 'Coefficient="1"');
    expect(text.code).toBe(1);
    expect(text.stderr).toContain("no attachment of line_plot (frame");
  });

  it("applies flags before the first file to every file; refuses files with the same params", async () => {
    const pushed = await run(
      "push",
      "fits",
      "--param",
      "Model=linear",
      "--description",
      "fit",
      "a.json",
      "--param",
      "Coefficient=1",
      "b.json",
      "--param",
      "Coefficient=2",
      "--description",
      "steep",
    );
    expect(pushed.code, pushed.stderr).toBe(0);
    const head = (await t.server.store.getStack("fits")).head;
    expect(head?.attachments.map((a) => [a.params, a.description])).toEqual([
      [{ Model: "linear", Coefficient: 1 }, "fit"],
      [{ Model: "linear", Coefficient: 2 }, "steep"],
    ]);
    const same = await run("push", "fits", "--param", "Model=linear", "a.json", "b.json");
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('a.json and b.json have the same params {Model: "linear"}');
    expect((await t.server.store.getStack("fits")).frames).toHaveLength(1);
  });

  it("--manifest FILE (YAML or JSON): files relative to it, typed params, command-line stack and message win", async () => {
    mkdirSync(join(home, "plots"));
    for (const [name, y] of Object.entries(coefficients)) writeFileSync(join(home, "plots", name), plot(y));
    writeFileSync(
      join(home, "plots", "frame.yaml"),
      "stack: from_manifest\nmessage: from the manifest\nparams: {Model: linear}\nattachments:\n" +
        "  - {file: a.json, params: {Coefficient: 0.5}, description: low}\n" +
        "  - {file: b.json, params: {Coefficient: 1}}\n" +
        "  - file: c.json\n    params:\n      Coefficient: 1.5\n",
    );
    const pushed = await run("push", "--manifest", "plots/frame.yaml");
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toBe(`${t.server.url}/dstack/from_manifest\n`);
    const head = (await t.server.store.getStack("from_manifest")).head;
    expect(head?.message).toBe("from the manifest");
    expect(head?.attachments.map((a) => a.params)).toEqual([
      { Model: "linear", Coefficient: 0.5 },
      { Model: "linear", Coefficient: 1 },
      { Model: "linear", Coefficient: 1.5 },
    ]);
    const pulled = await run("pull", "from_manifest", "--param", "Model=linear", "--param", "Coefficient=1");
    expect(pulled.stdout).toBe(readFileSync(join(home, "b.json"), "utf8"));

    writeFileSync(
      join(home, "frame.json"),
      JSON.stringify({
        attachments: [
          { file: "a.json", params: { Year: "2020" } },
          { file: "b.json", params: { Year: 2020 } },
        ],
      }),
    );
    const json = await run("push", "years", "--manifest", "frame.json", "--message", "typed");
    expect(json.code, json.stderr).toBe(0);
    const years = (await t.server.store.getStack("years")).head;
    expect(years?.message).toBe("typed");
    expect(years?.attachments.map((a) => a.params)).toEqual([{ Year: "2020" }, { Year: 2020 }]);

    writeFileSync(join(home, "typo.yaml"), "attachments:\n  - {file: a.json, parms: {a: 1}}\n");
    const typo = await run("push", "typo_stack", "--manifest", "typo.yaml");
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/typo\.yaml: attachments\[0\] has unknown keys parms/);
  });

  it("--private makes the stack private with the frame; a manifest can ask for it too", async () => {
    const pushed = await run(
      "push",
      "secret_plot",
      "--private",
      "a.json",
      "--param",
      "C=1",
      "b.json",
      "--param",
      "C=2",
    );
    expect(pushed.code, pushed.stderr).toBe(0);
    expect((await t.server.store.getStack("secret_plot")).private).toBe(true);
    await expect(t.store("outsider").getStack("/dstack/secret_plot")).rejects.toThrow(/not found/);
    writeFileSync(join(home, "secret.yaml"), "private: true\nattachments: [{file: a.json}]\n");
    expect((await run("push", "secret_notes", "--manifest", "secret.yaml")).code).toBe(0);
    expect((await t.server.store.getStack("secret_notes")).private).toBe(true);
    // Without --private, a new stack is public and an existing one keeps its access.
    expect((await run("push", "a.json", "secret_notes")).code).toBe(0);
    expect((await t.server.store.getStack("secret_notes")).private).toBe(true);
  });

  it("shows one progress bar for several large files", async () => {
    const big = (seed: number) => new Uint8Array(1_500_000).map((_, i) => (i * seed) % 256);
    writeFileSync(join(home, "one.bin"), big(1));
    writeFileSync(join(home, "two.bin"), big(3));
    const pushed = await run("push", "blobs", "one.bin", "--param", "n=1", "two.bin", "--param", "n=2");
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stderr.trim().split("\n").at(-1)).toMatch(/^Uploading 2 files \[#{30}\] 100% 3\.0\/3\.0 MB$/);
    const pulled = await run("pull", "blobs", "--param", "n=2");
    expect(Buffer.compare(pulled.bytes, Buffer.from(big(3)))).toBe(0);
  });
});

describe("dstack push FILE STACK (one file) and pull", () => {
  it("pushes CSV, JSON, PNG, SVG and markdown with their types and pulls the same bytes", async () => {
    const { home, run } = await configured();
    const files: Record<string, string | Uint8Array> = {
      "sales.csv": "region,amount,date\nEU,1.5,2020-01-01\nUS,2,2020-02-01\n",
      "plot.json": JSON.stringify({ data: [{ type: "bar", x: [1, 2], y: [3, 4] }], layout: {} }),
      "chart.png": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      "logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>',
      "notes.md": "# Notes\n\nAll *good*.",
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(home, name), content);
    const pushed = await run(
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
    expect(pushed.stdout).toBe(`${t.server.url}/dstack/reports/sales\n`);
    expect(pushed.stderr).toBe("");
    for (const name of ["plot.json", "chart.png", "logo.svg", "notes.md"]) {
      const result = await run("push", name, `files/${name.replace(".", "-")}`);
      expect(result.code, result.stderr).toBe(0);
    }
    const head = (await t.server.store.getStack("reports/sales")).head;
    expect(head?.message).toBe("first");
    expect(head?.attachments[0]).toMatchObject({
      contentType: "text/csv",
      application: "pandas/dataframe",
      description: "Q1",
      params: { region: "EU", year: 2020 },
      settings: { header: true, index: false, schema: ["object", "float64", "datetime64[ns]"], filename: "sales.csv" },
    });
    const pulled = await run("pull", "reports/sales", "--param", "region=EU", "--param", "year=2020", "-o", "out.csv");
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stderr).toBe(
      `Saved ${Buffer.byteLength(files["sales.csv"] as string)} bytes (text/csv) to out.csv\n`,
    );
    expect(readFileSync(join(home, "out.csv"), "utf8")).toBe(files["sales.csv"]);
    for (const name of ["plot.json", "chart.png", "logo.svg", "notes.md"]) {
      const result = await run("pull", `files/${name.replace(".", "-")}`);
      expect(result.code, result.stderr).toBe(0);
      expect(Buffer.compare(result.bytes, Buffer.from(files[name] as string | Uint8Array)), name).toBe(0);
    }
    const wrongParams = await run("pull", "reports/sales", "--param", "region=US");
    expect(wrongParams.code).toBe(1);
    expect(wrongParams.stderr).toMatch(
      /no attachment of .* has params \{region: "US"\}; available: \{region: "EU", year: 2020\}/,
    );
  });

  it("shows upload progress for a large file and none for small ones; user add prints a token", async () => {
    const { home, run } = await configured();
    const added = await run("user", "add", "alice", "--home", home);
    expect(added.code).toBe(0);
    expect(added.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);
    const alice = t.server.addUser("alice2");
    await run("config", "add", "alice", "--token", alice, "--user", "alice2", "--server", t.server.apiUrl);
    const big = new Uint8Array(6_000_000).map((_, i) => i % 256);
    writeFileSync(join(home, "big.bin"), big);
    const pushed = await run("push", "big.bin", "blobs/big", "--profile", "alice");
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout.trim()).toMatch(/\/alice2\/blobs\/big$/);
    const lines = pushed.stderr.trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.at(-1)).toMatch(/^Uploading big\.bin \[#{30}\] 100% 6\.0\/6\.0 MB$/);
    const pulled = await run("pull", "/alice2/blobs/big", "--profile", "alice");
    expect(Buffer.compare(pulled.bytes, Buffer.from(big))).toBe(0);
    writeFileSync(join(home, "small.md"), "hi");
    expect((await run("push", "small.md", "small")).stderr).toBe("");
  });

  it("explains what is wrong: no profile, missing files, bad files, unknown commands", async () => {
    const home = newHome();
    const run = dstack(home);
    writeFileSync(join(home, "bad.csv"), 'a,b\n"1,2\n');
    const noProfile = await run("pull", "anything");
    expect(noProfile.code).toBe(1);
    expect(noProfile.stderr).toMatch(/no profile "default" in .*config\.yaml: run `dstack config add/);
    const missing = await run("push", "nope.csv", "stack");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ENOENT/);
    const bad = await run("push", "bad.csv", "stack");
    expect(bad.stderr).toMatch(/bad\.csv: unclosed quote|bad\.csv:.*line 2/);
    const unknown = await run("frobnicate");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command: frobnicate");
    expect(unknown.stderr).toContain("Usage:");
    expect((await run("--help")).stdout).toContain("dstack server start");
    expect((await run("push", "--help")).stdout).toContain("dstack push STACK FILE");
  });
});
