// users.json is changed by the server and by `dstack user add` in another process: no change may undo another.
import { readFileSync, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { userRegistrySuite } from "../protocol/users.suite";
import { openFileUserRegistry } from "./fileUserRegistry";
import { startChild } from "./testing/childProcess";
import { tempHomes } from "./testing/tempHome";

const newHome = tempHomes("dstack-users-");
const newFile = () => join(newHome(), ".dstack", "server", "users.json");
const inFile = (file: string) => JSON.parse(readFileSync(file, "utf8")) as { users: Record<string, { token: string }> };
const stack = { type: "stack", path: "dstack/report" } as const;

userRegistrySuite("file registry", (options) => {
  const file = newFile();
  const registry = openFileUserRegistry(file, options);
  return {
    registry,
    async reopen() {
      await registry.flush();
      return openFileUserRegistry(file, options);
    },
  };
});

describe("file registry: changes from other processes", () => {
  it("a user added while the server runs survives the server's next change, and a restart", async () => {
    const file = newFile();
    const server = openFileUserRegistry(file);
    server.addUser("dstack");
    server.addUser("alice");
    server.newLoginCode("dstack");
    await server.flush();
    // `dstack user add dave` from another process, then a share before dave's first request.
    const cli = openFileUserRegistry(file);
    const dave = cli.addUser("dave");
    await cli.flush();
    await server.share(stack, "alice");
    server.addUser("erin"); // a synchronous change of the server's, written on top of the file too
    await server.flush();
    expect(Object.keys(inFile(file).users).sort()).toEqual(["alice", "dave", "dstack", "erin"]);
    expect(await server.authenticate(dave)).toBe("dave");
    await server.share(stack, "dave");
    expect(await server.sharedWith(stack)).toEqual(["alice", "dave"]);
    const restarted = openFileUserRegistry(file);
    expect(await restarted.authenticate(dave)).toBe("dave");
    expect(await restarted.sharedWith(stack)).toEqual(["alice", "dave"]);
  });

  it("sharing with a user another process just added works (the server's copy does not know it yet)", async () => {
    const file = newFile();
    const server = openFileUserRegistry(file);
    server.addUser("dstack");
    await server.flush();
    const cli = openFileUserRegistry(file);
    cli.addUser("frank");
    await cli.flush();
    await server.share(stack, "frank");
    expect(await server.sharedWith(stack)).toEqual(["frank"]);
  });

  it("users added by two processes at once, while the server changes shares, are all kept", {
    timeout: 60_000,
  }, async () => {
    const file = newFile();
    const server = openFileUserRegistry(file);
    server.addUser("dstack");
    server.addUser("alice");
    await server.flush();
    const count = 25;
    const children = ["a", "b"].map((prefix) => startChild("userRegistry.child.ts", [file, "add", prefix, `${count}`]));
    await Promise.all(children.map((c) => c.line(/^ready$/)));
    let done = false;
    const finished = Promise.all(children.map((c) => c.line(/^done$/, 50_000))).finally(() => {
      done = true;
    });
    // The server keeps changing permissions all along, each time from its own (possibly stale) copy.
    let changes = 0;
    while (!done) {
      await server.share(stack, "alice");
      await server.unshare(stack, "alice");
      await server.flush();
      changes++;
    }
    await finished;
    expect(await Promise.all(children.map((c) => c.exited))).toEqual([0, 0]);
    expect(changes).toBeGreaterThan(0);
    const users = inFile(file).users;
    const expected = ["alice", "dstack"];
    for (const prefix of ["a", "b"]) for (let i = 0; i < count; i++) expected.push(`${prefix}${i}`);
    expect(Object.keys(users).sort()).toEqual(expected.sort());
    // Each child printed the token the file holds, and the server accepts it.
    for (const child of children) {
      for (const line of child.output().split("\n")) {
        const match = /^([ab]\d+) (\S+)$/.exec(line);
        if (!match) continue;
        expect(users[match[1] as string]?.token).toBe(match[2]);
        expect(await server.authenticate(match[2] as string)).toBe(match[1]);
      }
    }
    // Nothing is left behind: no lock, no temp files.
    expect((await readdir(dirname(file))).sort()).toEqual(["users.json"]);
  });

  it("a login code is used once across registries and processes, and failures add up across them", async () => {
    const file = newFile();
    const server = openFileUserRegistry(file);
    const token = server.addUser("dstack");
    const code = server.newLoginCode("dstack");
    await server.flush();
    const other = openFileUserRegistry(file); // opened before the code is used
    expect(await other.verifyCode("dstack", code)).toBe(token);
    expect(await server.verifyCode("dstack", code)).toBeUndefined();
    const child = startChild("userRegistry.child.ts", [file, "verify", "dstack", code]);
    expect(await child.line(/^\S+$/)).toBe("refused");
    expect(await openFileUserRegistry(file).verifyCode("dstack", code)).toBeUndefined();

    // A fresh code; 2 failures here, 2 there, 1 in a child process: locked out everywhere.
    const next = server.newLoginCode("dstack");
    await server.flush();
    for (const registry of [server, server, other, other])
      expect(await registry.verifyCode("dstack", "x")).toBe(undefined);
    const failing = startChild("userRegistry.child.ts", [file, "verify", "dstack", "y"]);
    expect(await failing.line(/^\S+$/)).toBe("refused");
    const right = startChild("userRegistry.child.ts", [file, "verify", "dstack", next]);
    expect(await right.line(/^\S+$/)).toBe("refused");
    expect(await server.verifyCode("dstack", next)).toBeUndefined();
  });

  it("keeps users.json private (0600) and writes the URL-signing secret once", async () => {
    const file = newFile();
    const first = openFileUserRegistry(file);
    await first.flush();
    const secret = first.secret;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    first.addUser("alice");
    await first.flush();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(openFileUserRegistry(file).secret).toBe(secret);
    expect(JSON.parse(readFileSync(file, "utf8")).secret).toBe(secret);
  });

  it("two registries opening an empty folder at once end up with the same secret", async () => {
    const file = newFile();
    const [a, b] = [openFileUserRegistry(file), openFileUserRegistry(file)];
    await Promise.all([a.flush(), b.flush()]);
    expect(a.secret).toBe(b.secret);
    expect(openFileUserRegistry(file).secret).toBe(a.secret);
  });
});
