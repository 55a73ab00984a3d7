import { describe, expect, it } from "vitest";
import {
  availableOptions,
  buildParamSpace,
  completeSelection,
  findExactAttachment,
  matchAttachment,
  mergeParamSpaces,
  selectionFor,
  TAB_KEY,
} from "./paramSpace";
import type { Params } from "./params";

const of = (...params: Params[]) => params.map((p) => ({ params: p }));

describe("buildParamSpace", () => {
  it("makes a slider whose stops are exactly the pushed numbers, ascending", () => {
    const space = buildParamSpace(
      of({ Coefficient: 1.5 }, { Coefficient: 0.5 }, { Coefficient: 2 }, { Coefficient: 1 }),
    );
    expect(space.controls).toHaveLength(1);
    expect(space.controls[0]).toMatchObject({ key: "Coefficient", kind: "slider", searchable: false });
    expect(space.controls[0]?.options.map((o) => o.value)).toEqual([0.5, 1, 1.5, 2]);
    expect(space.defaults).toEqual({ Coefficient: 1.5 });
  });

  it("chooses select, searchable select, checkbox, tabs and mixed selects by value types", () => {
    const regions = Array.from({ length: 11 }, (_, i) => `region ${i}`);
    const space = buildParamSpace([
      ...regions.map((r, i) => ({
        params: { Region: r, Flag: i % 2 === 0, Mixed: i === 0 ? 1 : "one", Small: i % 2 ? "a" : "b" },
      })),
      { params: { Overview: { type: "tab" as const } } },
      { params: { Details: { type: "tab" as const, title: "All details" } } },
    ]);
    const byKey = Object.fromEntries(space.controls.map((c) => [c.key, c]));
    expect(space.controls[0]?.kind).toBe("tabs");
    expect(byKey[TAB_KEY]?.options).toEqual([
      { value: "Overview", label: "Overview" },
      { value: "Details", label: "All details" },
    ]);
    expect(byKey.Region).toMatchObject({ kind: "select", searchable: true });
    expect(byKey.Small).toMatchObject({ kind: "select", searchable: false });
    expect(byKey.Flag).toMatchObject({ kind: "checkbox" });
    expect(byKey.Mixed).toMatchObject({ kind: "select" });
    expect(byKey.Mixed?.options.map((o) => o.label)).toEqual(["1", "one"]);
  });

  it("defaults to the first attachment's values, filling keys it lacks with first options", () => {
    const space = buildParamSpace(of({ a: "x" }, { a: "y", b: 3 }));
    expect(space.defaults).toEqual({ a: "x", b: 3 });
  });
});

describe("matchAttachment", () => {
  const grid: Params[] = [];
  for (const model of ["linear", "tree"])
    for (const c of [0.5, 1, 1.5, 2]) for (const log of [true, false]) grid.push({ model, c, log });
  const space = buildParamSpace(of(...grid));

  it("finds the first attachment whose params equal the selection", () => {
    expect(matchAttachment(space, { model: "tree", c: 1.5, log: false })).toBe(
      grid.findIndex((p) => p.model === "tree" && p.c === 1.5 && p.log === false),
    );
    expect(matchAttachment(space, { model: "tree", c: 1.5, log: "false" })).toBe(-1);
    expect(matchAttachment(space, { model: "tree", c: 3, log: true })).toBe(-1);
    expect(matchAttachment(space, { model: "tree", c: 1 })).toBe(-1);
  });

  it("returns the first of duplicates", () => {
    const dup = buildParamSpace(of({ a: 1 }, { a: 2 }, { a: 1 }));
    expect(matchAttachment(dup, { a: 1 })).toBe(0);
  });

  it("matches attachments whose key sets differ, ignoring values they do not have", () => {
    const mixed = buildParamSpace(of({ a: 1 }, { a: 1, b: "x" }, { b: "y" }));
    expect(matchAttachment(mixed, { a: 1, b: "x" })).toBe(0);
    expect(matchAttachment(mixed, { a: 2, b: "x" })).toBe(-1);
    expect(matchAttachment(mixed, { a: 2, b: "y" })).toBe(2);
    expect(findExactAttachment(mixed, { a: 1, b: "x" })).toBe(1);
    expect(findExactAttachment(mixed, { a: 1 })).toBe(0);
    expect(findExactAttachment(mixed, {})).toBe(-1);
  });

  it("accepts tab params in either form", () => {
    const tabs = buildParamSpace(of({ One: { type: "tab" }, x: 1 }, { Two: { type: "tab" }, x: 1 }));
    expect(matchAttachment(tabs, { [TAB_KEY]: "Two", x: 1 })).toBe(1);
    expect(findExactAttachment(tabs, { Two: { type: "tab" }, x: 1 })).toBe(1);
    expect(findExactAttachment(tabs, { Two: { type: "tab" } })).toBe(-1);
  });

  it("indexes 10,000 attachments and matches without scanning", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ params: { i, even: i % 2 === 0 } }));
    const big = buildParamSpace(many);
    expect(matchAttachment(big, { i: 9_999, even: false })).toBe(9_999);
    expect(big.keySets).toHaveLength(1);
    expect(big.index.size).toBe(10_000);
  });
});

