// The parser as the package ships it: src/ bundled by esbuild into one ES2022 module (tsup does the same for
// dist/). Node benches time that rather than tsx's file-by-file transform, where every call across modules goes
// through an export getter: that cost ours 8-15% on the vega-datasets files, and uDSV (plain JS) nothing.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import type { parseTableSync } from "../../src/dataframe/parseTable";

/** parseTableSync of the `src/` under `root` (default: this project), bundled into the system's temp directory. */
export async function bundledParseTableSync(root = "."): Promise<typeof parseTableSync> {
  const dir = mkdtempSync(join(tmpdir(), "dstack-kit-bench-"));
  const outfile = join(dir, "parseTable.mjs");
  await build({
    entryPoints: [resolve(root, "src/dataframe/parseTable.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    outfile,
    logLevel: "warning",
  });
  try {
    const module = (await import(pathToFileURL(outfile).href)) as { parseTableSync: typeof parseTableSync };
    return module.parseTableSync;
  } finally {
    // Loaded: the file is no longer needed (memory.ts bundles once per process).
    rmSync(dir, { recursive: true, force: true });
  }
}
