// The example host app end to end, in Debian's Chromium driven by Playwright: its production build served by Vite's
// preview server (this browser's IndexedDB, seeded with the demo data) and by the real dstack server (sign-in by the
// printed login URL, a session cookie, live pushes from the `dstack` CLI, another user's private stack, log out).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import axe from "axe-core";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright";
import { build, type PreviewServer, preview } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, findChromium } from "../../../scripts/findChromium.mjs";
import { createHttpStore } from "../../../src/index";
import { type CliIo, main } from "../../../src/node/cliMain";
import { type DstackServer, startServer } from "../../../src/node/server";

const configFile = fileURLToPath(new URL("../vite.config.ts", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "dstack-app-e2e-"));
const appDir = join(work, "app");
let browser: Browser;
/** The production build served by Vite's preview server: an origin with no dstack server behind it. */
let previewServer: PreviewServer;
let origin = "";

beforeAll(async () => {
  await build({ configFile, logLevel: "error", build: { outDir: appDir, emptyOutDir: true } });
  previewServer = await preview({
    configFile,
    logLevel: "error",
    build: { outDir: appDir },
    preview: { host: "127.0.0.1", port: 0, strictPort: false, open: false },
  });
  origin = previewServer.resolvedUrls!.local[0]!.replace(/\/$/, "");
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await previewServer?.close();
  rmSync(work, { recursive: true, force: true });
});

