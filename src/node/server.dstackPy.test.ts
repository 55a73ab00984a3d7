// Requests shaped exactly as dstack-py 0.4.4 and 0.5.0 send them (their JsonProtocol: Bearer token, `user/name`
// stack, extra `client`/`version`/`settings`/`access` fields, `length` + PUT upload_url above 5,000,000 bytes,
// auto_push's `index`/`size` form, 0.5.0's frame params carrying the message; and the legacy `type` of older
// clients and the R client), read back by its own pull flow and by this kit's HttpStore + pull. `access` has a
// file of its own: server.pushAccess.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { pull } from "../client/pull";
import { type ColumnTable, tableToRows } from "../model/columnTable";
import type { HttpStore } from "../storage/httpStore";
import { setupTestServer } from "./testing/testServer";

const t = setupTestServer();
let token = "";
let store: HttpStore;

beforeAll(() => {
  store = t.store("py");
  token = t.server.addUser("py");
});

const b64 = (s: string | Uint8Array) =>
  Buffer.from(typeof s === "string" ? new TextEncoder().encode(s) : s).toString("base64");

/** What dstack-py's StackFrame.new_frame() adds to every push. */
const pyFields = {
  client: "dstack-py",
  version: "0.4.4",
  settings: {
    python: "3.8.5 (default, Sep  4 2020, 07:30:14) \n[GCC 7.3.0]",
    os: { sysname: "Linux", release: "5.4.0-48-generic", version: "#52-Ubuntu SMP", machine: "x86_64" },
  },
  access: "public",
};

// pandas' df.to_csv(quoting=csv.QUOTE_ALL) with the default index: every field quoted, numbers too, and an
// index column with an empty header.
const QUOTE_ALL_CSV =
  '"","date","A","B","label"\n' +
  '"0","2013-01-01","0.469112","-0.282863","x"\n' +
  '"1","2013-01-02","-1.509059","-1.135632","y, with a comma"\n' +
  '"2","2013-01-03","1.212112","-0.173215","say ""hi"""\n';

const dataframe = {
  data: b64(QUOTE_ALL_CSV),
  content_type: "text/csv",
  application: "pandas/dataframe",
  description: "My first dataset",
  params: { Region: "EU" },
  settings: {
    header: true,
    index: true,
    schema: ["int64", "datetime64[ns]", "float64", "float64", "object"],
    encoding: "utf-8",
  },
};

