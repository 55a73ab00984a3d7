import { describe, expect, it } from "vitest";
import { insertCards, newDashboard, updateCard } from "./dashboard";
import type { Dashboard } from "./types";

const empty: Dashboard = { id: "d", user: "u", title: "", description: "", private: false, cards: [] };

describe("newDashboard", () => {
  it("fills defaults, keeps only known fields and gives each dashboard its own id", () => {
    const init = { title: "Sales", extra: 1 } as Parameters<typeof newDashboard>[1];
    const a = newDashboard("u", init);
    expect(a).toEqual({ id: a.id, user: "u", title: "Sales", description: "", private: false, cards: [] });
    expect(newDashboard("u").id).not.toBe(a.id);
    expect(() => newDashboard("u", { private: "yes" as unknown as boolean })).toThrow(/private/);
  });
});

describe("dashboard card operations", () => {
  it("never mutates the dashboard given", () => {
    const withOne = insertCards(empty, 0, [{ stack: "abc" }], "u");
    expect(empty.cards).toEqual([]);
    const moved = updateCard(insertCards(withOne, 1, [{ stack: "def" }], "u"), "abc", { index: 1 }, "u");
    expect(moved.cards.map((c) => c.stack)).toEqual(["u/def", "u/abc"]);
    expect(withOne.cards.map((c) => c.stack)).toEqual(["u/abc"]);
  });

  it("rejects negative or fractional indexes and duplicate stacks within one insert", () => {
    expect(() => insertCards(empty, -1, [{ stack: "abc" }], "u")).toThrow(/index/);
    expect(() => insertCards(empty, 0.5, [{ stack: "abc" }], "u")).toThrow(/index/);
    expect(() => insertCards(empty, 0, [{ stack: "abc" }, { stack: "/u/abc" }], "u")).toThrow(/already/);
    expect(() => insertCards(empty, 0, [], "u")).toThrow(/no cards/);
  });
});
