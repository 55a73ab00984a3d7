// scripts/checkLayers.mjs (run by `npm run lint`) on small trees of its own: it must catch what it is there for.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkLayers, isExempt } from "../scripts/checkLayers.mjs";

const trees: string[] = [];
afterEach(() => {
  for (const tree of trees.splice(0)) rmSync(tree, { recursive: true, force: true });
});

/** A src/ folder holding `files` (path → source). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "check-layers-"));
  trees.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("checkLayers", () => {
  it("passes imports that go down, and anything tests and testing/ helpers import", () => {
    const src = tree({
      "model/types.ts": "export type A = 1;\n",
      "storage/store.ts": 'import type { A } from "../model/types";\nexport const a: A = 1;\n',
      "client/pull.ts": 'export { a } from "../storage/store";\n',
      "model/types.test.ts": 'import { a } from "../client/pull";\n',
      "model/testing/fixtures.ts": 'import { a } from "../../client/pull";\n',
      "index.ts": 'export * from "./client/pull";\n',
    });
    expect(checkLayers(src)).toEqual({ problems: [], cycles: [] });
  });

  it("reports a cycle with one import per step, and the import that goes up", () => {
    const src = tree({
      "protocol/handler.ts": 'import type { S } from "../storage/store";\nexport type H = S;\n',
      "storage/store.ts": 'export type S = 1;\nexport { encode } from "../protocol/base64";\n',
      "protocol/base64.ts": "export const encode = 1;\n",
    });
    const { problems, cycles } = checkLayers(src);
    expect(problems).toEqual([
      "src/protocol/handler.ts → src/storage/store.ts: protocol must not import storage, a higher layer",
    ]);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toContain("src/protocol/handler.ts → src/storage/store.ts");
    expect(cycles[0]).toContain("src/storage/store.ts → src/protocol/base64.ts");
  });

  it("sees dynamic imports and require, refuses peers, test code in shipped files and unknown folders", () => {
    const src = tree({
      "react/lazy.ts": 'export const load = () => import("../node/server");\n',
      "node/server.ts": 'const x = require("../msw/handlers");\nexport default x;\n',
      "msw/handlers.ts": "export {};\n",
      "client/pull.ts": 'import "./pull.test";\n',
      "client/pull.test.ts": "export {};\n",
      "extra/thing.ts": "export {};\n",
    });
    expect(checkLayers(src).problems.sort()).toEqual([
      "src/client/pull.ts → src/client/pull.test.ts: shipped code imports test code",
      "src/extra/ has no layer (LAYERS in scripts/checkLayers.mjs)",
      "src/node/server.ts → src/msw/handlers.ts: node must not import msw, its peer",
      "src/react/lazy.ts → src/node/server.ts: react must not import node, its peer",
    ]);
  });

  it("exempts tests, suites, testing/ folders at any depth and files directly in src/", () => {
    expect(
      ["a/b.test.ts", "a/b.test.tsx", "a/b.suite.ts", "a/testing/c.ts", "a/b/testing/c.child.ts", "index.ts"].every(
        isExempt,
      ),
    ).toBe(true);
    expect(["a/b.ts", "a/testing.ts", "a/b/contesting/c.ts"].some(isExempt)).toBe(false);
  });
});