/** A fresh profile whose console errors and warnings (and uncaught errors) are kept, to be asserted empty. */
async function freshPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning")
      problems.push(`${message.type()}: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  return { page, problems };
}

/** A link of the app's main navigation. */
const nav = (page: Page, name: string) =>
  page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });

/** The text of every plotly title drawn in the page. */
const plotTitles = (page: Page) => page.locator(".gtitle").allTextContents();

describe("in this browser (IndexedDB)", () => {
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    ({ page, problems } = await freshPage(context));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
  });

  it("lists the demo stacks on a fresh profile", async () => {
    await page.goto(`${origin}/`);
    for (const name of ["line_plot", "simple", "static_dataset_example", "weather/seattle", "flights"]) {
      await expect.poll(() => page.getByRole("link", { name, exact: true }).count(), { timeout: 30_000 }).toBe(1);
    }
    await expect.poll(() => page.getByText("This browser").count()).toBe(1);
  });

  it("opens line_plot, and moving the Coefficient slider redraws the chart", async () => {
    await page.getByRole("link", { name: "line_plot", exact: true }).click();
    await expect.poll(() => page.url()).toBe(`${origin}/dstack/line_plot`);
    await expect.poll(() => plotTitles(page), { timeout: 30_000 }).toEqual(["a = 0.5"]);
    const slider = page.getByRole("slider", { name: "Coefficient" });
    await slider.focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => plotTitles(page)).toEqual(["a = 1"]);
    expect(new URL(page.url()).searchParams.get("Coefficient")).toBe("1");
  });

  it("drops the previous stack's params from the URL when another stack opens", async () => {
    await nav(page, "Stacks").click();
    await page.getByRole("link", { name: "simple", exact: true }).click();
    await expect.poll(() => page.url()).toBe(`${origin}/dstack/simple`);
  });

  it("shows one shared Year control on the demo dashboard, which changes both cards", async () => {
    await nav(page, "Dashboards").click();
    await expect.poll(() => page.getByRole("link", { name: "Seattle weather" }).count(), { timeout: 30_000 }).toBe(1);
    await page.getByRole("link", { name: "Seattle weather" }).click();
    await expect.poll(() => page.getByRole("slider", { name: "Year" }).count(), { timeout: 30_000 }).toBe(1);
    await expect
      .poll(async () => (await plotTitles(page)).sort(), { timeout: 30_000 })
      .toEqual(["Precipitation in 2012 (mm)", expect.stringMatching(/^Seattle 2012: \d+ days of sun$/)]);
    await page.getByRole("slider", { name: "Year" }).focus();
    await page.keyboard.press("ArrowRight");
    await expect
      .poll(async () => (await plotTitles(page)).sort())
      .toEqual(["Precipitation in 2013 (mm)", expect.stringMatching(/^Seattle 2013: \d+ days of sun$/)]);
  });

  it("keeps an edited dashboard after a reload", async () => {
    await page.getByRole("button", { name: "Edit dashboard title", exact: true }).click();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("Seattle, edited");
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Add stacks" }).click();
    await page.getByRole("button", { name: "Add dstack/line_plot" }).click();
    await expect.poll(() => page.getByRole("button", { name: "Added dstack/line_plot" }).count()).toBe(1);
    await expect.poll(() => page.getByRole("heading", { level: 1, name: "Seattle, edited" }).count()).toBe(1);
    await page.reload();
    await expect
      .poll(() => page.getByRole("heading", { level: 1, name: "Seattle, edited" }).count(), { timeout: 30_000 })
      .toBe(1);
    await expect.poll(async () => (await plotTitles(page)).includes("a = 0.5"), { timeout: 30_000 }).toBe(true);
    await nav(page, "Dashboards").click();
    await expect.poll(() => page.getByRole("link", { name: "Seattle, edited" }).count()).toBe(1);
  });

  it("resets the demo data from settings", async () => {
    await nav(page, "Settings").click();
    page.once("dialog", (dialog) => dialog.accept());
    await page.getByRole("button", { name: "Reset demo data" }).click();
    await expect.poll(() => page.getByText("Demo data restored.").count(), { timeout: 30_000 }).toBe(1);
    await nav(page, "Dashboards").click();
    await expect.poll(() => page.getByRole("link", { name: "Seattle weather", exact: true }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Seattle, edited" }).count()).toBe(0);
  });

  for (const [width, scheme] of [
    [1440, "light"],
    [320, "dark"],
  ] as const) {
    it(`has no axe violations and no sideways scrolling at ${width} px, ${scheme}`, async () => {
      await page.setViewportSize({ width, height: 800 });
      await page.emulateMedia({ colorScheme: scheme });
      for (const [path, ready] of [
        ["/", () => page.getByRole("link", { name: "line_plot", exact: true }).waitFor()],
        ["/dstack/line_plot", () => page.locator(".gtitle").first().waitFor()],
        ["/dstack/weather/report", () => page.locator(".gtitle").first().waitFor()],
        ["/dashboards", () => page.getByRole("link", { name: /Seattle/ }).waitFor()],
        ["/settings", () => page.getByRole("button", { name: "Reset demo data" }).waitFor()],
      ] as const) {
        await page.goto(`${origin}${path}`);
        await ready();
        await page.addScriptTag({ content: axe.source });
        const violations = await page.evaluate(async () => {
          const run = (window as unknown as { axe: typeof axe }).axe.run;
          const result = await run(document, { resultTypes: ["violations"] });
          return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
        });
        expect(violations, path).toEqual([]);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, path).toBeLessThanOrEqual(0);
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.emulateMedia({ colorScheme: "light" });
    });
  }

  it("logged no console error or warning", () => {
    expect(problems).toEqual([]);
  });
});

describe("served by `dstack server start`, signed in by the printed login URL", () => {
  let server: DstackServer;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  const cliHome = join(work, "cli");

  /** `dstack ...argv` in-process, with its own home (never the real one). */
  async function dstack(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const io: CliIo = {
      stdout: { write: (chunk) => (stdout += chunk.toString()) },
      stderr: { write: (chunk) => (stderr += chunk.toString()) },
      env: {},
      cwd: cliHome,
      home: cliHome,
    };
    const code = await main(argv, io);
    return { code, stdout, stderr };
  }

  beforeAll(async () => {
    server = await startServer({ port: 0, home: join(work, "server"), appDir, fsync: false, log: () => {} });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    ({ page, problems } = await freshPage(context));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  it("signs in with a session cookie; the token is nowhere in the page's storage or DOM", async () => {
    await page.goto(server.loginUrl);
    await expect.poll(() => page.url(), { timeout: 30_000 }).toBe(`${server.url}/`);
    await expect.poll(() => page.getByRole("heading", { name: "No stacks yet" }).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.getByText("· live").count(), { timeout: 30_000 }).toBe(1);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "dstack_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    const seen = await page.evaluate(() => ({
      storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
      dom: document.documentElement.outerHTML,
      cookie: document.cookie,
      history: location.href,
    }));
    for (const text of Object.values(seen)) {
      expect(text).not.toContain(server.token);
      expect(text).not.toContain(server.loginCode);
    }
  });

  it("shows a stack pushed with `dstack push` without a reload, and the URL it prints opens that stack", async () => {
    expect(
      (await dstack("config", "add", "--token", server.token, "--user", "dstack", "--server", server.apiUrl)).code,
    ).toBe(0);
    const figure = join(cliHome, "pushed.json");
    writeFileSync(
      figure,
      JSON.stringify({ data: [{ type: "bar", x: [1, 2], y: [3, 4] }], layout: { title: { text: "Pushed live" } } }),
    );
    const pushed = await dstack("push", figure, "live_plot", "--message", "from the CLI");
    expect(pushed.code, pushed.stderr).toBe(0);
    await expect
      .poll(() => page.getByRole("link", { name: "live_plot", exact: true }).count(), { timeout: 30_000 })
      .toBe(1);
    const printed = pushed.stdout.match(/https?:\/\/\S+/)?.[0];
    expect(printed).toBe(`${server.url}/dstack/live_plot`);
    await page.goto(printed!);
    await expect.poll(() => plotTitles(page), { timeout: 30_000 }).toEqual(["Pushed live"]);
  });

  it("never shows another user's private stack", async () => {
    const bob = createHttpStore({ server: server.apiUrl, user: "bob", token: server.addUser("bob") });
    await bob.push({
      stack: "secret_plan",
      id: crypto.randomUUID(),
      timestamp: 1,
      private: true,
      attachments: [{ data: new TextEncoder().encode("# secret"), contentType: "text/markdown", params: {} }],
    });
    await bob.push({
      stack: "open_notes",
      id: crypto.randomUUID(),
      timestamp: 1,
      attachments: [{ data: new TextEncoder().encode("# Open notes"), contentType: "text/markdown", params: {} }],
    });
    await page.goto(`${server.url}/bob/open_notes`);
    await expect.poll(() => page.getByRole("heading", { name: "Open notes" }).count(), { timeout: 30_000 }).toBe(1);
    await page.goto(`${server.url}/bob/secret_plan`);
    await expect.poll(() => page.getByRole("alert").count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.content()).not.toContain("# secret");
    expect(await page.getByRole("heading", { name: "secret" }).count()).toBe(0);
    await page.goto(`${server.url}/`);
    await expect
      .poll(() => page.getByRole("link", { name: "live_plot", exact: true }).count(), { timeout: 30_000 })
      .toBe(1);
    expect(await page.getByRole("link", { name: "secret_plan" }).count()).toBe(0);
  });

  it("reads a server named in settings (URL, user, token) from a page the server does not serve", async () => {
    const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page: elsewhere, problems: elsewhereProblems } = await freshPage(other);
    await elsewhere.goto(`${origin}/settings`);
    await elsewhere.getByRole("radio", { name: /A dstack server/ }).check();
    await elsewhere.getByLabel("Server API URL").fill(server.apiUrl);
    await elsewhere.getByLabel("User", { exact: true }).fill("dstack");
    await elsewhere.getByLabel("Token", { exact: true }).fill(server.token);
    await elsewhere.getByRole("button", { name: "Use this store" }).click();
    await nav(elsewhere, "Stacks").click();
    await expect
      .poll(() => elsewhere.getByRole("link", { name: "live_plot", exact: true }).count(), { timeout: 30_000 })
      .toBe(1);
    await expect.poll(() => elsewhere.getByText(`${new URL(server.url).host} · dstack`).count()).toBe(1);
    await expect.poll(() => elsewhere.getByText("· live").count(), { timeout: 30_000 }).toBe(1);
    // A push from elsewhere shows up through /events here too.
    const again = await dstack("push", join(cliHome, "pushed.json"), "second_plot");
    expect(again.code, again.stderr).toBe(0);
    await expect
      .poll(() => elsewhere.getByRole("link", { name: "second_plot", exact: true }).count(), { timeout: 30_000 })
      .toBe(1);
    expect(elsewhereProblems).toEqual([]);
    await other.close();
  });

  it("logs out: the session ends on the server and the page asks to sign in", async () => {
    await nav(page, "Settings").click();
    await page.getByRole("button", { name: "Log out" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Sign in" }).count(), { timeout: 30_000 }).toBe(1);
    const status = await page.evaluate(
      async () => (await fetch("/api/auth/session", { headers: { "x-dstack-csrf": "1" } })).status,
    );
    expect([401, 403]).toContain(status);
    await page.reload();
    await expect.poll(() => page.getByRole("heading", { name: "Sign in" }).count(), { timeout: 30_000 }).toBe(1);
  });

  it("logged no console error or warning", () => {
    // Chromium logs every 4xx answer itself: the sign-in check when signed out, and the other user's private stack.
    const expected = /Failed to load resource: .*status of 40[34] .*\/api\/(auth\/session|stacks\/bob\/secret_plan)/;
    expect(problems.filter((p) => !expected.test(p))).toEqual([]);
  });
});
