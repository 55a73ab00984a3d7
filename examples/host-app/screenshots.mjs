// Screenshots of the app for the README (docs/screenshots), in Debian's Chromium:
//   npm start   (in another terminal), then   node examples/host-app/screenshots.mjs [http://localhost:5173] [outDir]
// A fresh profile each time, so the demo data is what a newcomer sees.
import { mkdirSync } from "node:fs";
import { chromium } from "playwright";
import { CHROMIUM_ARGS, findChromium } from "../../scripts/findChromium.mjs";

const base = (process.argv[2] ?? "http://localhost:5173").replace(/\/$/, "");
const out = process.argv[3] ?? new URL("../../docs/screenshots/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true });

async function shoot(name, path, { width = 1440, height = 900, scheme = "light", fullPage = false, ready, act } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") console.log(`${name}: ${m.type()}: ${m.text()}`);
  });
  await page.goto(`${base}/`);
  await page.getByRole("link", { name: "line_plot", exact: true }).waitFor({ timeout: 60_000 });
  if (path !== "/") {
    await page.evaluate((to) => {
      history.pushState(null, "", to);
      dispatchEvent(new PopStateEvent("popstate"));
    }, path);
  }
  if (ready) await ready(page);
  if (act) await act(page);
  await page.waitForTimeout(800); // plotly's transitions
  await page.screenshot({ path: `${out}/${name}.png`, fullPage });
  await context.close();
}

const plotDrawn =
  (count = 1) =>
  async (page) => {
    await page.waitForFunction((n) => document.querySelectorAll(".gtitle").length >= n, count, { timeout: 60_000 });
  };

await shoot("stacks", "/");
await shoot("stack", "/dstack/weather/seattle", {
  ready: plotDrawn(),
  act: async (page) => {
    await page.getByRole("slider", { name: "Year" }).focus();
    await page.keyboard.press("ArrowRight");
    await page.getByLabel("Weather", { exact: true }).selectOption("rain");
  },
});
await shoot("dashboard", "/dashboards", {
  height: 1000,
  act: async (page) => {
    await page.getByRole("link", { name: "Seattle weather" }).click();
    await plotDrawn(2)(page);
  },
});
await shoot("stack-dark", "/dstack/line_plot", { scheme: "dark", ready: plotDrawn() });
await shoot("stacks-320", "/", { width: 320, height: 720, fullPage: false });
await shoot("stack-320-dark", "/dstack/line_plot", { width: 320, height: 900, scheme: "dark", ready: plotDrawn() });
await browser.close();
console.log(`screenshots in ${out}`);
