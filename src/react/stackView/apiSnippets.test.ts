import { describe, expect, it } from "vitest";
import { pythonPull, typescriptPull } from "./apiSnippets";

describe("pull snippets", () => {
  it("writes the TypeScript call with typed params and the frame when not the head", () => {
    expect(typescriptPull({ path: "dstack/line_plot", params: { Coefficient: 1.5, "Log scale": true } })).toBe(
      [
        'import { pull } from "dstack-kit";',
        "",
        "// store: where this stack lives, e.g. createHttpStore({ server, user, token })",
        'const data = await pull("/dstack/line_plot", { Coefficient: 1.5, "Log scale": true }, { store });',
      ].join("\n"),
    );
    expect(typescriptPull({ path: "a/b_c", params: {}, frameId: "f1" })).toContain(
      'pull("/a/b_c", undefined, { store, frame: "f1" })',
    );
    expect(typescriptPull({ path: "a/tabs", params: { Plot: { type: "tab", title: "The plot" } } })).toContain(
      '{ Plot: { type: "tab", title: "The plot" } }',
    );
  });

  it("writes the dstack-py call with Python literals", () => {
    expect(pythonPull({ path: "dstack/grid", params: { Region: "South", Log: false, Year: 2020 } })).toBe(
      'import dstack as ds\n\ndata = ds.pull("/dstack/grid", params={"Region": "South", "Log": False, "Year": 2020})',
    );
    expect(pythonPull({ path: "dstack/one", params: {} })).toContain('ds.pull("/dstack/one")');
    expect(pythonPull({ path: "dstack/t", params: { T: { type: "tab" } }, frameId: "x" })).toContain(
      '# dstack-py pulls the head revision; this view shows an older one.\ndata = ds.pull("/dstack/t", params={"T": {"type": "tab"}})',
    );
  });
});
