// Outside /api the server serves a built host app (single-page fallback), never a file outside its folder.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempHomes } from "./testing/tempHome";
import { setupTestServer } from "./testing/testServer";

const base = tempHomes("dstack-app-")();
const app = join(base, "app");
mkdirSync(join(app, "assets"), { recursive: true });
writeFileSync(join(app, "index.html"), "<!doctype html><title>host app</title>");
writeFileSync(join(app, "assets", "main.js"), "console.log('app')");
writeFileSync(join(base, "secret.txt"), "do not serve");

const t = setupTestServer({ appDir: app });

describe("the host app at /", () => {
  it("serves its files with their types, and index.html for app routes", async () => {
    const js = await fetch(`${t.server.url}/assets/main.js`);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await js.text()).toBe("console.log('app')");
    for (const route of ["/", "/dstack/some/stack", "/auth/verify?user=dstack&code=x"]) {
      const page = await fetch(`${t.server.url}${route}`);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await page.text()).toContain("host app");
    }
    expect((await fetch(`${t.server.url}/api/nope`)).status).toBe(404);
  });

  it("never serves a file outside the app folder", async () => {
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt", "/..%5csecret.txt"]) {
      const response = await fetch(`${t.server.url}${path}`);
      expect(await response.text(), path).not.toContain("do not serve");
    }
  });
});
