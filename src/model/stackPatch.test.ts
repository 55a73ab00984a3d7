import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "./errors";
import { checkStackPatch } from "./stackPatch";
import type { StackPatch } from "./types";

describe("checkStackPatch", () => {
  it("keeps only head, private and readme", () => {
    const patch = { head: "f1", private: true, readme: "", extra: 1 } as StackPatch;
    expect(checkStackPatch(patch)).toEqual({ head: "f1", private: true, readme: "" });
    expect(checkStackPatch({})).toEqual({});
  });

  it("refuses fields of the wrong type, null included, and a patch that is not an object", () => {
    for (const bad of [{ head: 1 }, { private: "yes" }, { private: null }, { readme: 5 }, null, "x", []]) {
      expect(() => checkStackPatch(bad as unknown as StackPatch), JSON.stringify(bad)).toThrow(InvalidRequestError);
    }
  });
});
