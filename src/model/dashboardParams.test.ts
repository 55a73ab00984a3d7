import { describe, expect, it } from "vitest";
import { cardAttachment, cardIsShown, dashboardSelection, planDashboardParams } from "./dashboardParams";
import { buildParamSpace, TAB_KEY } from "./paramSpace";
import type { Params } from "./params";

const space = (...params: Params[]) => buildParamSpace(params.map((p) => ({ params: p })));

describe("planDashboardParams", () => {
  const sales = space({ Region: "EU", Year: 2020 }, { Region: "US", Year: 2020 }, { Region: "EU", Year: 2021 });
  const weather = space({ Region: "EU", Kind: "rain" }, { Region: "Asia", Kind: "sun" });
  const plan = planDashboardParams([sales, weather, undefined]);

  it("shares the params two cards have and leaves the others on their card", () => {
    expect([...plan.shared]).toEqual(["Region"]);
    expect(plan.own.map((keys) => [...keys])).toEqual([["Year"], ["Kind"], []]);
  });

  it("merges the shared options as a union, in order of first appearance", () => {
    const region = plan.merged.controls.find((c) => c.key === "Region");
    expect(region?.options.map((o) => o.value)).toEqual(["EU", "US", "Asia"]);
  });

  it("filters each card on its own params only, and a card without a value shows nothing", () => {
    const value = dashboardSelection(plan, { Region: "US" });
    expect(value).toEqual({ Region: "US", Year: 2020, Kind: "rain" });
    expect(cardAttachment(sales, value)).toBe(1);
    // weather has no US attachment: that card's own "no attachment" state, not an error for the page
    expect(cardAttachment(weather, value)).toBe(-1);
    expect(cardAttachment(weather, { ...value, Region: "Asia", Kind: "sun" })).toBe(1);
  });

  it("keeps a chosen value for a key no loaded card has yet, and drops unknown values of known keys", () => {
    expect(dashboardSelection(plan, { Later: 3, Region: "Mars" })).toEqual({
      Later: 3,
      Region: "EU",
      Year: 2020,
      Kind: "rain",
    });
  });
});

describe("cardIsShown", () => {
  const plots = space({ Plot: { type: "tab" }, N: 1 }, { Plot: { type: "tab" }, N: 2 });
  const tables = space({ Table: { type: "tab" }, N: 1 });
  const both = space({ Plot: { type: "tab" } }, { Table: { type: "tab" } });
  const plain = space({ N: 1 }, { N: 2 });

  it("lets a shared tab param choose the cards that have the chosen tab", () => {
    const plan = planDashboardParams([plots, tables, both, plain]);
    expect(plan.shared.has(TAB_KEY)).toBe(true);
    const onTable = dashboardSelection(plan, { [TAB_KEY]: "Table" });
    expect([plots, tables, both, plain].map((s) => cardIsShown(s, plan, onTable))).toEqual([false, true, true, true]);
    const onPlot = dashboardSelection(plan, { [TAB_KEY]: "Plot" });
    expect([plots, tables, both, plain].map((s) => cardIsShown(s, plan, onPlot))).toEqual([true, false, true, true]);
  });

  it("leaves a tab param that only one card has to that card", () => {
    const plan = planDashboardParams([both, plain]);
    expect(plan.shared.has(TAB_KEY)).toBe(false);
    expect([...(plan.own[0] ?? [])]).toEqual([TAB_KEY]);
    expect(cardIsShown(both, plan, { [TAB_KEY]: "Nope" })).toBe(true);
  });
});
