// `npm test`: every test project (node unit tests and browser tests in headless Chromium).
// Extra arguments go to vitest, e.g. `npm test -- --project node`.
import { spawnSync } from "node:child_process";
import { findChromium } from "./findChromium.mjs";

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
const vitest = new URL("../node_modules/vitest/vitest.mjs", import.meta.url);
const result = spawnSync(process.execPath, [vitest.pathname, "run", ...args], {
  stdio: "inherit",
  env: chromium ? { ...process.env, CHROMIUM_PATH: chromium } : process.env,
});
process.exit(result.status ?? 1);
