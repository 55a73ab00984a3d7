import { readFile, writeFile } from "node:fs/promises";
import { defineConfig } from "tsup";

const USE_CLIENT = '"use client";';
const clientEntries = ["dist/react/index.js", "dist/react/index.cjs"];

// Bundling strips module directives, so the React entry gets its 'use client' back after the build (React Server
// Components need it first in the file); its source maps shift by the one added line.
async function restoreUseClient(): Promise<void> {
  for (const file of clientEntries) {
    const code = await readFile(file, "utf8");
    if (code.startsWith(USE_CLIENT)) continue;
    await writeFile(file, `${USE_CLIENT}\n${code}`);
    const map = JSON.parse(await readFile(`${file}.map`, "utf8")) as { mappings: string };
    map.mappings = `;${map.mappings}`;
    await writeFile(`${file}.map`, JSON.stringify(map));
  }
}

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "react/index": "src/react/index.ts",
    // The parser's worker is its own file next to dataframe/index.js, which starts it with new URL("./worker.js").
    "dataframe/index": "src/dataframe/index.ts",
    "dataframe/worker": "src/dataframe/worker.ts",
    // The protocol handler without Node's default store: runs wherever Request and Response do.
    "server/index": "src/protocol/index.ts",
    "msw/index": "src/msw/index.ts",
    // Node only: the file store, the server and the `dstack` bin (cli.ts starts with its shebang, which esbuild keeps).
    "node/index": "src/node/index.ts",
    "node/cli": "src/node/cli.ts",
    // The PostgreSQL store and registry (needs the optional peer pg).
    "postgres/index": "src/node/postgres/index.ts",
  },
  format: ["esm", "cjs"],
  // `@internal` members (ParamSpace's match index, helpers other modules share) stay out of the public types.
  dts: { compilerOptions: { stripInternal: true } },
  sourcemap: true,
  clean: true,
  target: "es2022",
  // Neutral, not node: the bundled libraries resolve to their default (browser-safe) files. With the node condition,
  // react-markdown's vfile would import node:path, node:process and node:url into a chunk browsers load. The kit's
  // own Node code imports node: built-ins, which stay imports (external below).
  platform: "neutral",
  // ...and their browser files where they differ: only the markdown libraries do (decode-named-character-reference
  // decodes entities with the DOM instead of shipping a 37 kB table). That chunk is only ever imported by the
  // client-side markdown loader, never during server rendering.
  esbuildOptions(options) {
    options.conditions = ["browser"];
  },
  // The CommonJS build gets import.meta.url from __filename (the table parser's worker URL).
  shims: true,
  // Splitting in both formats: import() of a bundled module becomes a chunk of its own (require()d on first use in
  // the CJS build), which is how the markdown libraries stay out of the React entry.
  splitting: true,
  // esbuild's tree shaking only: tsup's extra Rollup pass would keep import() of a chunk as import() in the
  // CommonJS build (Node then gives the chunk's module.exports as its default) and warns about directives.
  treeshake: false,
  // What stays an import: the dependencies (core and Node: idb, hono, yaml), and the peers, which the host
  // installs when it uses the entry that needs them: React and react-query (dstack-kit/react), plotly.js-basic-dist
  // (imported on the first plot; the `plotly` prop replaces it), danfojs (imported on the first DataFrame), msw, pg
  // (dstack-kit/postgres, and the server with a database).
  external: [
    /^node:/,
    "react",
    "react-dom",
    "@tanstack/react-query",
    "danfojs",
    "plotly.js-basic-dist",
    "msw",
    "pg",
    "idb",
    "hono",
    "yaml",
  ],
  // Bundled, so installing the kit never installs them (nor, through their own React peers, React for a Node
  // user): comlink, so the worker file needs no bare-specifier resolution wherever it is loaded from; the table
  // virtualizer; and the markdown libraries, which stay in chunks of their own, imported on the first markdown.
  noExternal: ["comlink", "@tanstack/react-virtual", "@tanstack/virtual-core", "react-markdown", "remark-gfm"],
  onSuccess: restoreUseClient,
});
