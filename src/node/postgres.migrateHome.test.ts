// `dstack server migrate --from HOME --database URL` on a home made by today's file-store server: every route
// answers the same before (file store) and after (PostgreSQL), with the same tokens, and running it again adds
// nothing.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createHttpStore } from "../storage/httpStore";
import { main } from "./cliMain";
import { postgresForTests } from "./postgres/testing/testDatabase";
import { type DstackServer, startServer } from "./server";
import { tempHomes } from "./testing/tempHome";
import { call } from "./testing/testServer";

const pg = postgresForTests();
const newHome = tempHomes();

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const text = (s: string, params = {}) => ({ data: new TextEncoder().encode(s), contentType: "text/plain", params });

/** Runs `dstack ...argv` in-process; resolves with its exit code and output. */
async function dstack(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: { write: (s: string | Uint8Array) => (stdout += String(s)) },
    stderr: { write: (s: string | Uint8Array) => (stderr += String(s)) },
    env: {},
    cwd: process.cwd(),
    home: newHome(),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** What every read route answers, for each token, with the server's own origin written as ORIGIN. */
async function answers(server: DstackServer, tokens: Record<string, string>, ids: Record<string, string>) {
  const routes = [
    "/stacks/alice",
    "/stacks/bob",
    "/stacks/alice/reports/sales",
    "/stacks/alice/reports/sales?frames=2",
    "/stacks/alice/reports/sales?frames=1&before=f-3",
    "/stacks/alice/secret",
    "/stacks/bob/bobs/plot",
    "/frames/alice/reports/sales/f-1",
    "/frames/alice/secret/s-1",
    "/attachs/alice/reports/sales/f-1/0",
    "/attachs/alice/reports/sales/f-1/1",
    "/attachs/alice/secret/s-1/0",
    "/dashboards/alice",
    `/dashboards/alice/${ids.board}`,
    `/dashboards/alice/${ids.hidden}`,
    "/users/me",
  ];
  const out: Record<string, unknown> = {};
  for (const [who, token] of Object.entries(tokens)) {
    for (const route of routes) {
      const result = await call(server.apiUrl, "GET", route, { token });
      out[`${who} ${route}`] = {
        status: result.status,
        body: JSON.parse(result.text.replaceAll(server.url, "ORIGIN")),
      };
    }
    // A download link differs in its signature and time; what it serves does not.
    const link = await call(server.apiUrl, "GET", "/attachs/alice/reports/sales/f-1/1?download=true", { token });
    const url = (link.body.attachment as { download_url?: string } | undefined)?.download_url;
    out[`${who} download`] = url ? sha256(new Uint8Array(await (await fetch(url)).arrayBuffer())) : link.status;
  }
  return out;
}

describe("dstack server migrate", () => {
  it("copies a file-store home into PostgreSQL: every route answers the same, with the same tokens; again adds nothing", {
    timeout: 60_000,
  }, async () => {
    const home = newHome();
    const before = await startServer({ home, port: 0, host: "127.0.0.1", fsync: false, inlineBytes: 1000 });
    const tokens = { dstack: before.token, alice: before.addUser("alice"), bob: before.addUser("bob") };
    await before.users.flush();
    const alice = createHttpStore({ server: before.apiUrl, user: "alice", token: tokens.alice });
    const bobStore = createHttpStore({ server: before.apiUrl, user: "bob", token: tokens.bob });
    const big = new Uint8Array(1_500_000).map((_, i) => (i * 7) % 256);
    await alice.push({
      stack: "reports/sales",
      id: "f-1",
      timestamp: 1000,
      message: "one",
      params: { run: 1 },
      attachments: [
        text("a,b\n1,2\n", { region: "east" }),
        { data: big, contentType: "application/octet-stream", description: "big", settings: { k: [1, 2] } },
      ],
    });
    // A tie: the later push lists first, before and after.
    await alice.push({ stack: "reports/sales", id: "f-2", timestamp: 2000, attachments: [text("two")] });
    await alice.push({ stack: "reports/sales", id: "f-3", timestamp: 2000, attachments: [text("three")] });
    await alice.updateStack("reports/sales", { head: "f-2", readme: "# Sales\u0000 and more" });
    await alice.push({ stack: "secret", id: "s-1", private: true, attachments: [text("classified")] });
    await call(before.apiUrl, "POST", "/permissions/add", {
      token: tokens.alice,
      json: { path: "alice/secret", user: "bob" },
    });
    await bobStore.push({ stack: "bobs/plot", id: "b-1", attachments: [text("plot")] });
    const board = await alice.createDashboard({ title: "Board" });
    await alice.insertCards("alice", board.id, 0, [{ stack: "reports/sales", title: "Sales" }]);
    const hidden = await alice.createDashboard({ title: "Hidden", private: true });
    await call(before.apiUrl, "POST", "/permissions/add", {
      token: tokens.alice,
      json: { path: `alice/${hidden.id}`, user: "bob", type: "dashboard" },
    });
    const ids = { board: board.id, hidden: hidden.id };
    const expected = await answers(before, tokens, ids);
    await before.close();

    const database = await pg.newDatabase();
    const first = await dstack("server", "migrate", "--from", home, "--database", database);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toContain("3 stacks (5 new frames), 2 dashboards, 3 users");
    const again = await dstack("server", "migrate", "--from", home, "--database", database);
    expect(again.stdout).toContain("3 stacks (0 new frames), 2 dashboards, 3 users");

    const after = await startServer({ database, home: newHome(), port: 0, host: "127.0.0.1", inlineBytes: 1000 });
    try {
      expect(after.token).toBe(tokens.dstack);
      const got = await answers(after, tokens, ids);
      expect(Object.keys(got)).toEqual(Object.keys(expected));
      for (const key of Object.keys(expected)) expect(got[key], key).toEqual(expected[key]);
      // Not a vacuous comparison: private things were readable to their owner and to bob, hidden from dstack.
      expect(expected["bob /stacks/alice/secret"]).toMatchObject({ status: 200 });
      expect(expected["dstack /stacks/alice/secret"]).toMatchObject({ status: 404 });
      expect(got["alice download"]).toBe(sha256(big));
    } finally {
      await after.close();
    }
  });

  it("refuses a folder without dstack data, and needs --from and --database", async () => {
    const database = await pg.newDatabase();
    const empty = await dstack("server", "migrate", "--from", newHome(), "--database", database);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no dstack data under/);
    expect((await dstack("server", "migrate", "--database", database)).code).toBe(2);
    expect((await dstack("server", "migrate", "--from", newHome())).code).toBe(2);
    expect((await dstack("server", "migrate", "--from", newHome(), "--database", "mysql://x")).stderr).toMatch(
      /postgres:\/\//,
    );
  });
});
