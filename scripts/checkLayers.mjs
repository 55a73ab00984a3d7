// `node scripts/checkLayers.mjs` (part of `npm run lint`): the top-level folders of src/ depend one way.
//
// LAYERS lists them bottom first. A file may import (import, export … from, import(), require) its own folder and
// the folders of lower layers; folders of one layer are peers and import neither each other nor anything above.
//
// Exempt, because they are not part of what ships and may reach anywhere to set a test up:
// - tests: `*.test.ts(x)` and shared suites `*.suite.ts(x)`;
// - test helpers: any file under a folder named `testing/`, at any depth (it holds `*.child.ts` scripts too);
// - `src/index.ts` and any other file directly in src/: entries above every layer.
// Shipped code importing exempt code is an error too, so tests cannot become a back door.
//
// Prints each import that goes the wrong way and each cycle between folders, and exits 1 if there is any.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** Bottom first: model imports nothing of ours; react, node and msw sit side by side at the top. */
export const LAYERS = [["model"], ["dataframe"], ["protocol"], ["storage"], ["client"], ["react", "node", "msw"]];

const defaultSrc = join(dirname(fileURLToPath(import.meta.url)), "..", "src");

/** Test code and entries: outside the layer rule (see the header). `file` is relative to src/, with `/`. */
export function isExempt(file) {
  const parts = file.split("/");
  return parts.length === 1 || parts.slice(0, -1).includes("testing") || /\.(test|suite)\.tsx?$/.test(file);
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The file a relative specifier names, as TypeScript finds it ("./a" → "a.ts", "a.tsx" or "a/index.ts"). */
function resolveFile(target, known) {
  const candidates = [target, `${target}.ts`, `${target}.tsx`, `${target}/index.ts`, `${target}/index.tsx`];
  return candidates.find((candidate) => known.has(candidate)) ?? target;
}

/** One cycle through `edges` (folder → folders), as the list of folders with the first repeated last. */
function findCycle(edges) {
  const state = new Map(); // folder → "open" while on the path, "done" after
  const path = [];
  const visit = (folder) => {
    state.set(folder, "open");
    path.push(folder);
    for (const next of edges.get(folder)?.keys() ?? []) {
      if (state.get(next) === "open") return [...path.slice(path.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state.set(folder, "done");
    return undefined;
  };
  for (const folder of edges.keys()) {
    if (state.has(folder)) continue;
    const found = visit(folder);
    if (found) return found;
  }
  return undefined;
}

/**
 * Checks the tree under `src` (default: this repository's src/). `problems` are wrong-way imports and unknown
 * folders, one line each; `cycles` are loops between folders, each with one import per step.
 */
export function checkLayers(src = defaultSrc) {
  const layerOf = new Map(LAYERS.flatMap((folders, layer) => folders.map((folder) => [folder, layer])));
  const files = sourceFiles(src).map((path) => relative(src, path).split(sep).join("/"));
  const known = new Set(files);
  const problems = new Set();
  for (const file of files) {
    const folder = file.split("/")[0];
    if (file.includes("/") && !layerOf.has(folder))
      problems.add(`src/${folder}/ has no layer (LAYERS in scripts/checkLayers.mjs)`);
  }
  /** folder → imported folder → the first `file → import` seen, to print. */
  const edges = new Map();
  for (const file of files) {
    if (isExempt(file)) continue;
    const from = file.split("/")[0];
    const { importedFiles } = ts.preProcessFile(readFileSync(join(src, file), "utf8"), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith(".")) continue;
      const target = relative(src, resolve(src, dirname(file), fileName))
        .split(sep)
        .join("/");
      const imported = resolveFile(target, known);
      const step = `src/${file} → src/${imported}`;
      if (imported.startsWith("..")) {
        problems.add(`${step}: outside src/`);
        continue;
      }
      if (isExempt(imported)) {
        problems.add(`${step}: shipped code imports test code`);
        continue;
      }
      const to = imported.split("/")[0];
      if (to === from || !layerOf.has(to) || !layerOf.has(from)) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from).has(to)) edges.get(from).set(to, step);
      const [mine, theirs] = [layerOf.get(from), layerOf.get(to)];
      if (theirs > mine) problems.add(`${step}: ${from} must not import ${to}, a higher layer`);
      else if (theirs === mine) problems.add(`${step}: ${from} must not import ${to}, its peer`);
    }
  }
  // Every cycle also shows up above as a wrong-way import; its path says which import to cut.
  const cycles = [];
  const remaining = new Map([...edges].map(([from, tos]) => [from, new Map(tos)]));
  for (let cycle = findCycle(remaining); cycle; cycle = findCycle(remaining)) {
    const steps = cycle.slice(1).map((to, i) => `  ${cycle[i]} → ${to}: ${edges.get(cycle[i]).get(to)}`);
    cycles.push(`cycle ${cycle.join(" → ")}\n${steps.join("\n")}`);
    // Drop the cycle's first step that does not go down, so the next search finds a different loop.
    const at = cycle.slice(0, -1).findIndex((f, i) => layerOf.get(cycle[i + 1]) >= layerOf.get(f));
    remaining.get(cycle[Math.max(at, 0)]).delete(cycle[Math.max(at, 0) + 1]);
  }
  return { problems: [...problems], cycles };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { problems, cycles } = checkLayers(process.argv[2] ? resolve(process.argv[2]) : undefined);
  const order = LAYERS.map((folders) => folders.join(" | ")).join(" ← ");
  if (problems.length === 0 && cycles.length === 0) {
    console.log(`checkLayers: src/ folders depend one way (${order})`);
  } else {
    for (const line of problems) console.error(line);
    for (const cycle of cycles) console.error(cycle);
    console.error(`\ncheckLayers: layers, bottom first: ${order} (scripts/checkLayers.mjs)`);
    process.exit(1);
  }
}
