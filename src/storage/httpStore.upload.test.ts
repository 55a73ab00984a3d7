// Large pushes (over 5,000,000 bytes of JSON) go by `length` + PUT upload_url, small attachments stay inline,
// and progress is reported; large reads come back through download_url. Against the real server.
import { describe, expect, it } from "vitest";
import { setupTestServer } from "../node/testing/testServer";
import { createHttpStore, createHttpStoreWithClock } from "./httpStore";

const t = setupTestServer();

/** A store that records every request it makes. */
function recordingStore(user: string) {
  const requests: Array<{ method: string; url: string; bytes: number }> = [];
  const store = createHttpStore({
    server: t.server.apiUrl,
    user,
    token: t.server.addUser(user),
    fetch: async (input, init) => {
      const body = init?.body;
      const bytes = typeof body === "string" ? body.length : body instanceof Blob ? body.size : -1;
      requests.push({ method: init?.method ?? "GET", url: String(input), bytes });
      return fetch(input, init);
    },
  });
  return { store, requests };
}

const pattern = (n: number, seed: number) => new Uint8Array(n).map((_, i) => (i * 31 + seed) % 256);
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe("HttpStore large pushes", () => {
  it("sends a push of 6 MB by upload URL while small attachments stay inline, and reads it back", async () => {
    const { store, requests } = recordingStore("big");
    const big = pattern(6_000_000, 1);
    const uploads: Array<[number, number]> = [];
    const progress: number[] = [];
    const result = await store.push(
      {
        stack: "large",
        attachments: [
          { data: new TextEncoder().encode("# readme"), contentType: "text/markdown" },
          { data: big, contentType: "application/octet-stream", params: { part: "big" } },
        ],
      },
      { onUpload: (sent, total) => uploads.push([sent, total]), onProgress: (done) => progress.push(done) },
    );
    const posts = requests.filter((r) => r.method === "POST");
    const puts = requests.filter((r) => r.method === "PUT");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.bytes).toBeLessThan(5_000);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.url).toMatch(/\/api\/uploads\/[0-9a-f]{32}$/);
    expect(progress).toEqual([1, 2]);
    // Byte progress: never backwards, ends at the total.
    const total = 6_000_000 + 8;
    expect(uploads.at(-1)).toEqual([total, total]);
    for (let i = 1; i < uploads.length; i++)
      expect(uploads[i]?.[0]).toBeGreaterThanOrEqual(uploads[i - 1]?.[0] as number);
    expect(uploads.length).toBeGreaterThan(3);

    const blob = await store.getAttachment("large", result.frameId, 1);
    expect(blob.type).toBe("application/octet-stream");
    expect(same(new Uint8Array(await blob.arrayBuffer()), big)).toBe(true);
    // The read went through download_url, without a token.
    expect(requests.filter((r) => r.url.includes("/api/blobs/"))).toHaveLength(1);
    expect(await (await store.getAttachment("large", result.frameId, 0)).text()).toBe("# readme");
  });

  it("keeps a push just under the limit in one request", async () => {
    const { store, requests } = recordingStore("under");
    await store.push({
      stack: "under",
      attachments: [{ data: pattern(3_000_000, 2), contentType: "application/octet-stream" }],
    });
    expect(requests.map((r) => r.method)).toEqual(["POST"]);
    expect(requests[0]?.bytes).toBeGreaterThan(4_000_000);
    expect(requests[0]?.bytes).toBeLessThanOrEqual(5_000_000);
  });

  it("moves the largest attachments to uploads until the JSON fits (inlineLimit)", async () => {
    const { store, requests } = recordingStore("mixed");
    const sizes = [100, 5_000, 300, 4_000, 200];
    const result = await createHttpStore({
      server: t.server.apiUrl,
      user: "mixed",
      token: t.server.addUser("mixed"),
      inlineLimit: 4_000,
      fetch: (input, init) => {
        requests.push({ method: init?.method ?? "GET", url: String(input), bytes: 0 });
        return fetch(input, init);
      },
    }).push({
      stack: "mixed",
      attachments: sizes.map((n, i) => ({ data: pattern(n, i), contentType: "application/octet-stream" })),
    });
    expect(requests.filter((r) => r.method === "PUT")).toHaveLength(2);
    const frame = await store.getFrame("mixed", result.frameId);
    expect(frame.attachments.map((a) => a.length)).toEqual(sizes);
    for (const [i, n] of sizes.entries()) {
      const bytes = new Uint8Array(await (await store.getAttachment("mixed", result.frameId, i)).arrayBuffer());
      expect(same(bytes, pattern(n, i))).toBe(true);
    }
  });
});

