// `npm test`: every test project (node unit tests and browser tests in headless Chromium).
// Extra arguments go to vitest, e.g. `npm test -- --project node`.
import { spawnSync } from "node:child_process";
import { findChromium } from "./findChromium.mjs";

let chromium;
try {
  chromium = findChromium();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
const vitest = new URL("../node_modules/vitest/vitest.mjs", import.meta.url);
const result = spawnSync(process.execPath, [vitest.pathname, "run", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
process.exit(result.status ?? 1);
