// What the server answers outside /api: a built host app when one is given (single-page: unknown paths get
// index.html), else a small page of its own. Either way /auth/verify turns the printed login code into a token.
import { openAsBlob } from "node:fs";
import { stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

/** The page shown when no app is built: what this is, and (on /auth/verify) the token for the login code. */
function builtInPage(apiPath: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dstack-kit server</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem}code,pre{background:#f3f3f3;padding:.1rem .3rem;border-radius:4px}pre{padding:.6rem;overflow:auto}</style>
</head><body><h1>dstack-kit server</h1>
<p>The API is at <code>${apiPath}</code>. No host app is built into this server; pass <code>--app DIR</code> to serve one.</p>
<div id="login"></div>
<script>
const q = new URLSearchParams(location.search);
if (location.pathname.endsWith("/auth/verify") && q.get("code")) {
  fetch("${apiPath}/auth/verify?" + new URLSearchParams({ user: q.get("user") || "", code: q.get("code") }))
    .then((r) => r.json().then((body) => ({ ok: r.ok, body })))
    .then(({ ok, body }) => {
      const el = document.getElementById("login");
      if (!ok) { el.textContent = "This login code is not valid: " + body.message; return; }
      const line = "dstack config add --token " + body.token + " --user " + body.user + " --server " + location.origin + "${apiPath}";
      el.innerHTML = "<p>Signed in as <b></b>. To configure a client, run:</p><pre></pre>";
      el.querySelector("b").textContent = body.user;
      el.querySelector("pre").textContent = line;
    });
}
</script></body></html>`;
}

/** Answers GET/HEAD requests outside the API; undefined for other methods. */
export function createStaticHandler(appDir: string | undefined, apiPath: string) {
  const root = appDir === undefined ? undefined : resolve(appDir);
  return async (request: Request): Promise<Response> => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response(JSON.stringify({ message: "not found" }), { status: 404 });
    }
    if (!root) {
      return new Response(builtInPage(apiPath), { headers: { "content-type": "text/html; charset=utf-8" } });
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url).pathname);
    } catch {
      return new Response("bad path", { status: 400 });
    }
    let file = resolve(join(root, pathname));
    // Never outside the app folder: `..`, encoded slashes and absolute paths all end here.
    if (file !== root && !file.startsWith(root + sep)) return new Response("not found", { status: 404 });
    let info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      file = join(root, "index.html");
      info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) return new Response("not found", { status: 404 });
    }
    const headers = {
      "content-type": TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
      "content-length": String(info.size),
    };
    if (request.method === "HEAD") return new Response(null, { headers });
    // A file-backed Blob streams from disk (Readable.toWeb can crash Node 20 when the client hangs up).
    return new Response((await openAsBlob(file)).stream(), { headers });
  };
}
