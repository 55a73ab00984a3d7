// `dstack push` arguments: which is the stack, which are files, whose params are whose, and typed values.
import { describe, expect, it } from "vitest";
import { parseParam, parsePushArgs, UsageError } from "./pushArgs";

const files = new Set(["a.json", "b.json", "c.json", "sales.csv", "Makefile", "data", "results"]);
const isFile = (path: string) => files.has(path.replace(/^\.\//, ""));
const plan = (...args: string[]) => parsePushArgs(args, isFile);

describe("parseParam", () => {
  it("keeps JSON types: numbers, booleans, quoted text; other text as written", () => {
    expect(parseParam("Coefficient=0.5")).toEqual(["Coefficient", 0.5]);
    expect(parseParam("n=-3")).toEqual(["n", -3]);
    expect(parseParam("x=1e3")).toEqual(["x", 1000]);
    expect(parseParam("x=.5")).toEqual(["x", 0.5]);
    expect(parseParam("flag=true")).toEqual(["flag", true]);
    expect(parseParam("flag=false")).toEqual(["flag", false]);
    expect(parseParam('year="2020"')).toEqual(["year", "2020"]);
    expect(parseParam("region=EU")).toEqual(["region", "EU"]);
    expect(parseParam("eq=a=b")).toEqual(["eq", "a=b"]);
    expect(parseParam("empty=")).toEqual(["empty", ""]);
    expect(parseParam("True=True")).toEqual(["True", "True"]);
  });

  it("keeps leading zeros as text (a number would drop them) and refuses what JSON cannot hold", () => {
    expect(parseParam("zip=02134")).toEqual(["zip", "02134"]);
    expect(parseParam("id=007")).toEqual(["id", "007"]);
    expect(parseParam("zero=0")).toEqual(["zero", 0]);
    expect(() => parseParam("big=1e400")).toThrow(/out of range/);
    expect(() => parseParam('bad="a\\q"')).toThrow(/not a valid JSON string/);
    expect(() => parseParam("=1")).toThrow(UsageError);
    expect(() => parseParam("novalue")).toThrow(/KEY=VALUE/);
    expect(() => parseParam("__proto__=1")).toThrow(/__proto__/);
  });
});

describe("push STACK FILE ... (one frame, several attachments)", () => {
  it("gives each file the flags after it", () => {
    expect(
      plan(
        "line_plot",
        "a.json",
        "--param",
        "Coefficient=0.5",
        "--description",
        "low",
        "b.json",
        "--param",
        "Coefficient=1",
        "c.json",
        "--param",
        "Coefficient=1.5",
        "--message",
        "three",
      ),
    ).toEqual({
      stack: "line_plot",
      message: "three",
      private: false,
      files: [
        { file: "a.json", path: "a.json", params: { Coefficient: 0.5 }, description: "low" },
        { file: "b.json", path: "b.json", params: { Coefficient: 1 } },
        { file: "c.json", path: "c.json", params: { Coefficient: 1.5 } },
      ],
    });
  });

  it("applies flags before the first file to every file; a file's own value wins", () => {
    const { files: out } = plan(
      "--param",
      "Model=linear",
      "line_plot",
      "--description",
      "fit",
      "--param",
      "Coefficient=0",
      "a.json",
      "--param",
      "Coefficient=1",
      "b.json",
      "--param",
      "Coefficient=2",
      "--description",
      "steep",
    );
    expect(out.map((f) => [f.params, f.description])).toEqual([
      [{ Model: "linear", Coefficient: 1 }, "fit"],
      [{ Model: "linear", Coefficient: 2 }, "steep"],
    ]);
  });

  it("refuses files whose params cannot be told apart, and a flag twice for one file", () => {
    expect(() => plan("line_plot", "a.json", "b.json")).toThrow(/a\.json and b\.json have the same params \{\}/);
    expect(() => plan("line_plot", "a.json", "--param", "C=1", "b.json", "--param", "C=1")).toThrow(
      /same params \{C: 1\}/,
    );
    expect(() => plan("line_plot", "a.json", "--param", "C=1", "--param", "C=2")).toThrow(
      /--param C is given twice for a\.json/,
    );
    expect(() => plan("line_plot", "a.json", "--description", "x", "--description", "y")).toThrow(
      /--description is given twice for a\.json/,
    );
  });
});

describe("telling the two forms apart", () => {
  it("keeps push FILE STACK: every flag is the one file's, wherever it is", () => {
    expect(plan("sales.csv", "reports/sales", "--param", "region=EU", "--description", "Q1")).toEqual({
      stack: "reports/sales",
      private: false,
      files: [{ file: "sales.csv", path: "sales.csv", params: { region: "EU" }, description: "Q1" }],
    });
    expect(plan("--param", "year=2020", "sales.csv", "reports/sales", "--param", "region=EU").files[0]?.params).toEqual(
      { year: 2020, region: "EU" },
    );
    expect(() => plan("--param", "a=1", "sales.csv", "reports/sales", "--param", "a=2")).toThrow(/given twice/);
  });

  it("reads a stack name (no dots) as the stack; when both could be, the existing file is the file", () => {
    expect(plan("line_plot", "a.json").stack).toBe("line_plot");
    expect(plan("a.json", "line_plot").stack).toBe("line_plot");
    expect(plan("Makefile", "builds").stack).toBe("builds");
    expect(plan("builds", "Makefile").stack).toBe("builds");
    expect(() => plan("data", "results")).toThrow(/both are files.*\.\/data/);
    expect(plan("./data", "results").stack).toBe("results");
    expect(() => plan("plots", "nothing")).toThrow(/neither is a file/);
  });

  it("names the rule a would-be stack breaks, and needs a stack and a file", () => {
    // The first is a file: the second was meant as the stack. Otherwise the first was.
    expect(() => plan("a.json", "b.json")).toThrow(/invalid stack name "b\.json"/);
    expect(() => plan("x.json", "y.json")).toThrow(/invalid stack name "x\.json"/);
    expect(() => plan("a.json", "b.json", "c.json")).toThrow(/^the stack comes first .*: invalid stack name "a\.json"/);
    expect(() => plan("x.json", "y.json")).toThrow(UsageError);
    expect(() => plan("sales.csv", "ab")).toThrow(/invalid stack name "ab": a stack name is at least 3/);
    expect(() => plan()).toThrow(/needs a STACK and at least one FILE/);
    expect(() => plan("line_plot")).toThrow(/no file to push/);
    expect(() => plan("line_plot", "a.json", "--frobnicate")).toThrow(UsageError);
  });

  it("with --manifest, takes only an optional STACK", () => {
    expect(plan("--manifest", "frame.yaml", "--private")).toEqual({
      manifest: "frame.yaml",
      private: true,
      files: [],
    });
    expect(plan("line_plot", "--manifest", "frame.yaml").stack).toBe("line_plot");
    expect(() => plan("line_plot", "a.json", "--manifest", "frame.yaml")).toThrow(/only the STACK/);
    expect(() => plan("--manifest", "frame.yaml", "--param", "a=1")).toThrow(/go in the manifest/);
  });
});
