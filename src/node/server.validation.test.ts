// Bad requests are refused whole, with a status and {"message"}, before anything is stored: malformed JSON,
// missing fields, bad base64, bad names, attachment params of the wrong type (400) and bodies over the limit (413).
import { beforeAll, describe, expect, it } from "vitest";
import { setupTestServer } from "./testing/testServer";

const LIMIT = 64 * 1024;
const t = setupTestServer({ maxBodyBytes: LIMIT, maxAttachmentBytes: 1024 * 1024 });
let token = "";

beforeAll(() => {
  token = t.server.addUser("val");
});

const ok = { data: btoa("hello"), content_type: "text/plain" };
const push = (extra: Record<string, unknown>) => ({ stack: "val/report", id: "frame-1", attachments: [ok], ...extra });

async function expectNothingStored() {
  const list = await t.api("GET", "/stacks/val", { token });
  expect(list.body.stacks).toEqual([]);
}

async function expectRefused(body: unknown, status: number, message: RegExp) {
  const result = await t.api("POST", "/stacks/push", { token, json: body });
  expect(result.status, JSON.stringify(body).slice(0, 200)).toBe(status);
  expect(result.body.message).toMatch(message);
  expect(Object.keys(result.body).sort()).toEqual(["code", "message"]);
}

describe("pushes refused with 400, storing nothing", () => {
  it("malformed JSON and bodies that are not objects", async () => {
    for (const raw of ["{not json", "", "[1,2]", '"text"', "null", "42"]) {
      const result = await t.api("POST", "/stacks/push", { token, json: raw });
      expect(result.status, raw).toBe(400);
      expect(result.body.message).toMatch(/^malformed request: the body (is not valid JSON|must be a JSON object)/);
    }
    const invalidUtf8 = await t.api("POST", "/stacks/push", { token, body: new Uint8Array([0x7b, 0xff, 0x7d]) });
    expect(invalidUtf8.status).toBe(400);
    await expectNothingStored();
  });

  it("missing or mistyped fields", async () => {
    await expectRefused({ id: "f", attachments: [ok] }, 400, /stack must be/);
    await expectRefused(push({ stack: 42 }), 400, /stack must be/);
    await expectRefused(push({ id: undefined }), 400, /id must be/);
    for (const id of ["", "../x", "a b", "a/b", "x".repeat(129), 7])
      await expectRefused(push({ id }), 400, /id must be/);
    await expectRefused(push({ attachments: undefined }), 400, /at least one attachment/);
    await expectRefused(push({ attachments: [] }), 400, /at least one attachment/);
    await expectRefused(push({ attachments: "all" }), 400, /attachments must be a list/);
    await expectRefused(push({ attachments: [null] }), 400, /attachment 0 must be an object/);
    await expectRefused(push({ attachments: [ok, { data: btoa("x") }] }), 400, /attachment 1 needs a content_type/);
    await expectRefused(
      push({ attachments: [{ content_type: "text/plain" }] }),
      400,
      /needs data \(base64\) or a length/,
    );
    await expectRefused(push({ timestamp: "yesterday" }), 400, /timestamp must be a number/);
    await expectRefused(push({ message: 5 }), 400, /message must be a string/);
    await expectRefused(push({ attachments: [{ ...ok, settings: [1] }] }), 400, /settings must be an object/);
    await expectRefused(push({ attachments: [{ ...ok, description: {} }] }), 400, /description must be a string/);
    await expectRefused(push({ index: -1 }), 400, /index must be an integer/);
    await expectRefused(push({ index: 0.5 }), 400, /index must be an integer/);
    await expectRefused(push({ attachments: undefined, size: 0 }), 400, /size must be an integer/);
    await expectRefused(push({ size: 3 }), 400, /size is 3 but the request has 1/);
    await expectNothingStored();
  });

  it("bad base64 and lengths that do not match the data", async () => {
    for (const data of ["not base64!", "YQ=", "Y", "YQ==YQ==", "aGVsbG8=\n", 12]) {
      await expectRefused(
        push({ attachments: [ok, { ...ok, data }] }),
        400,
        /attachment 1\.data (is not valid base64|must be a base64 string)/,
      );
    }
    await expectRefused(push({ attachments: [{ ...ok, length: 4 }] }), 400, /length is 4 but data has 5 bytes/);
    await expectRefused(
      push({ attachments: [{ ...ok, data: undefined, length: -1 }] }),
      400,
      /length must be a whole number/,
    );
    await expectNothingStored();
  });

  it("bad stack names, naming the rule", async () => {
    const cases: Array<[string, RegExp]> = [
      ["val/ab", /at least 3 characters/],
      ["val/a//b", /may not contain '\/\/'/],
      ["val/a--b", /may not contain '--'/],
      ["val/-abc", /may not start or end/],
      ["val/abc/", /may not start or end/],
      ["val/with space", /may only contain/],
      ["val/dots.are.bad", /may only contain/],
      ["val/..%2F..%2Fetc", /may only contain/],
      ["onlyuser", /'\/user\/name'/],
      ["v@l/report", /user name may only contain/],
    ];
    for (const [stack, rule] of cases) {
      const result = await t.api("POST", "/stacks/push", { token, json: push({ stack }) });
      expect(result.status, stack).toBe(400);
      expect(result.body.message).toMatch(/^invalid stack name/);
      expect(result.body.message, stack).toMatch(rule);
    }
    expect((await t.api("GET", "/stacks/val/a--b", { token })).status).toBe(400);
    await expectNothingStored();
  });

  // Frame-level params are lenient (values a param cannot hold are dropped, as dstack-py 0.5 needs):
  // server.dstackPy.test.ts.
  it("attachment params of the wrong type", async () => {
    for (const params of [{ x: null }, { x: [1] }, { x: { a: 1 } }, { "": 1 }, "params", [1]]) {
      await expectRefused(push({ attachments: [ok, { ...ok, params }] }), 400, /attachment 1\.params/);
      // Even with frame params that are fine.
      await expectRefused(
        push({ params: { message: null }, attachments: [{ ...ok, params }] }),
        400,
        /attachment 0\.params/,
      );
    }
    await expectRefused(
      push({ attachments: [{ ...ok, params: { tab: { type: "tab", title: 3 } } }] }),
      400,
      /title must be a string/,
    );
    await expectNothingStored();
  });
});