describe("availableOptions", () => {
  it("disables options that match nothing given the other current values", () => {
    const space = buildParamSpace(of({ model: "linear", c: 1 }, { model: "linear", c: 2 }, { model: "tree", c: 2 }));
    const cKey = space.controls.find((c) => c.key === "c");
    expect(cKey?.options.map((o) => o.value)).toEqual([1, 2]);
    expect(availableOptions(space, { model: "tree", c: 2 })).toEqual({ model: [true, true], c: [false, true] });
    expect(availableOptions(space, { model: "linear", c: 1 })).toEqual({ model: [true, false], c: [true, true] });
  });
});

describe("completeSelection", () => {
  it("drops unknown keys and values and fills in defaults", () => {
    const space = buildParamSpace(of({ a: "x", b: 1 }, { a: "y", b: 2 }));
    expect(completeSelection(space, { a: "y", b: 7, z: 1 })).toEqual({ a: "y", b: 1 });
    expect(completeSelection(space, undefined)).toEqual({ a: "x", b: 1 });
  });
});

describe("mergeParamSpaces", () => {
  const sales = buildParamSpace(of({ Region: "EU", Year: 2019 }, { Region: "US", Year: 2020 }));
  const costs = buildParamSpace(of({ Region: "EU", Year: 2021 }, { Region: "APAC", Year: 2019 }));
  const notes = buildParamSpace(of({ Draft: true }, { Draft: false }));
  const merged = mergeParamSpaces([sales, costs, notes]);

  it("merges same-named params into one control: union of options, widened slider", () => {
    expect(merged.controls.map((c) => c.key)).toEqual(["Region", "Year", "Draft"]);
    expect(merged.controls[0]?.options.map((o) => o.value)).toEqual(["EU", "US", "APAC"]);
    expect(merged.controls[1]).toMatchObject({ kind: "slider" });
    expect(merged.controls[1]?.options.map((o) => o.value)).toEqual([2019, 2020, 2021]);
    expect(merged.defaults).toEqual({ Region: "EU", Year: 2019, Draft: true });
  });

  it("enables an option when any card can show it, and lets each card filter on its own keys", () => {
    const values = { Region: "EU", Year: 2021, Draft: false };
    const available = availableOptions(merged, values);
    expect(available.Region).toEqual([true, false, false]);
    expect(available.Year).toEqual([true, false, true]);
    expect(matchAttachment(costs, selectionFor(costs, values))).toBe(0);
    expect(matchAttachment(sales, selectionFor(sales, values))).toBe(-1);
    expect(matchAttachment(notes, selectionFor(notes, values))).toBe(1);
    expect(selectionFor(notes, values)).toEqual({ Draft: false });
  });

  it("turns a key whose kinds differ across cards into a select", () => {
    const a = buildParamSpace(of({ k: 1 }, { k: 2 }));
    const b = buildParamSpace(of({ k: "one" }));
    const m = mergeParamSpaces([a, b]);
    expect(m.controls[0]).toMatchObject({ kind: "select" });
    expect(m.controls[0]?.options.map((o) => o.label)).toEqual(["1", "2", "one"]);
  });
});
