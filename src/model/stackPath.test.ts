import { describe, expect, it } from "vitest";
import { InvalidStackNameError } from "./errors";
import { parseStackPath, splitStackPath } from "./stackPath";

describe("parseStackPath", () => {
  it("prefixes relative names with the default user and keeps nested names", () => {
    expect(parseStackPath("reports/sales-2020", "dstack")).toEqual({
      user: "dstack",
      name: "reports/sales-2020",
      path: "dstack/reports/sales-2020",
    });
  });

  it("reads a leading slash as an absolute user/name path", () => {
    expect(parseStackPath("/alice/a_b/c-d", "dstack")).toEqual({
      user: "alice",
      name: "a_b/c-d",
      path: "alice/a_b/c-d",
    });
  });

  it.each([
    ["ab", /at least 3/],
    ["x".repeat(256), /at most 255/],
    ["a b c", /may only contain/],
    ["a.b.c", /may only contain/],
    ["abc%2Fdef", /may only contain/],
    ["../etc", /may only contain/],
    ["a//b", /'\/\/'/],
    ["a--b", /'--'/],
    ["-abc", /start or end/],
    ["abc-", /start or end/],
    ["abc/", /start or end/],
    ["/alice", /'\/user\/name'/],
    ["/bad user/abc", /user name may only contain/],
    ["", /empty/],
  ])("rejects %j naming the rule", (name, rule) => {
    let error: unknown;
    try {
      parseStackPath(name, "dstack");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidStackNameError);
    expect((error as Error).message).toMatch(rule);
    expect((error as InvalidStackNameError).rule).toMatch(rule);
  });

  it("accepts names of exactly 3 and 255 characters", () => {
    expect(parseStackPath("abc", "u").name).toBe("abc");
    expect(parseStackPath("y".repeat(255), "u").name).toHaveLength(255);
  });

  it("splits full paths as the stores and the wire use them", () => {
    expect(splitStackPath("bob/x/y/z")).toEqual({ user: "bob", name: "x/y/z", path: "bob/x/y/z" });
    expect(() => splitStackPath("nouser")).toThrow(InvalidStackNameError);
  });
});