describe("other routes refuse bad input with 400", () => {
  it("stack updates, dashboards, cards and permissions", async () => {
    const pushed = await t.api("POST", "/stacks/push", { token, json: push({ stack: "val/real" }) });
    expect(pushed.status).toBe(200);
    const cases: Array<[string, unknown, RegExp]> = [
      ["/stacks/update", { stack: "val/real", private: "yes" }, /private must be true or false/],
      ["/stacks/update", { stack: "val/real", head: 5 }, /head must be a string/],
      ["/stacks/update", { stack: "val/real", readme: ["x"] }, /readme must be a string/],
      ["/stacks/delete", {}, /user is missing/],
      ["/dashboards/create", { title: 5 }, /title must be a string/],
      ["/dashboards/create", { private: 1 }, /private must be true or false/],
      ["/permissions/add", { path: "val/real" }, /user is missing/],
      ["/permissions/add", { path: "val/real", user: "nobody" }, /no such user/],
      ["/permissions/add", { path: "val/real", user: "val", type: "folder" }, /type must be/],
    ];
    for (const [route, json, message] of cases) {
      const result = await t.api("POST", route, { token, json });
      expect(result.status, route).toBe(400);
      expect(result.body.message).toMatch(message);
    }
    const created = await t.api("POST", "/dashboards/create", { token, json: { title: "d" } });
    const id = (created.body.dashboard as { id: string }).id;
    const cardCases: Array<[string, unknown, RegExp]> = [
      [
        "/dashboards/cards/insert",
        { user: "val", dashboard: id, index: 0, cards: "x" },
        /cards must be a non-empty list/,
      ],
      [
        "/dashboards/cards/insert",
        { user: "val", dashboard: id, index: 0, cards: [{ stack: "val/real", columns: 3 }] },
        /columns must be 1 or 2/,
      ],
      [
        "/dashboards/cards/insert",
        { user: "val", dashboard: id, index: -2, cards: [{ stack: "val/real" }] },
        /index must be an integer/,
      ],
      ["/dashboards/cards/insert", { user: "val", dashboard: id, cards: [{ stack: "val/a//b" }] }, /may not contain/],
      ["/dashboards/update", { user: "val", id, description: false }, /description must be a string/],
    ];
    for (const [route, json, message] of cardCases) {
      const result = await t.api("POST", route, { token, json });
      expect(result.status, JSON.stringify(json)).toBe(400);
      expect(result.body.message).toMatch(message);
    }
    const dashboard = await t.api("GET", `/dashboards/val/${id}`, { token });
    expect(dashboard.body.dashboard).toMatchObject({ title: "d", cards: [] });
    const stack = await t.api("GET", "/stacks/val/real", { token });
    expect(stack.body.stack).toMatchObject({ private: false, frames: [{ id: "frame-1" }] });
    expect(stack.body.stack).not.toHaveProperty("readme");
    await t.api("POST", "/stacks/delete", { token, json: { user: "val", name: "real" } });
    await t.api("POST", "/dashboards/delete", { token, json: { user: "val", id } });
  });
});

describe("bodies over the limit get 413, storing nothing", () => {
  it("a JSON body over maxBodyBytes, with or without Content-Length", async () => {
    const big = push({ attachments: [{ ...ok, data: btoa("x".repeat(LIMIT)) }] });
    const declared = await t.api("POST", "/stacks/push", { token, json: big });
    expect(declared.status).toBe(413);
    expect(declared.body.message).toMatch(/larger than the limit of 65536 bytes/);
    // Chunked (no Content-Length): cut off while reading.
    const bytes = new TextEncoder().encode(JSON.stringify(big));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192));
        controller.close();
      },
    });
    const chunked = await t.api("POST", "/stacks/push", { token, body: stream });
    expect(chunked.status).toBe(413);
    await expectNothingStored();
  });

  it("an attachment declaring more than maxAttachmentBytes, and uploads longer or shorter than declared", async () => {
    const tooBig = { content_type: "application/octet-stream", length: 1024 * 1024 + 1 };
    await expectRefused(push({ attachments: [tooBig] }), 413, /attachment 0 is larger than the limit/);
    const announced = await t.api("POST", "/stacks/push", {
      token,
      json: push({ id: "upload-1", attachments: [{ content_type: "application/octet-stream", length: 10 }] }),
    });
    expect(announced.status).toBe(200);
    const url = (announced.body.attachments as Array<{ upload_url: string }>)[0]?.upload_url as string;
    const longer = await t.api("PUT", url, { body: new Uint8Array(11) });
    expect(longer.status).toBe(413);
    const shorter = await t.api("PUT", url, { body: new Uint8Array(9) });
    expect(shorter.status).toBe(400);
    expect(shorter.body.message).toMatch(/has 9 bytes, expected 10/);
    await expectNothingStored();
    // The right length still completes the frame: failed attempts left nothing behind.
    expect((await t.api("PUT", url, { body: new Uint8Array(10).fill(7) })).status).toBe(200);
    const stack = await t.api("GET", "/stacks/val/report", { token });
    expect(stack.body.stack).toMatchObject({ head: { id: "upload-1", attachments: [{ length: 10 }] } });
  });
});
