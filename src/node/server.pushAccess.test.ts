// `access` on push, as dstack-py sends it (`push(..., access="private")`: 0.5.0 puts `"access"` in every request
// of the frame, 0.4.4 too): a stack a push makes private is invisible to everyone else on every route from its
// first byte, whichever push form brought it (whole, length + PUT upload_url, incremental index/size).
import { beforeAll, describe, expect, it } from "vitest";
import type { HttpStore } from "../storage/httpStore";
import { setupTestServer } from "./testing/testServer";

const t = setupTestServer();
let owner = "";
let viewer = "";
let stranger = "";
let store: HttpStore;

beforeAll(() => {
  store = t.store("acc");
  owner = t.server.addUser("acc");
  viewer = t.server.addUser("viewer");
  stranger = t.server.addUser("stranger");
});

const b64 = (s: string | Uint8Array) =>
  Buffer.from(typeof s === "string" ? new TextEncoder().encode(s) : s).toString("base64");

const py050 = {
  client: "dstack-py",
  version: "0.5.0",
  settings: { python: "3.8.5", os: { sysname: "Linux", release: "5.4.0", version: "#52", machine: "x86_64" } },
};
const py044 = { ...py050, version: "0.4.4" };

const note = (s: string, params: Record<string, unknown> = {}) => ({
  data: b64(s),
  content_type: "text/plain",
  params,
});

/** Every read route a viewer could use on `path` (frame `id`), as `token` sees it: status codes, and the list. */
async function seenBy(token: string, path: string, id: string) {
  const name = path.slice(path.indexOf("/") + 1);
  const list = (await t.api("GET", "/stacks/acc", { token })).body.stacks as Array<{ name: string }>;
  return {
    listed: list.some((s) => s.name === name),
    stack: (await t.api("GET", `/stacks/${path}`, { token })).status,
    frame: (await t.api("GET", `/frames/${path}/${id}`, { token })).status,
    attach: (await t.api("GET", `/attachs/${path}/${id}/0?download=true`, { token })).status,
  };
}
const hidden = { listed: false, stack: 404, frame: 404, attach: 404 };
const shown = { listed: true, stack: 200, frame: 200, attach: 200 };

