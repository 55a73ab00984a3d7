// Private stacks and dashboards are invisible to other users on every route (the 2020 server forgot /frames and
// /attachs), shares open them to named users only, and only owners change anything.
import { beforeAll, describe, expect, it } from "vitest";
import { StackNotFoundError } from "../model/errors";
import { setupTestServer } from "./testing/testServer";

const t = setupTestServer({ inlineBytes: 1000 });
const text = (s: string) => ({ data: new TextEncoder().encode(s), contentType: "text/plain" });

let alice = "";
let bob = "";
let carol = "";
let secretFrame = "";
let bigFrame = "";
let pubFrame = "";
let privateDashboard = "";
let publicDashboard = "";

beforeAll(async () => {
  const store = t.store("alice");
  alice = t.server.addUser("alice");
  bob = t.server.addUser("bob");
  carol = t.server.addUser("carol");
  pubFrame = (await store.push({ stack: "pub", attachments: [text("public")] })).frameId;
  secretFrame = (await store.push({ stack: "secret", attachments: [text("classified")] })).frameId;
  // Over inlineBytes: /attachs answers a preview or a download_url instead of data.
  bigFrame = (await store.push({ stack: "secret", attachments: [text("x".repeat(5000))] })).frameId;
  await store.updateStack("secret", { private: true, head: secretFrame });
  privateDashboard = (await store.createDashboard({ title: "private", private: true })).id;
  publicDashboard = (await store.createDashboard({ title: "public" })).id;
  await store.insertCards("alice", publicDashboard, 0, [{ stack: "pub" }]);
});

/** Every read of alice's private stack, as `token` sees it. */
async function readsOfSecret(token: string) {
  return Promise.all([
    t.api("GET", "/stacks/alice/secret", { token }),
    t.api("GET", `/frames/alice/secret/${secretFrame}`, { token }),
    t.api("GET", `/attachs/alice/secret/${secretFrame}/0`, { token }),
    t.api("GET", `/attachs/alice/secret/${bigFrame}/0?download=true`, { token }),
    t.api("GET", `/attachs/alice/secret/${bigFrame}/0`, { token }),
  ]);
}

