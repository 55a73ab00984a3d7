import { describe, expect, it } from "vitest";
import { buildParamSpace, TAB_KEY } from "../../model/paramSpace";
import { readUrlSelection, sameSelection, urlKeyOf, writeUrlSelection } from "./urlSelection";

const space = buildParamSpace([
  { params: { Coefficient: 0.5, Model: "1", Log: true, Plot: { type: "tab" } } },
  { params: { Coefficient: 1.5, Model: "2", Log: false, Data: { type: "tab" } } },
]);

describe("URL selection", () => {
  it("reads typed values the space knows and ignores the rest", () => {
    expect(readUrlSelection("?Coefficient=1.5&Model=2&Log=false&tab=Data&other=x", space)).toEqual({
      Coefficient: 1.5,
      Model: "2",
      Log: false,
      [TAB_KEY]: "Data",
    });
    expect(readUrlSelection("?Coefficient=7&Log=maybe", space)).toEqual({});
    expect(readUrlSelection("?s1.Model=2&Model=1", space, "s1.")).toEqual({ Model: "2" });
  });

  it("writes our keys and keeps the host's", () => {
    const search = writeUrlSelection("?page=3&Model=1", space, { Coefficient: 0.5, Model: "2", [TAB_KEY]: "Plot" });
    expect(search).toBe("?page=3&Model=2&tab=Plot&Coefficient=0.5");
    expect(readUrlSelection(search, space)).toEqual({ Coefficient: 0.5, Model: "2", [TAB_KEY]: "Plot" });
  });

  it("keeps the tab under $tab when a param is called tab", () => {
    const clash = buildParamSpace([{ params: { tab: "x", A: { type: "tab" } } }]);
    expect(urlKeyOf(clash, TAB_KEY, "")).toBe(TAB_KEY);
    expect(urlKeyOf(space, TAB_KEY, "p.")).toBe("p.tab");
  });

  it("compares selections by typed value", () => {
    expect(sameSelection({ a: 1, b: "x" }, { b: "x", a: 1 })).toBe(true);
    expect(sameSelection({ a: 1 }, { a: "1" })).toBe(false);
    expect(sameSelection({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });
});
