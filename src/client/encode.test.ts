import { describe, expect, it } from "vitest";
import type { ColumnTable } from "../model/columnTable";
import { InvalidRequestError, UnsupportedObjectError } from "../model/errors";
import type { Params } from "../model/params";
import type { AttachmentPush } from "../model/types";
import { BOKEH_VERSION, encodeAttachment, PLOTLY_JS_VERSION, sniffImageType } from "./encode";

const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13);
const JPEG = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 16);

async function text(a: AttachmentPush): Promise<string> {
  return a.data instanceof Blob ? a.data.text() : new TextDecoder().decode(a.data);
}

describe("encodeAttachment", () => {
  it("writes a ColumnTable as pandas CSV with its schema and index", async () => {
    const table: ColumnTable = {
      rowCount: 2,
      index: "",
      columns: [
        { name: "v", type: "number", values: Float64Array.of(0.5, 1) },
        { name: "", type: "number", values: Float64Array.of(0, 1) },
      ],
    };
    const a = encodeAttachment(table, "desc", { run: 1 });
    expect(a).toMatchObject({
      contentType: "text/csv",
      application: "pandas/dataframe",
      description: "desc",
      params: { run: 1 },
      settings: { header: true, index: true, schema: ["int64", "float64"], encoding: "utf-8" },
    });
    expect(await text(a)).toBe('"",v\n0,0.5\n1,1\n');
  });

  it("writes row objects as a dataframe without index", async () => {
    const a = encodeAttachment([{ a: 1, b: "x" }, { a: 2 }]);
    expect(a.settings).toEqual({ header: true, index: false, schema: ["int64", "object"], encoding: "utf-8" });
    expect(await text(a)).toBe("a,b\n1,x\n2,\n");
  });

  it("refuses a malformed ColumnTable and one with no columns", () => {
    expect(() => encodeAttachment({ rowCount: 2, columns: [{ name: "a", type: "number", values: [1, 2] }] })).toThrow(
      /malformed ColumnTable.*wrong kind of values/,
    );
    expect(() => encodeAttachment({ rowCount: 0, columns: [] })).toThrow(UnsupportedObjectError);
  });

  it("recognises plotly figures", async () => {
    const figure = {
      data: [{ x: [1, 2], y: Float64Array.of(3, Number.NaN), type: "scatter" }],
      layout: { title: "t" },
    };
    const a = encodeAttachment(figure);
    expect(a).toMatchObject({
      contentType: "application/json",
      application: "plotly",
      settings: { plotly_js_version: PLOTLY_JS_VERSION },
    });
    expect(JSON.parse(await text(a))).toEqual({
      data: [{ x: [1, 2], y: [3, null], type: "scatter" }],
      layout: { title: "t" },
    });
    // An extra key makes it plain JSON.
    expect(encodeAttachment({ data: [{}], extra: 1 }).application).toBeUndefined();
  });

  it("recognises bokeh json_item", () => {
    const item = { target_id: null, root_id: "p1", doc: { roots: { references: [] } } };
    expect(encodeAttachment(item)).toMatchObject({ application: "bokeh", settings: { bokeh_version: BOKEH_VERSION } });
    expect(encodeAttachment({ ...item, version: "3.1.0" }).settings).toEqual({ bokeh_version: "3.1.0" });
  });

  it("encodes strings as markdown and other JSON values as JSON", async () => {
    const md = encodeAttachment("# Title\n\nünïcode");
    expect(md.contentType).toBe("text/markdown");
    expect(await text(md)).toBe("# Title\n\nünïcode");
    for (const value of [42, true, null, [1, "a"], [], { a: { b: [1, null] } }]) {
      const a = encodeAttachment(value);
      expect(a.contentType).toBe("application/json");
      expect(a.application).toBeUndefined();
      expect(JSON.parse(await text(a))).toEqual(value);
    }
  });

  it("types Blobs and Files", () => {
    const png = new Blob([PNG], { type: "image/png" });
    expect(encodeAttachment(png)).toMatchObject({ contentType: "image/png", application: "image", data: png });
    expect(encodeAttachment(new Blob(["x"])).contentType).toBe("application/octet-stream");
    const csv = new File(["a\n1\n"], "data.CSV");
    expect(encodeAttachment(csv)).toMatchObject({ contentType: "text/csv", settings: { filename: "data.CSV" } });
    expect(encodeAttachment(new File([""], "notes.md")).contentType).toBe("text/markdown");
    expect(encodeAttachment(new File([""], "pic.jpeg")).application).toBe("image");
    expect(encodeAttachment(new File([""], "x", { type: "application/pdf" })).contentType).toBe("application/pdf");
    expect(encodeAttachment(new File([""], "x.bin")).contentType).toBe("application/octet-stream");
  });

  it("sniffs image bytes and refuses other bytes", () => {
    expect(encodeAttachment(PNG)).toMatchObject({ contentType: "image/png", application: "image" });
    expect(encodeAttachment(JPEG).contentType).toBe("image/jpeg");
    const svg = new TextEncoder().encode(
      '\uFEFF  <?xml version="1.0"?>\n<!-- x -->\n<svg xmlns="http://www.w3.org/2000/svg"/>',
    );
    expect(sniffImageType(svg)).toBe("image/svg+xml");
    expect(sniffImageType(new TextEncoder().encode("<svg/>"))).toBe("image/svg+xml");
    expect(sniffImageType(new TextEncoder().encode("<?xml version='1.0'?><html/>"))).toBeUndefined();
    expect(() => encodeAttachment(Uint8Array.of(1, 2, 3))).toThrow(/pass a Blob with a type/);
  });

  it("names the unsupported thing and lists what is supported", () => {
    class Thing {}
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    const cases: Array<[unknown, RegExp]> = [
      [() => 1, /cannot push a function/],
      [Symbol("s"), /cannot push a symbol/],
      [new Map(), /cannot push a Map/],
      [new Thing(), /cannot push an instance of Thing/],
      [undefined, /cannot push undefined/],
      [10n, /cannot push a bigint/],
      [Number.NaN, /NaN/],
      [loop, /circular reference at \$\.self/],
      [{ a: [new Set()] }, /a Set at \$\.a\[0\]/],
      [{ f: () => 1 }, /a function \(f\) at \$\.f/],
    ];
    for (const [value, message] of cases) {
      let error: unknown;
      try {
        encodeAttachment(value);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UnsupportedObjectError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/supported objects are: a ColumnTable/);
    }
  });

  it("validates params and description", () => {
    expect(() => encodeAttachment("x", undefined, { a: [1] } as unknown as Params)).toThrow(InvalidRequestError);
    expect(() => encodeAttachment("x", undefined, { a: Number.POSITIVE_INFINITY })).toThrow(
      /params\.a must be a finite number/,
    );
    expect(() => encodeAttachment("x", 5 as unknown as string)).toThrow(InvalidRequestError);
    expect(encodeAttachment("x", undefined, { tab: { type: "tab", title: "T" } }).params).toEqual({
      tab: { type: "tab", title: "T" },
    });
  });
});

describe("encodeAttachment bytes", () => {
  it("copies committed bytes", () => {
    const bytes = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1);
    const a = encodeAttachment(bytes);
    bytes[8] = 2;
    expect((a.data as Uint8Array)[8]).toBe(1);
    expect(encodeAttachment(bytes.buffer).contentType).toBe("image/png");
  });
});
