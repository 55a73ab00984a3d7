// In real Chromium: pushed HTML and SVG with scripts, opened through their download URLs on the server's own
// origin (framed by a page of that origin, and as a top-level window), run nothing and read no token. A control
// page with the same script, served without the server's headers, proves the detection would see a script run.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, chromium, type Page } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, findChromium } from "../../scripts/findChromium.mjs";
import { setupTestServer } from "./testing/testServer";

const t = setupTestServer({ inlineBytes: 1 });
let browser: Browser;
let control: Server;
let controlUrl = "";

/** Reports to whoever embedded or opened the page, with whatever token the origin keeps. */
const report = (kind: string) =>
  `var m={ran:${JSON.stringify(kind)}};try{m.token=localStorage.getItem("dstack.token")}catch(e){m.token="blocked"}` +
  `try{parent.postMessage(m,"*")}catch(e){}try{opener&&opener.postMessage(m,"*")}catch(e){}`;
const htmlPage = (kind: string) =>
  `<!doctype html><html><body><script>${report(kind)}</script><p>hello</p></body></html>`;
const svgImage = (kind: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload='${report(`${kind}-onload`)}'><script>${report(kind)}</script></svg>`;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true });
  control = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(htmlPage("control"));
  });
  await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
  controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}/`;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => control?.close(resolve));
});

async function pushedUrl(id: string, contentType: string, body: string): Promise<string> {
  const token = t.server.token;
  const push = { stack: "dstack/attack", id, attachments: [{ data: btoa(body), content_type: contentType }] };
  expect((await t.api("POST", "/stacks/push", { token, json: push })).status).toBe(200);
  const attach = await t.api("GET", `/attachs/dstack/attack/${id}/0?download=true`, { token });
  return (attach.body.attachment as { download_url: string }).download_url;
}

/** Frames `url` in the page and waits until the browser either downloads it or loads it. */
async function frame(page: Page, url: string): Promise<"download" | "load"> {
  const download = page.waitForEvent("download").then(() => "download" as const);
  const load = page.evaluate(
    (src) =>
      new Promise<"load">((resolve) => {
        const iframe = document.createElement("iframe");
        iframe.onload = () => resolve("load");
        iframe.src = src;
        document.body.append(iframe);
      }),
    url,
  );
  return Promise.race([download, load]);
}

describe("pushed content opened through download URLs in Chromium", () => {
  it("runs no script on the server's origin and reads no token", async () => {
    const urls = {
      html: await pushedUrl("html", "text/html", htmlPage("html")),
      svg: await pushedUrl("svg", "image/svg+xml", svgImage("svg")),
      // Mislabelled: a sniffing browser would render these as a page or an image with scripts.
      htmlAsText: await pushedUrl("as-text", "text/plain", htmlPage("html-as-text")),
      svgAsPng: await pushedUrl("as-png", "image/png", svgImage("svg-as-png")),
    };
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${t.server.url}/`);
    await page.evaluate(() => {
      localStorage.setItem("dstack.token", "secret-token");
      const seen: unknown[] = [];
      (window as unknown as { seen: unknown[] }).seen = seen;
      addEventListener("message", (event) => seen.push(event.data));
    });

    expect(await frame(page, urls.html)).toBe("download");
    expect(await frame(page, urls.svg)).toBe("download");
    expect(await frame(page, urls.htmlAsText)).toBe("load");
    expect(await frame(page, urls.svgAsPng)).toBe("load");
    // As top-level windows opened by a page of the origin (what following a shared link does).
    for (const url of [urls.html, urls.svg]) {
      const download = page.waitForEvent("download");
      await page.evaluate((href) => window.open(href), url);
      await download;
    }
    // The control runs (posting without the token, from another origin): the page would have seen any script.
    expect(await frame(page, controlUrl)).toBe("load");
    await page.waitForFunction(() => (window as unknown as { seen: unknown[] }).seen.length > 0);
    const seen = await page.evaluate(() => (window as unknown as { seen: unknown[] }).seen);
    expect(seen).toEqual([expect.objectContaining({ ran: "control" })]);
    // What did load was shown as text, inert.
    const shown = page.frames().find((f) => f.url() === urls.htmlAsText);
    expect(await shown?.evaluate(() => document.body.textContent)).toContain("<script>");
    await context.close();
  }, 60_000);
});