describe("dstack-py 0.4.4 requests", () => {
  it("push a pandas DataFrame (QUOTE_ALL CSV with an index column) with the extra fields, and read it back", async () => {
    const id = "9b8a7c6d-0000-4000-8000-000000000001";
    expect((await t.api("POST", "/stacks/access", { token, json: { stack: "py/dataset" } })).status).toBe(200);
    const pushed = await t.api("POST", "/stacks/push", {
      token,
      json: { id, timestamp: 1_600_000_000_000, ...pyFields, attachments: [dataframe], stack: "py/dataset" },
    });
    expect(pushed.status).toBe(200);
    expect(pushed.body).toEqual({ url: `${t.server.url}/py/dataset` });

    // dstack-py's pull: GET the stack, pick the attachment, GET /attachs/...?download=true, decode `data`.
    const stack = await t.api("GET", "/stacks/py/dataset", { token });
    const head = (stack.body.stack as { head: { id: string; attachments: unknown[] } }).head;
    expect(head.id).toBe(id);
    expect(head.attachments).toEqual([
      {
        index: 0,
        content_type: "text/csv",
        application: "pandas/dataframe",
        description: "My first dataset",
        params: { Region: "EU" },
        settings: dataframe.settings,
        length: QUOTE_ALL_CSV.length,
      },
    ]);
    const attach = await t.api("GET", `/attachs/py/dataset/${id}/0?download=true`, { token });
    const a = attach.body.attachment as { data: string; content_type: string; application: string };
    expect(Buffer.from(a.data, "base64").toString("utf8")).toBe(QUOTE_ALL_CSV);
    expect(a).toMatchObject({ content_type: "text/csv", application: "pandas/dataframe" });

    // This kit's pull decodes it as the typed table pandas meant.
    const table = (await pull("dataset", { Region: "EU" }, { store })) as ColumnTable;
    expect(table.rowCount).toBe(3);
    expect(table.index).toBe("");
    expect(table.columns.map((c) => [c.name, c.type])).toEqual([
      ["", "number"],
      ["date", "date"],
      ["A", "number"],
      ["B", "number"],
      ["label", "string"],
    ]);
    const rows = tableToRows(table);
    expect(rows[1]).toMatchObject({ A: -1.509059, label: "y, with a comma" });
    expect(rows[2]?.label).toBe('say "hi"');
    expect(rows[0]?.date).toEqual(new Date("2013-01-01T00:00:00.000Z"));
  });

  it("accept the legacy `type` field (image/png from R, plotly and svg from dstack-py < 0.4)", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const figure = { data: [{ type: "scatter", x: [1, 2], y: [3, 4] }], layout: {} };
    const pushed = await t.api("POST", "/stacks/push", {
      token,
      json: {
        stack: "py/legacy",
        id: "legacy-1",
        timestamp: 1_600_000_000_001,
        client: "dstack-r",
        attachments: [
          { type: "image/png", data: b64(png), params: { kind: "png" } },
          { type: "plotly", data: b64(JSON.stringify(figure)), params: { kind: "plotly" } },
          { type: "image/svg", data: b64("<svg xmlns='http://www.w3.org/2000/svg'/>"), params: { kind: "svg" } },
        ],
      },
    });
    expect(pushed.status).toBe(200);
    const { head } = await store.getStack("legacy");
    expect(head?.attachments.map((x) => [x.contentType, x.application])).toEqual([
      ["image/png", "image"],
      ["application/json", "plotly"],
      ["image/svg+xml", "image"],
    ]);
    const image = (await pull("legacy", { kind: "png" }, { store })) as Blob;
    expect(image.type).toBe("image/png");
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(png);
    expect(await pull("legacy", { kind: "plotly" }, { store })).toEqual(figure);
  });

  it("auto_push: one request per attachment with `index`, then `size` with the frame params; visible only at the end", async () => {
    const base = { id: "auto-1", timestamp: 1_600_000_000_002, ...pyFields, stack: "py/auto" };
    for (let i = 0; i < 3; i++) {
      const part = { data: b64(`part ${i}`), content_type: "text/plain", params: { i } };
      const sent = await t.api("POST", "/stacks/push", { token, json: { ...base, index: i, attachments: [part] } });
      expect(sent.status).toBe(200);
      // Not a frame until the size arrives: the stack does not exist yet.
      expect((await t.api("GET", "/stacks/py/auto", { token })).status).toBe(404);
    }
    const done = await t.api("POST", "/stacks/push", {
      token,
      json: { ...base, size: 3, params: { message: "run 1" } },
    });
    expect(done.status).toBe(200);
    const frame = await store.getFrame("auto", "auto-1");
    expect(frame.params).toEqual({ message: "run 1" });
    expect(frame.attachments.map((x) => x.params)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
    expect(await pull("auto", { i: 2 }, { store })).toBe("part 2");
  });

  it("a push over 5,000,000 bytes: `length` instead of data, then a PUT of raw bytes per upload_url, without a token", async () => {
    const big = new Uint8Array(6_000_000).map((_, i) => (i * 7) % 251);
    const small = new TextEncoder().encode("small");
    const announced = await t.api("POST", "/stacks/push", {
      token,
      json: {
        id: "large-1",
        timestamp: 1_600_000_000_003,
        ...pyFields,
        stack: "py/large",
        attachments: [
          { length: big.length, content_type: "application/octet-stream", params: { part: "big" } },
          { length: small.length, content_type: "text/plain", params: { part: "small" } },
        ],
      },
    });
    expect(announced.status).toBe(200);
    const uploads = announced.body.attachments as Array<{ index: number; upload_url: string }>;
    expect(uploads.map((u) => u.index)).toEqual([0, 1]);
    for (const u of uploads) expect(u.upload_url).toMatch(new RegExp(`^${t.server.url}/api/uploads/[0-9a-f]{32}$`));
    expect((await t.api("PUT", uploads[1]?.upload_url as string, { body: small })).status).toBe(200);
    expect((await t.api("GET", "/stacks/py/large", { token })).status).toBe(404);
    expect((await t.api("PUT", uploads[0]?.upload_url as string, { body: big })).status).toBe(200);
    // Read back as dstack-py does: a download_url for data of 1,000,000 bytes or more, fetched without a token.
    const attach = await t.api("GET", "/attachs/py/large/large-1/0?download=true", { token });
    const a = attach.body.attachment as { download_url: string; data?: string; length: number };
    expect(a.data).toBeUndefined();
    expect(a.length).toBe(big.length);
    const download = await fetch(a.download_url);
    expect(download.headers.get("content-length")).toBe(String(big.length));
    // Buffer.equals: vitest's deep equality walks 6 MB element by element.
    expect(Buffer.from(await download.arrayBuffer()).equals(big)).toBe(true);
    // Without download=true: the first 100,000 bytes as a preview.
    const preview = (await t.api("GET", "/attachs/py/large/large-1/0", { token })).body.attachment as {
      preview: boolean;
      data: string;
    };
    expect(preview.preview).toBe(true);
    expect(Buffer.from(preview.data, "base64").equals(big.subarray(0, 100_000))).toBe(true);
    expect(await (await store.getAttachment("large", "large-1", 1)).text()).toBe("small");
  });
});

