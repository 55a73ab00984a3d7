import { describe, expect, it } from "vitest";
import { type ColumnTable, tableToRows } from "../model/columnTable";
import { InvalidRequestError, MalformedAttachmentError, ParseError } from "../model/errors";
import type { AttachmentInfo } from "../model/types";
import { decodeAttachment } from "./decode";

function info(contentType: string, extra: Partial<AttachmentInfo> = {}): AttachmentInfo {
  return { index: 0, contentType, params: {}, length: 0, ...extra };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("decodeAttachment", () => {
  it("reads CSV with the attachment's settings, whatever the application", async () => {
    const blob = new Blob(['"","a"\n"0","x"\n']);
    const settings = { header: true, index: true, schema: ["int64", "object"] };
    const table = (await decodeAttachment(
      info("text/csv", { application: "pandas/series", settings }),
      blob,
    )) as ColumnTable;
    expect(table.index).toBe("");
    expect(tableToRows(table)).toEqual([{ "": 0, a: "x" }]);
    expect(await decodeAttachment(info("text/csv; charset=utf-8", { settings }), blob, { as: "rows" })).toEqual([
      { "": 0, a: "x" },
    ]);
  });

  it("infers CSV types when settings are missing (a pushed .csv File)", async () => {
    const rows = await decodeAttachment(info("text/csv"), new Blob(["a,b\n1,true\n"]), { as: "rows" });
    expect(rows).toEqual([{ a: 1, b: true }]);
  });

  it("passes CSV parse errors through with their position", async () => {
    const error = await rejection(decodeAttachment(info("text/csv"), new Blob(['a\n"x\n'])));
    expect(error).toBeInstanceOf(ParseError);
    expect([(error as ParseError).line, (error as ParseError).column]).toEqual([2, 1]);
  });

  it("refuses malformed CSV settings", async () => {
    const error = await rejection(
      decodeAttachment(info("text/csv", { settings: { schema: "int64" } }), new Blob(["a\n1\n"])),
    );
    expect(error).toBeInstanceOf(MalformedAttachmentError);
  });

  it("parses JSON and refuses corrupt JSON", async () => {
    const figure = { data: [{ y: [1] }], layout: {} };
    expect(
      await decodeAttachment(info("application/json", { application: "plotly" }), new Blob([JSON.stringify(figure)])),
    ).toEqual(figure);
    const error = await rejection(decodeAttachment(info("application/json"), new Blob(['{"data": ['])));
    expect(error).toBeInstanceOf(MalformedAttachmentError);
    expect(error.message).toMatch(/not valid JSON/);
  });

  it("decodes text strictly as UTF-8", async () => {
    expect(await decodeAttachment(info("text/markdown"), new Blob(["\uFEFF# hé"]))).toBe("# hé");
    expect(await decodeAttachment(info("text/plain"), new Blob(["plain"]))).toBe("plain");
    expect(await decodeAttachment(info("text/html"), new Blob(["<b>x</b>"]))).toBe("<b>x</b>");
    const bad = new Blob([Uint8Array.of(0x23, 0x20, 0xc3, 0x28)]);
    const error = await rejection(decodeAttachment(info("text/markdown"), bad));
    expect(error).toBeInstanceOf(MalformedAttachmentError);
    expect(error.message).toMatch(/not valid UTF-8/);
    expect(await rejection(decodeAttachment(info("application/json"), bad))).toBeInstanceOf(MalformedAttachmentError);
    expect(await rejection(decodeAttachment(info("text/csv"), bad))).toBeInstanceOf(MalformedAttachmentError);
  });

  it("returns images and unknown types as Blobs typed with the content type", async () => {
    const image = (await decodeAttachment(
      info("image/png", { application: "image" }),
      new Blob([Uint8Array.of(1, 2)]),
    )) as Blob;
    expect(image).toBeInstanceOf(Blob);
    expect(image.type).toBe("image/png");
    expect([...new Uint8Array(await image.arrayBuffer())]).toEqual([1, 2]);
    const other = (await decodeAttachment(
      info("application/x-thing"),
      new Blob(["?"], { type: "application/x-thing" }),
    )) as Blob;
    expect(other.type).toBe("application/x-thing");
  });

  it("refuses a table shape for something that is not a table", async () => {
    const error = await rejection(decodeAttachment(info("image/png"), new Blob([]), { as: "rows" }));
    expect(error).toBeInstanceOf(InvalidRequestError);
  });
});