/** Follows `GET /events` as `token`; `until(path)` reads until an event about `path` arrived. */
async function follow(token: string) {
  const controller = new AbortController();
  const response = await fetch(`${t.server.apiUrl}/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  const until = async (needle: string) => {
    while (!text.includes(needle)) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`the event stream ended before ${needle}`);
      text += decoder.decode(value, { stream: true });
    }
  };
  await until(": connected");
  return {
    until: (path: string) => until(`"path":"${path}"`),
    paths: () => [...text.matchAll(/"path":"([^"]+)"/g)].map((m) => m[1]),
    close: () => controller.abort(),
  };
}

const push = (json: Record<string, unknown>, token = owner) => t.api("POST", "/stacks/push", { token, json });

describe("access on push", () => {
  it("a whole push with access 'private' creates the stack private: hidden on every route and in events", async () => {
    const events = await follow(viewer);
    try {
      const pushed = await push({
        id: "p-1",
        timestamp: 1_600_000_000_000,
        ...py050,
        access: "private",
        params: { message: "secret run" },
        attachments: [note("s")],
        stack: "acc/private-whole",
      });
      expect(pushed.status).toBe(200);
      expect(await seenBy(viewer, "acc/private-whole", "p-1")).toEqual(hidden);
      expect(await seenBy(owner, "acc/private-whole", "p-1")).toEqual(shown);
      expect((await store.getStack("private-whole")).private).toBe(true);
      // A later public change as a fence: the private stack's event, sent first, was never delivered.
      expect((await push({ id: "fence-1", ...py050, attachments: [note("f")], stack: "acc/fence-1" })).status).toBe(
        200,
      );
      await events.until("acc/fence-1");
      expect(events.paths()).toEqual(["acc/fence-1"]);
    } finally {
      events.close();
    }
  });

  it("dstack-py 0.4.4: access 'private' with a message of its own", async () => {
    const pushed = await push({
      id: "p-044",
      timestamp: 1_600_000_000_001,
      ...py044,
      access: "private",
      message: "old client",
      attachments: [note("s")],
      stack: "acc/private-044",
    });
    expect(pushed.status).toBe(200);
    expect(await seenBy(viewer, "acc/private-044", "p-044")).toEqual(hidden);
    expect(await store.getStack("private-044")).toMatchObject({ private: true, head: { message: "old client" } });
  });

  it("length + PUT upload_url: private from the first request, hidden before and after the uploads", async () => {
    const events = await follow(viewer);
    try {
      const big = new Uint8Array(1_200_000).map((_, i) => i % 251);
      const announced = await push({
        id: "up-1",
        timestamp: 1_600_000_000_002,
        ...py050,
        access: "private",
        attachments: [{ length: big.length, content_type: "application/octet-stream", params: {} }],
        stack: "acc/private-upload",
      });
      expect(announced.status).toBe(200);
      expect(await seenBy(viewer, "acc/private-upload", "up-1")).toEqual(hidden);
      const [upload] = announced.body.attachments as Array<{ upload_url: string }>;
      expect((await t.api("PUT", upload?.upload_url as string, { body: big })).status).toBe(200);
      expect(await seenBy(viewer, "acc/private-upload", "up-1")).toEqual(hidden);
      expect(await seenBy(owner, "acc/private-upload", "up-1")).toEqual(shown);
      expect((await push({ id: "fence-2", ...py050, attachments: [note("f")], stack: "acc/fence-2" })).status).toBe(
        200,
      );
      await events.until("acc/fence-2");
      expect(events.paths()).toEqual(["acc/fence-2"]);
    } finally {
      events.close();
    }
  });

  it("incremental index/size: access given with the first request only still makes the frame private", async () => {
    const base = { id: "inc-1", timestamp: 1_600_000_000_003, ...py050, stack: "acc/private-incremental" };
    expect((await push({ ...base, access: "private", index: 0, attachments: [note("0")] })).status).toBe(200);
    expect((await push({ ...base, index: 1, attachments: [note("1")] })).status).toBe(200);
    expect(await seenBy(viewer, "acc/private-incremental", "inc-1")).toEqual(hidden);
    // A later request of the same frame may repeat the access, not contradict it.
    const contradicting = await push({ ...base, access: "public", size: 2 });
    expect(contradicting.status).toBe(400);
    expect(contradicting.body.message).toMatch(/access/);
    expect((await push({ ...base, access: "private", size: 2 })).status).toBe(200);
    expect(await seenBy(viewer, "acc/private-incremental", "inc-1")).toEqual(hidden);
    expect(await store.getStack("private-incremental")).toMatchObject({ private: true, head: { id: "inc-1" } });
  });

  it("an explicit access changes an existing stack with the frame; no access keeps the stack's flag", async () => {
    const path = "acc/switch";
    expect((await push({ id: "s-1", ...py050, attachments: [note("1")], stack: path })).status).toBe(200);
    expect((await seenBy(viewer, path, "s-1")).stack).toBe(200);
    expect((await push({ id: "s-2", ...py050, access: "private", attachments: [note("2")], stack: path })).status).toBe(
      200,
    );
    expect(await seenBy(viewer, path, "s-2")).toEqual(hidden);
    expect((await push({ id: "s-3", ...py050, attachments: [note("3")], stack: path })).status).toBe(200);
    expect(await seenBy(viewer, path, "s-3")).toEqual(hidden);
    expect((await push({ id: "s-4", ...py050, access: "public", attachments: [note("4")], stack: path })).status).toBe(
      200,
    );
    expect(await seenBy(viewer, path, "s-4")).toEqual(shown);
  });

  it("a push that makes a stack private revokes download links issued before, even for users it is shared with", async () => {
    const path = "acc/links";
    const big = new Uint8Array(1_000_000).map((_, i) => (i * 3) % 256);
    const first = {
      id: "l-1",
      ...py050,
      attachments: [{ data: b64(big), content_type: "application/octet-stream" }],
      stack: path,
    };
    expect((await push(first)).status).toBe(200);
    expect((await t.api("POST", "/permissions/add", { token: owner, json: { path, user: "viewer" } })).status).toBe(
      200,
    );
    const linkOf = async (token: string) =>
      (
        (await t.api("GET", `/attachs/${path}/l-1/0?download=true`, { token })).body.attachment as {
          download_url: string;
        }
      ).download_url;
    const viewerLink = await linkOf(viewer);
    const strangerLink = await linkOf(stranger);
    expect((await fetch(viewerLink)).status).toBe(200);
    expect((await push({ id: "l-2", ...py050, access: "private", attachments: [note("2")], stack: path })).status).toBe(
      200,
    );
    expect((await fetch(strangerLink)).status).toBe(404);
    // The viewer still sees the stack (it is shared with them), but the link from before the change is dead.
    expect((await t.api("GET", `/stacks/${path}`, { token: viewer })).status).toBe(200);
    expect((await fetch(viewerLink)).status).toBe(403);
    expect((await fetch(await linkOf(viewer))).status).toBe(200);
  });

  it("refuses access values other than 'private' and 'public' (400), storing nothing", async () => {
    for (const access of ["secret", "PRIVATE", true, 1, {}]) {
      const refused = await push({ id: "bad-1", ...py050, access, attachments: [note("x")], stack: "acc/bad-access" });
      expect(refused.status, String(access)).toBe(400);
      expect(refused.body.message).toMatch(/access must be 'private' or 'public'/);
      const incremental = await push({
        id: "bad-2",
        ...py050,
        access,
        index: 0,
        attachments: [note("x")],
        stack: "acc/bad-access",
      });
      expect(incremental.status, String(access)).toBe(400);
    }
    expect((await t.api("GET", "/stacks/acc/bad-access", { token: owner })).status).toBe(404);
    // null is no access at all, as an absent field.
    expect(
      (await push({ id: "null-1", ...py050, access: null, attachments: [note("x")], stack: "acc/null-access" })).status,
    ).toBe(200);
    expect((await store.getStack("null-access")).private).toBe(false);
  });
});
