import { readFile, writeFile } from "node:fs/promises";
import { defineConfig } from "tsup";

// Bundling strips module directives, so the React entry gets its 'use client' back after the build (React Server
// Components need it first in the file); its source maps shift by the one added line.
async function restoreUseClient(): Promise<void> {
  for (const file of ["dist/react/index.js", "dist/react/index.cjs"]) {
    const code = await readFile(file, "utf8");
    if (code.startsWith('"use client";')) continue;
    await writeFile(file, `"use client";\n${code}`);
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
    "msw/index": "src/msw/index.ts",
    // Node only: the file store, the server and the `dstack` bin (cli.ts starts with its shebang, which esbuild keeps).
    "node/index": "src/node/index.ts",
    "node/cli": "src/node/cli.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  splitting: true,
  treeshake: true,
  // Peers and heavy optional libraries stay out of the bundle; danfojs is only ever imported lazily. So are
  // react-markdown and remark-gfm: import() of the packages themselves (kept as import() in the CJS build too), so
  // a host's bundler splits them off the kit's entry.
  external: [
    "react",
    "react-dom",
    "@tanstack/react-query",
    "danfojs",
    "idb",
    "plotly.js-basic-dist",
    "react-markdown",
    "remark-gfm",
    "@tanstack/react-virtual",
    // msw is the host's (a dev dependency of theirs); node: built-ins are external on tsup's node platform.
    "msw",
  ],
  // comlink is bundled so the worker file needs no bare-specifier resolution wherever it is loaded from.
  noExternal: ["comlink"],
  onSuccess: restoreUseClient,
});