describe("private stacks", () => {
  it("are invisible to other users on every route: list, stack, frames, attachs (inline, preview, download)", async () => {
    const list = await t.api("GET", "/stacks/alice", { token: bob });
    expect(list.status).toBe(200);
    expect((list.body.stacks as Array<{ name: string }>).map((s) => s.name)).toEqual(["pub"]);
    for (const result of await readsOfSecret(bob)) {
      expect(result.status).toBe(404);
      expect(result.body.message).toBe("stack not found: alice/secret");
      expect(result.text).not.toContain("classified");
    }
    // Wrong frame ids or indexes say nothing more than "stack not found" either.
    const guess = await t.api("GET", "/frames/alice/secret/no-such-frame", { token: bob });
    expect(guess.status).toBe(404);
    expect(guess.body.message).toBe("stack not found: alice/secret");
  });

  it("are visible to their owner, who sees the shares", async () => {
    const [stack, frame, inline, download, preview] = await readsOfSecret(alice);
    expect(stack?.status).toBe(200);
    expect(stack.body.stack).toMatchObject({ private: true, permissions: [] });
    expect(frame.body.frame).toMatchObject({ id: secretFrame });
    expect(atob(String((inline.body.attachment as { data: string }).data))).toBe("classified");
    const url = (download.body.attachment as { download_url: string }).download_url;
    expect(url).toMatch(/\/api\/blobs\/alice\/secret\//);
    expect(preview.body.attachment).toMatchObject({ preview: true, length: 5000 });
    // The download URL is its own authorisation (dstack-py fetches it without a token)...
    const bytes = await fetch(url);
    expect(bytes.status).toBe(200);
    expect((await bytes.text()).length).toBe(5000);
    // ...and only as signed: a changed path or signature is refused.
    const forged = url.replace(`/${bigFrame}/0`, `/${secretFrame}/0`);
    expect((await fetch(forged)).status).toBe(403);
    expect((await fetch(url.replace(/signature=[0-9a-f]{4}/, "signature=0000"))).status).toBe(403);
    expect((await fetch(url.split("?")[0] as string)).status).toBe(403);
  });

  it("open to users they are shared with, and close again when the share is removed", async () => {
    const share = { path: "alice/secret", user: "bob" };
    expect((await t.api("POST", "/permissions/add", { token: bob, json: share })).status).toBe(404);
    expect((await t.api("POST", "/permissions/add", { token: alice, json: share })).status).toBe(200);
    for (const result of await readsOfSecret(bob)) expect(result.status).toBe(200);
    for (const result of await readsOfSecret(carol)) expect(result.status).toBe(404);
    const asOwner = await t.api("GET", "/stacks/alice/secret", { token: alice });
    expect((asOwner.body.stack as { permissions: unknown }).permissions).toEqual([{ user: "bob" }]);
    // Only the owner sees who it is shared with.
    expect((await t.api("GET", "/stacks/alice/secret", { token: bob })).body.stack).not.toHaveProperty("permissions");
    expect((await t.api("GET", "/stacks/alice", { token: bob })).body.stacks).toHaveLength(2);
    // A share does not let bob change it.
    const update = await t.api("POST", "/stacks/update", { token: bob, json: { stack: "alice/secret", readme: "x" } });
    expect(update.status).toBe(403);
    expect((await t.api("POST", "/permissions/delete", { token: alice, json: share })).status).toBe(200);
    for (const result of await readsOfSecret(bob)) expect(result.status).toBe(404);
  });

  it("through HttpStore: another user's store gets StackNotFoundError for every read", async () => {
    const store = t.store("dave");
    await expect(store.getStack("/alice/secret")).rejects.toBeInstanceOf(StackNotFoundError);
    await expect(store.getFrame("/alice/secret", secretFrame)).rejects.toBeInstanceOf(StackNotFoundError);
    await expect(store.getAttachment("/alice/secret", secretFrame, 0)).rejects.toBeInstanceOf(StackNotFoundError);
    await expect(store.getAttachment("/alice/secret", bigFrame, 0)).rejects.toBeInstanceOf(StackNotFoundError);
    expect((await store.listStacks("alice")).map((s) => s.name)).toEqual(["pub"]);
    expect(await (await store.getAttachment("/alice/pub", pubFrame, 0)).text()).toBe("public");
  });

  it("forget their shares when deleted, so a new stack of the same name starts private to its owner", async () => {
    const store = t.store("erin");
    await store.push({ stack: "again", attachments: [text("1")] });
    await store.updateStack("again", { private: true });
    const erin = t.server.addUser("erin");
    await t.api("POST", "/permissions/add", { token: erin, json: { path: "erin/again", user: "bob" } });
    expect((await t.api("GET", "/stacks/erin/again", { token: bob })).status).toBe(200);
    await store.deleteStack("again");
    await store.push({ stack: "again", attachments: [text("2")] });
    await store.updateStack("again", { private: true });
    expect((await t.api("GET", "/stacks/erin/again", { token: bob })).status).toBe(404);
  });
});

describe("owners only", () => {
  it("push, check access, update and delete their stacks; others get 403 (public) or 404 (private)", async () => {
    const push = { stack: "alice/pub", id: "intruder", attachments: [{ data: btoa("x"), content_type: "text/plain" }] };
    const pushed = await t.api("POST", "/stacks/push", { token: bob, json: push });
    expect(pushed.status).toBe(403);
    expect(pushed.body.message).toMatch(/only alice/);
    expect((await t.api("POST", "/stacks/push", { token: bob, json: { ...push, stack: "alice/new" } })).status).toBe(
      403,
    );
    expect((await t.api("POST", "/stacks/access", { token: bob, json: { stack: "alice/pub" } })).status).toBe(403);
    expect((await t.api("POST", "/stacks/access", { token: alice, json: { stack: "alice/pub" } })).status).toBe(200);
    expect(
      (await t.api("POST", "/stacks/update", { token: bob, json: { stack: "alice/pub", private: true } })).status,
    ).toBe(403);
    expect((await t.api("POST", "/stacks/delete", { token: bob, json: { user: "alice", name: "pub" } })).status).toBe(
      403,
    );
    expect(
      (await t.api("POST", "/stacks/delete", { token: bob, json: { user: "alice", name: "secret" } })).status,
    ).toBe(404);
    const stack = await t.api("GET", "/stacks/alice/pub", { token: alice });
    expect((stack.body.stack as { frames: unknown[]; private: boolean }).frames).toHaveLength(1);
    expect((stack.body.stack as { private: boolean }).private).toBe(false);
    expect((await t.api("GET", "/frames/alice/pub/intruder", { token: alice })).status).toBe(404);
  });
});

describe("private dashboards", () => {
  const dashboardRoutes = (id: string) =>
    [
      ["POST", "/dashboards/update", { user: "alice", id, title: "hacked" }],
      ["POST", "/dashboards/delete", { user: "alice", id }],
      ["POST", "/dashboards/cards/insert", { user: "alice", dashboard: id, index: 0, cards: [{ stack: "alice/pub" }] }],
      ["POST", "/dashboards/cards/update", { user: "alice", dashboard: id, stack: "alice/pub", title: "x" }],
      ["POST", "/dashboards/cards/delete", { user: "alice", dashboard: id, stack: "alice/pub" }],
      ["POST", "/permissions/add", { path: `alice/${id}`, type: "dashboard", user: "bob" }],
    ] as const;

  it("are invisible to other users when listed, read or changed", async () => {
    const list = await t.api("GET", "/dashboards/alice", { token: bob });
    expect((list.body.dashboards as Array<{ id: string }>).map((d) => d.id)).toEqual([publicDashboard]);
    const read = await t.api("GET", `/dashboards/alice/${privateDashboard}`, { token: bob });
    expect(read.status).toBe(404);
    expect(read.body.message).toMatch(/dashboard not found/);
    for (const [method, path, json] of dashboardRoutes(privateDashboard)) {
      const result = await t.api(method, path, { token: bob, json });
      expect(result.status, path).toBe(404);
    }
    // Public ones can be read, not changed.
    expect((await t.api("GET", `/dashboards/alice/${publicDashboard}`, { token: bob })).status).toBe(200);
    for (const [method, path, json] of dashboardRoutes(publicDashboard)) {
      expect((await t.api(method, path, { token: bob, json })).status, path).toBe(403);
    }
    expect(
      (await t.api("POST", "/dashboards/create", { token: bob, json: { user: "alice", title: "x" } })).status,
    ).toBe(403);
    expect((await t.api("GET", `/dashboards/alice/${publicDashboard}`, { token: alice })).body.dashboard).toMatchObject(
      {
        title: "public",
        cards: [{ stack: "alice/pub", columns: 1 }],
      },
    );
  });

  it("open to users they are shared with", async () => {
    const share = { path: `alice/${privateDashboard}`, type: "dashboard", user: "bob" };
    expect((await t.api("POST", "/permissions/add", { token: alice, json: share })).status).toBe(200);
    expect((await t.api("GET", `/dashboards/alice/${privateDashboard}`, { token: bob })).status).toBe(200);
    expect((await t.api("GET", `/dashboards/alice/${privateDashboard}`, { token: carol })).status).toBe(404);
    expect((await t.api("GET", "/dashboards/alice", { token: bob })).body.dashboards).toHaveLength(2);
    await t.api("POST", "/permissions/delete", { token: alice, json: share });
    expect((await t.api("GET", `/dashboards/alice/${privateDashboard}`, { token: bob })).status).toBe(404);
  });
});

describe("credentials", () => {
  const routes = (): Array<[string, string, unknown?]> => [
    ["GET", "/stacks/alice"],
    ["GET", "/stacks/alice/pub"],
    ["GET", `/frames/alice/pub/${pubFrame}`],
    ["GET", `/attachs/alice/pub/${pubFrame}/0`],
    ["GET", "/dashboards/alice"],
    ["GET", `/dashboards/alice/${publicDashboard}`],
    ["GET", "/users/me"],
    ["GET", "/events"],
    [
      "POST",
      "/stacks/push",
      { stack: "alice/x", id: "f", attachments: [{ data: "eA==", content_type: "text/plain" }] },
    ],
    ["POST", "/stacks/access", { stack: "alice/pub" }],
    ["POST", "/stacks/update", { stack: "alice/pub", private: true }],
    ["POST", "/stacks/delete", { user: "alice", name: "pub" }],
    ["POST", "/dashboards/create", { user: "alice" }],
    ["POST", "/dashboards/update", { user: "alice", id: publicDashboard, title: "x" }],
    ["POST", "/dashboards/delete", { user: "alice", id: publicDashboard }],
    ["POST", "/dashboards/cards/insert", { user: "alice", dashboard: publicDashboard, index: 0, cards: [] }],
    ["POST", "/dashboards/cards/update", { user: "alice", dashboard: publicDashboard, stack: "alice/pub" }],
    ["POST", "/dashboards/cards/delete", { user: "alice", dashboard: publicDashboard, stack: "alice/pub" }],
    ["POST", "/permissions/add", { path: "alice/pub", user: "bob" }],
    ["POST", "/permissions/delete", { path: "alice/pub", user: "bob" }],
  ];

  it("a missing, wrong or malformed token gets 403 bad credentials on every route, and changes nothing", async () => {
    const bad: Array<Record<string, string>> = [
      {},
      { authorization: "Bearer not-a-token" },
      { authorization: `Basic ${alice}` },
      { authorization: "Bearer" },
      { authorization: `Bearer ${alice}x` },
    ];
    for (const headers of bad) {
      for (const [method, path, json] of routes()) {
        const result = await t.api(method, path, { headers, token: null, json });
        expect(result.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403);
        expect(result.body.message).toBe("bad credentials");
      }
    }
    const stack = await t.api("GET", "/stacks/alice/pub", { token: alice });
    expect(stack.body.stack).toMatchObject({ private: false, frames: [{ id: pubFrame }] });
    expect((await t.api("GET", `/dashboards/alice/${publicDashboard}`, { token: alice })).status).toBe(200);
  });

  it("a login code is exchanged for the default user's token, a wrong one is refused", async () => {
    const { server } = t;
    const ok = await t.api("GET", `/auth/verify?user=dstack&code=${server.loginCode}`);
    expect(ok.body).toEqual({ user: "dstack", token: server.token });
    for (const query of [`user=dstack&code=nope`, `user=alice&code=${server.loginCode}`, "user=dstack"]) {
      const refused = await t.api("GET", `/auth/verify?${query}`);
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe("bad credentials");
    }
    expect((await t.api("GET", "/users/me", { token: bob })).body).toEqual({ user: "bob" });
  });
});
