// Which config file is used (DSTACK_CONFIG, ./.dstack/config.yaml, ~/.dstack/config.yaml, as dstack-py), how a
// profile is rewritten (everything else in the file kept), and profiles the kit cannot use.
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createProfileStore, listProfiles, locateConfig, readProfile, readProfiles, writeProfile } from "./config";
import { tempHomes } from "./testing/tempHome";

const newDir = tempHomes("dstack-config-");

function profileFile(dir: string, token: string, extra = ""): string {
  const file = join(dir, ".dstack", "config.yaml");
  mkdirSync(join(dir, ".dstack"), { recursive: true });
  writeFileSync(file, `profiles:\n  default:\n    token: ${token}\n    server: http://localhost:1/api\n${extra}`);
  return file;
}

describe("config lookup", () => {
  it("takes DSTACK_CONFIG first, then .dstack/config.yaml of the current folder, then the home's", () => {
    const home = newDir();
    const project = newDir();
    const homeFile = profileFile(home, "HOME");
    expect(locateConfig({ home, cwd: project, env: {} })).toEqual({ file: homeFile, source: "home" });
    expect(readProfile("default", { home, cwd: project, env: {} })?.token).toBe("HOME");

    const localFile = profileFile(project, "LOCAL");
    expect(locateConfig({ home, cwd: project, env: {} })).toEqual({ file: localFile, source: "local" });
    expect(readProfile("default", { home, cwd: project, env: {} })?.token).toBe("LOCAL");

    // DSTACK_CONFIG wins even before its file exists (a write creates it there), and is relative to the folder.
    const env = { DSTACK_CONFIG: "custom/dstack.yaml" };
    expect(locateConfig({ home, cwd: project, env })).toEqual({
      file: join(project, "custom", "dstack.yaml"),
      source: "env",
    });
    expect(readProfiles({ home, cwd: project, env })).toEqual({});
    // An explicit file beats them all; a plain string is the home folder (the older signature).
    expect(locateConfig({ file: homeFile, cwd: project, env }).file).toBe(homeFile);
    expect(locateConfig(home).file).toBe(join(home, ".dstack", "config.yaml"));
  });

  it("the Node profile store follows the same rule", async () => {
    const home = newDir();
    const project = newDir();
    profileFile(home, "HOME");
    profileFile(project, "LOCAL");
    const envFile = join(newDir(), "env.yaml");
    writeFileSync(
      envFile,
      "profiles:\n  default:\n    token: ENV\n    server: http://localhost:3/api\n    user: eve\n",
    );
    expect(createProfileStore({ home, cwd: project, env: {} })).toMatchObject({ server: "http://localhost:1/api" });
    expect(createProfileStore({ home, cwd: project, env: { DSTACK_CONFIG: envFile } })).toMatchObject({
      server: "http://localhost:3/api",
      user: "eve",
    });
    expect(() =>
      createProfileStore({ home, cwd: project, env: { DSTACK_CONFIG: join(project, "none.yaml") } }),
    ).toThrow(/no profile "default" in .*none\.yaml \(from DSTACK_CONFIG\)/);
  });
});

describe("writeProfile", () => {
  it("keeps other profiles, keys the kit does not know (verify) and comments; mode 0600", async () => {
    const home = newDir();
    const file = join(home, ".dstack", "config.yaml");
    mkdirSync(join(home, ".dstack"));
    writeFileSync(
      file,
      "# my profiles\nprofiles:\n  cloud:\n    token: CLOUD\n  default:\n    token: OLD\n    server: https://x.org/api\n" +
        "    verify: false # self-signed\nsettings:\n  theme: dark\n",
    );
    await writeProfile("default", { token: "NEW", server: "http://localhost:8080/api", user: "alice" }, { home });
    const text = readFileSync(file, "utf8");
    expect(text).toContain("# my profiles");
    expect(text).toContain("verify: false # self-signed");
    expect(text).toContain("theme: dark");
    expect(text).toMatch(/cloud:\n {4}token: CLOUD\n/);
    expect(readProfile("default", { home, env: {}, cwd: home })).toEqual({
      token: "NEW",
      server: "http://localhost:8080/api",
      user: "alice",
    });
    if (process.platform !== "win32") expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("fills profiles written empty (`profiles:` or `name:` with nothing under it)", async () => {
    const home = newDir();
    const file = join(home, ".dstack", "config.yaml");
    mkdirSync(join(home, ".dstack"));
    writeFileSync(file, "profiles:\n");
    await writeProfile("a", { token: "T", server: "http://h/api", user: "u" }, { file });
    writeFileSync(file, `${readFileSync(file, "utf8")}  b:\n`);
    await writeProfile("b", { token: "T2", server: "http://h/api", user: "u" }, { file });
    expect(Object.keys(readProfiles({ file }))).toEqual(["a", "b"]);
  });
});

describe("profiles the kit cannot use", () => {
  it("are listed with the reason, and using one says why instead of 'no profile'", () => {
    const home = newDir();
    const file = join(home, "c.yaml");
    writeFileSync(file, "profiles:\n  cloud:\n    token: X\n  notoken:\n    server: http://h/api\n  odd: 3\n");
    const listed = listProfiles({ file });
    expect(listed.map((p) => p.name)).toEqual(["cloud", "notoken", "odd"]);
    expect(listed[0]?.problem).toMatch(/^no server \(dstack-py's default, the dstack\.ai cloud\)/);
    expect(listed[1]?.problem).toMatch(/^no token/);
    expect(listed[2]?.problem).toMatch(/not a mapping/);
    expect(readProfiles({ file })).toEqual({});
    expect(() => createProfileStore({ file, profile: "cloud" })).toThrow(
      /profile "cloud" in .*c\.yaml cannot be used: no server .*dstack config add cloud --server URL/,
    );
  });

  it("rejects files that are not a mapping of profiles", () => {
    const home = newDir();
    const file = join(home, "bad.yaml");
    writeFileSync(file, "profiles: [a, b]\n");
    expect(() => listProfiles({ file })).toThrow(/'profiles' key that is not a mapping/);
    writeFileSync(file, "profiles: {a: [\n");
    expect(() => listProfiles({ file })).toThrow(/is not valid YAML/);
  });
});
