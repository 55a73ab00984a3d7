// `npm test`: every test project (node unit tests and browser tests in headless Chromium), with a throwaway
// PostgreSQL cluster for the node tests.
// Extra arguments go to vitest, e.g. `npm test -- --project node`.
import { spawnSync } from "node:child_process";
import { findChromium } from "./findChromium.mjs";
import { startPostgres } from "./postgres.mjs";

// Only the node and jsdom projects run without a browser: `npm test -- --project node` needs no Chromium.
const args = process.argv.slice(2);
const projects = args.flatMap((arg, i) =>
  arg === "--project" ? [args[i + 1]] : arg.startsWith("--project=") ? [arg.slice("--project=".length)] : [],
);
const needsBrowser = projects.length === 0 || projects.some((name) => !["node", "jsdom"].includes(name));
let chromium = process.env.CHROMIUM_PATH;
if (needsBrowser) {
  try {
    chromium = findChromium();
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
// The node project's PostgreSQL tests share one throwaway cluster for the run (each test file makes its own
// databases in it), stopped when the run ends.
const needsPostgres = projects.length === 0 || projects.includes("node");
let postgres;
if (needsPostgres && !process.env.DSTACK_TEST_POSTGRES_URL) {
  try {
    postgres = await startPostgres();
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
const env = { ...process.env };
if (chromium) env.CHROMIUM_PATH = chromium;
if (postgres) env.DSTACK_TEST_POSTGRES_URL = postgres.url;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    postgres?.stop();
    process.exit(130);
  });
}
const vitest = new URL("../node_modules/vitest/vitest.mjs", import.meta.url);
const result = spawnSync(process.execPath, [vitest.pathname, "run", ...args], { stdio: "inherit", env });
postgres?.stop();
process.exit(result.status ?? 1);
