import { describe, expect, it } from "vitest";
import { AttachmentNotFoundError, BadCredentialsError, MalformedAttachmentError, ParseError } from "../../model/errors";
import { describeError } from "./errorKind";
import { downloadName, formatBytes, formatTimestamp, isoTimestamp } from "./format";

describe("formatting", () => {
  it("formats sizes", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(250 * 1024 * 1024)).toBe("250 MB");
    expect(formatBytes(-1)).toBe("unknown size");
  });

  it("formats every timestamp, even ones no Date can hold, without throwing", () => {
    expect(formatTimestamp(Date.UTC(2021, 0, 2, 12))).toMatch(/Jan 2, 2021/);
    expect(formatTimestamp(8.64e15)).toMatch(/275760/);
    expect(formatTimestamp(1e16)).toBe("unknown time (10000000000000000)");
    expect(formatTimestamp(-1e16)).toBe("unknown time (-10000000000000000)");
    expect(formatTimestamp(Number.NaN)).toBe("unknown time");
    expect(formatTimestamp(Number.POSITIVE_INFINITY)).toBe("unknown time");
    expect(formatTimestamp(Number.NEGATIVE_INFINITY)).toBe("unknown time");
    expect(isoTimestamp(0)).toBe("1970-01-01T00:00:00.000Z");
    for (const bad of [1e16, -1e16, Number.NaN, Number.POSITIVE_INFINITY]) expect(isoTimestamp(bad)).toBeUndefined();
  });

  it("names downloads from the pushed filename, else the stack and type", () => {
    expect(downloadName("/dstack/reports/sales", 2, "text/csv", {})).toBe("sales-2.csv");
    expect(downloadName("/dstack/x_y", 0, "image/svg+xml")).toBe("x_y-0.svg");
    expect(downloadName("/dstack/x_y", 0, "application/x-thing")).toBe("x_y-0.bin");
    expect(downloadName("/dstack/x_y", 0, "text/csv", { filename: "../../etc/passwd" })).toBe("passwd");
  });

  it("describes errors by their stable code", () => {
    expect(describeError(new AttachmentNotFoundError("gone")).kind).toBe("not-found");
    expect(describeError(new BadCredentialsError()).kind).toBe("forbidden");
    expect(describeError(new MalformedAttachmentError("bad")).kind).toBe("corrupt");
    expect(describeError(new ParseError("bad", 1, 2)).kind).toBe("corrupt");
    expect(describeError(Object.assign(new Error("x"), { code: "forbidden" })).kind).toBe("forbidden");
    expect(describeError("plain")).toEqual({ kind: "error", title: "Something went wrong", detail: "plain" });
  });
});