describe("HttpStore time limits", () => {
  it("gives uploads and downloads the request time limit plus a second per started MB", async () => {
    // The limit each request asked for, next to its method and URL (the clock is asked right before each fetch).
    const requests: Array<{ limit: number; method?: string; url?: string }> = [];
    const store = createHttpStoreWithClock(
      {
        server: t.server.apiUrl,
        user: "limits",
        token: t.server.addUser("limits"),
        timeoutMs: 1000,
        inlineLimit: 1000,
        fetch: (input, init) => {
          const last = requests.at(-1);
          if (last) Object.assign(last, { method: init?.method ?? "GET", url: String(input) });
          return fetch(input, init);
        },
      },
      {
        // Records the limit; it never passes, so only the limits asked for matter here.
        timeout: (ms) => {
          requests.push({ limit: ms });
          return new AbortController().signal;
        },
      },
    );
    const bytes = pattern(1_500_000, 3);
    const { frameId } = await store.push({
      stack: "limits",
      attachments: [{ data: bytes, contentType: "application/octet-stream" }],
    });
    const blob = await store.getAttachment("limits", frameId, 0);
    expect(same(new Uint8Array(await blob.arrayBuffer()), bytes)).toBe(true);
    expect(requests.map((r) => [r.method, r.url?.replace(/^.*\/api\/([a-z]+).*$/, "$1"), r.limit])).toEqual([
      ["POST", "stacks", 1000],
      ["PUT", "uploads", 3000],
      ["GET", "attachs", 1000],
      ["GET", "blobs", 3000],
    ]);
  });
});

describe("pushing the same frame id again", () => {
  const part = (s: string) => ({ data: Buffer.from(s).toString("base64"), content_type: "text/plain", params: { s } });

  it("answers an identical repeat with success and keeps one frame; a different one is refused", async () => {
    const token = t.server.addUser("repeat");
    const body = { stack: "repeat/rep", id: "same", timestamp: 5, message: "m", attachments: [part("a"), part("b")] };
    for (let i = 0; i < 3; i++) {
      const again = await t.api("POST", "/stacks/push", { token, json: body });
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ url: `${t.server.url}/repeat/rep` });
    }
    const changed = [
      { ...body, attachments: [part("a"), part("c")] },
      { ...body, message: "other" },
      { ...body, timestamp: 6 },
      { ...body, attachments: [part("a")] },
      { ...body, attachments: [part("a"), { ...part("b"), content_type: "text/csv" }] },
    ];
    for (const json of changed) {
      const refused = await t.api("POST", "/stacks/push", { token, json });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toBe("frame same already exists in repeat/rep");
    }
    const stack = await t.api("GET", "/stacks/repeat/rep", { token });
    expect((stack.body.stack as { frames: unknown[] }).frames).toHaveLength(1);
  });

  it("gives the same upload URLs to a repeated large push, and nothing to upload once it is stored", async () => {
    const token = t.server.addUser("repeat2");
    const body = { stack: "repeat2/rep", id: "large", timestamp: 5, attachments: [{ length: 3, content_type: "x/y" }] };
    const first = await t.api("POST", "/stacks/push", { token, json: body });
    const second = await t.api("POST", "/stacks/push", { token, json: body });
    expect(second.body).toEqual(first.body);
    const url = (first.body.attachments as Array<{ upload_url: string }>)[0]?.upload_url as string;
    expect((await t.api("PUT", url, { body: new Uint8Array(3) })).status).toBe(200);
    const third = await t.api("POST", "/stacks/push", { token, json: body });
    expect(third.body).toEqual({ url: `${t.server.url}/repeat2/rep`, attachments: [] });
    // Repeating the PUT is harmless too.
    expect((await t.api("PUT", url, { body: new Uint8Array(3) })).status).toBe(200);
    const conflicting = await t.api("POST", "/stacks/push", {
      token,
      json: { ...body, attachments: [{ length: 4, content_type: "x/y" }] },
    });
    expect(conflicting.status).toBe(400);
  });

  it("refuses an incremental request that contradicts an earlier one for the same frame", async () => {
    const token = t.server.addUser("incr");
    const base = { stack: "incr/rep", id: "parts", timestamp: 1 };
    expect(
      (await t.api("POST", "/stacks/push", { token, json: { ...base, index: 0, attachments: [part("a")] } })).status,
    ).toBe(200);
    // The same part again (a retry) is fine; another content type at the same index is not.
    expect(
      (await t.api("POST", "/stacks/push", { token, json: { ...base, index: 0, attachments: [part("a")] } })).status,
    ).toBe(200);
    const other = await t.api("POST", "/stacks/push", {
      token,
      json: { ...base, index: 0, attachments: [{ ...part("a"), content_type: "text/csv" }] },
    });
    expect(other.status).toBe(400);
    expect(other.body.message).toMatch(/attachment 0 differs from an earlier request/);
    const tooSmall = await t.api("POST", "/stacks/push", {
      token,
      json: { ...base, index: 3, attachments: [part("d")] },
    });
    expect(tooSmall.status).toBe(200);
    const size = await t.api("POST", "/stacks/push", { token, json: { ...base, size: 2 } });
    expect(size.status).toBe(400);
    expect(size.body.message).toMatch(/attachment 3 is beyond size 2/);
    expect((await t.api("GET", "/stacks/incr/rep", { token })).status).toBe(404);
  });

  it("answers 404 for an unknown upload URL", async () => {
    const unknown = await t.api("PUT", "/uploads/00000000000000000000000000000000", { body: new Uint8Array(1) });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/upload not found/);
  });
});
