// GET /stacks/{user}/{name} with and without paging: no params keeps the 2020 answer (every frame, no count),
// `?frames=N&before=ID` pages; HttpStore pages through it, and through servers that ignore the params.
import { describe, expect, it } from "vitest";
import { createHttpStore } from "../storage/httpStore";
import { createMemoryStore } from "../storage/memoryStore";
import { createDstackHandler } from "./handler";
import { toWireStack } from "./wire";

const origin = "http://example.test";

async function setup() {
  const store = createMemoryStore({ user: "mock" });
  for (let i = 1; i <= 7; i++) {
    await store.push({
      stack: "hist",
      id: `f${i}`,
      timestamp: i * 1000,
      attachments: [{ data: new Uint8Array(1), contentType: "x/y" }],
    });
  }
  const handler = createDstackHandler({ store });
  const get = async (path: string) => {
    const response = await handler(new Request(`${origin}/api${path}`));
    return { status: response.status, body: (await response.json()) as Record<string, Record<string, unknown>> };
  };
  return { store, handler, get };
}

const ids = (frames: unknown) => (frames as Array<{ id: string }>).map((f) => f.id);

describe("GET /stacks/{user}/{name} paging", () => {
  it("without params lists every frame and adds nothing, as dstack-py 0.4 reads it", async () => {
    const { get } = await setup();
    const { status, body } = await get("/stacks/mock/hist");
    expect(status).toBe(200);
    expect(Object.keys(body.stack as object)).toEqual(["user", "name", "private", "head", "frames"]);
    expect(ids(body.stack?.frames)).toEqual(["f7", "f6", "f5", "f4", "f3", "f2", "f1"]);
  });

  it("?frames=N lists the newest N with frame_count; before= pages on", async () => {
    const { get } = await setup();
    const top = await get("/stacks/mock/hist?frames=3");
    expect(ids(top.body.stack?.frames)).toEqual(["f7", "f6", "f5"]);
    expect(top.body.stack).toMatchObject({ frame_count: 7, head: { id: "f7" } });
    const next = await get("/stacks/mock/hist?frames=3&before=f5");
    expect(ids(next.body.stack?.frames)).toEqual(["f4", "f3", "f2"]);
    expect(next.body.stack).toMatchObject({ frame_count: 7, head: { id: "f7" } });
    const after = await get("/stacks/mock/hist?before=f3");
    expect(ids(after.body.stack?.frames)).toEqual(["f2", "f1"]);
    expect(after.body.stack?.frame_count).toBe(7);
    expect((await get("/stacks/mock/hist?frames=0")).body.stack).toMatchObject({ frames: [], frame_count: 7 });
    expect((await get("/stacks/mock/hist?frames=0&before=f3")).body.stack?.frames).toEqual([]);
  });

  it("refuses bad paging with 400, an unknown `before` with 404", async () => {
    const { get } = await setup();
    for (const query of ["frames=-1", "frames=two", "frames=1.5", "frames=", "before="]) {
      const answer = await get(`/stacks/mock/hist?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.message).toMatch(/malformed request/);
    }
    const unknown = await get("/stacks/mock/hist?frames=2&before=nope");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: "frame_not_found" });
  });

  it("HttpStore pages through the route", async () => {
    const { handler } = await setup();
    const http = createHttpStore({
      server: `${origin}/api`,
      user: "mock",
      token: "t",
      fetch: (input, init) => handler(new Request(input, init)),
    });
    expect(await http.getStack("hist", { frames: 2 })).toMatchObject({
      frameCount: 7,
      frames: [{ id: "f7" }, { id: "f6" }],
    });
    expect(await http.listFrames("hist", { before: "f6", limit: 4 })).toMatchObject({
      frames: [{ id: "f5" }, { id: "f4" }, { id: "f3" }, { id: "f2" }],
      more: true,
    });
    const rest = await http.listFrames("hist", { before: "f4", limit: Number.POSITIVE_INFINITY });
    expect(rest).toMatchObject({ frames: [{ id: "f3" }, { id: "f2" }, { id: "f1" }], more: false });
    expect(await http.listFrames("hist", { before: "f2", limit: 4 })).toEqual({
      frames: [{ id: "f1", timestamp: 1000 }],
      more: false,
    });
  });

  it("HttpStore pages by itself against a server that ignores the params (dstack 2020, kit 0.2)", async () => {
    const { store } = await setup();
    const seen: string[] = [];
    const oldServer = async (input: RequestInfo | URL) => {
      const url = new URL(String(input));
      seen.push(url.search);
      const info = await store.getStack(`/mock/${url.pathname.replace("/api/stacks/mock/", "")}`, {
        frames: Number.POSITIVE_INFINITY,
      });
      return Response.json({ stack: toWireStack(info) });
    };
    const http = createHttpStore({
      server: `${origin}/api`,
      user: "mock",
      token: "t",
      fetch: oldServer as typeof fetch,
    });
    expect(await http.getStack("hist", { frames: 2 })).toMatchObject({
      frameCount: 7,
      frames: [{ id: "f7" }, { id: "f6" }],
    });
    expect((await http.getStack("hist")).frames).toHaveLength(7);
    expect(await http.listFrames("hist", { before: "f3", limit: 1 })).toEqual({
      frames: [{ id: "f2", timestamp: 2000 }],
      more: true,
    });
    expect(await http.listFrames("hist", { before: "f2" })).toEqual({
      frames: [{ id: "f1", timestamp: 1000 }],
      more: false,
    });
    await expect(http.listFrames("hist", { before: "nope" })).rejects.toMatchObject({ code: "frame_not_found" });
    expect(seen).toContain("?frames=2");
    expect(seen).toContain("?frames=2&before=f3");
  });
});