/** What dstack-py 0.5.0's StackFrame adds to every push (`access` only when the caller gave one). */
const py050 = {
  client: "dstack-py",
  version: "0.5.0",
  settings: {
    python: "3.8.5 (default, Sep  4 2020, 07:30:14) \n[GCC 7.3.0]",
    os: { sysname: "Linux", release: "5.4.0-48-generic", version: "#52-Ubuntu SMP", machine: "x86_64" },
  },
};

const note = (s: string, params: Record<string, unknown> = {}) => ({
  data: b64(s),
  content_type: "text/plain",
  application: "markdown",
  params,
});

describe("dstack-py 0.5.0 requests", () => {
  it("push_frame without a message sends frame params {message: null}: accepted, the null not stored", async () => {
    const pushed = await t.api("POST", "/stacks/push", {
      token,
      json: {
        id: "nomsg-1",
        timestamp: 1_600_000_000_010,
        ...py050,
        params: { message: null },
        attachments: [note("# hi")],
        stack: "py/nomsg",
      },
    });
    expect(pushed.status).toBe(200);
    const frame = await store.getFrame("nomsg", "nomsg-1");
    expect(frame.params).toEqual({});
    expect(frame.message).toBeUndefined();
    // A retry of the same request (its answer lost) is the same frame: success, still one frame.
    const again = await t.api("POST", "/stacks/push", {
      token,
      json: {
        id: "nomsg-1",
        timestamp: 1_600_000_000_010,
        ...py050,
        params: { message: null },
        attachments: [note("# hi")],
        stack: "py/nomsg",
      },
    });
    expect(again.status).toBe(200);
    expect((await store.getStack("nomsg")).frames).toHaveLength(1);
  });

  it("frame params keep string, number, boolean and tab values and drop null, lists and objects", async () => {
    const pushed = await t.api("POST", "/stacks/push", {
      token,
      json: {
        id: "fparams-1",
        timestamp: 1_600_000_000_011,
        ...py050,
        params: {
          message: null,
          run: "nightly",
          epoch: 3,
          best: true,
          section: { type: "tab", title: "Charts" },
          tags: ["a", "b"],
          extra: { nested: 1 },
          "": "empty key",
        },
        attachments: [note("x")],
        stack: "py/fparams",
      },
    });
    expect(pushed.status).toBe(200);
    const { head } = await store.getStack("fparams");
    expect(head?.params).toEqual({ run: "nightly", epoch: 3, best: true, section: { type: "tab", title: "Charts" } });
    // The incremental form's last request carries the frame params too.
    const base = { id: "fparams-2", timestamp: 1_600_000_000_012, ...py050, stack: "py/fparams" };
    expect(
      (await t.api("POST", "/stacks/push", { token, json: { ...base, index: 0, attachments: [note("y")] } })).status,
    ).toBe(200);
    const done = await t.api("POST", "/stacks/push", {
      token,
      json: { ...base, size: 1, params: { message: null, k: "v" } },
    });
    expect(done.status).toBe(200);
    expect((await store.getFrame("fparams", "fparams-2")).params).toEqual({ k: "v" });
  });

  it("attachment params stay strict: null, lists and objects there are refused, storing nothing", async () => {
    for (const bad of [{ x: null }, { x: [1] }, { x: { a: 1 } }]) {
      const refused = await t.api("POST", "/stacks/push", {
        token,
        json: {
          id: "strict-1",
          ...py050,
          params: { message: null },
          attachments: [note("x", bad)],
          stack: "py/strict",
        },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/attachment 0\.params\.x/);
    }
    expect((await t.api("GET", "/stacks/py/strict", { token })).status).toBe(404);
  });

  it("push_frame(message=...) sends it as params.message only: it becomes the frame's message", async () => {
    const pushed = await t.api("POST", "/stacks/push", {
      token,
      json: {
        id: "msg-1",
        timestamp: 1_600_000_000_020,
        ...py050,
        params: { message: "fix axis" },
        attachments: [note("# v1")],
        stack: "py/messages",
      },
    });
    expect(pushed.status).toBe(200);
    // On the wire (what the React header and revision picker read) and through HttpStore.
    const wire = (await t.api("GET", "/stacks/py/messages", { token })).body.stack as {
      head: { message?: string; params: unknown };
      frames: Array<{ id: string; message?: string }>;
    };
    expect(wire.head.message).toBe("fix axis");
    expect(wire.head.params).toEqual({ message: "fix axis" });
    expect(wire.frames).toEqual([{ id: "msg-1", timestamp: 1_600_000_000_020, message: "fix axis" }]);
    const listed = (await t.api("GET", "/stacks/py", { token })).body.stacks as Array<{
      name: string;
      head: { message?: string };
    }>;
    expect(listed.find((s) => s.name === "messages")?.head.message).toBe("fix axis");
    expect((await store.getFrame("messages", "msg-1")).message).toBe("fix axis");

    // auto_push: the message arrives with the last (`size`) request.
    const base = { id: "msg-2", timestamp: 1_600_000_000_021, ...py050, stack: "py/messages" };
    expect(
      (await t.api("POST", "/stacks/push", { token, json: { ...base, index: 0, attachments: [note("v2")] } })).status,
    ).toBe(200);
    const done = await t.api("POST", "/stacks/push", {
      token,
      json: { ...base, size: 1, params: { message: "run 2" } },
    });
    expect(done.status).toBe(200);
    expect((await store.getStack("messages")).head).toMatchObject({ id: "msg-2", message: "run 2" });

    // A message of its own (0.4.4, this kit) wins; a params.message that is not a string is not a message.
    const own = await t.api("POST", "/stacks/push", {
      token,
      json: {
        id: "msg-3",
        ...py050,
        message: "own",
        params: { message: "param" },
        attachments: [note("v3")],
        stack: "py/messages",
      },
    });
    expect(own.status).toBe(200);
    expect(await store.getFrame("messages", "msg-3")).toMatchObject({ message: "own", params: { message: "param" } });
    const numeric = await t.api("POST", "/stacks/push", {
      token,
      json: { id: "msg-4", ...py050, params: { message: 4 }, attachments: [note("v4")], stack: "py/messages" },
    });
    expect(numeric.status).toBe(200);
    expect((await store.getFrame("messages", "msg-4")).message).toBeUndefined();
  });
});
