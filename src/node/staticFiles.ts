// What the server answers outside /api: a host app (the one given, else the app built into the package at
// dist/app; single-page: unknown paths get index.html), or a small page of its own when there is none. Either way
// /auth/verify signs the browser in with the printed login code (an HttpOnly session cookie, never a token).
import { existsSync, openAsBlob } from "node:fs";
import { stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The app built into the package: `dist/app` next to the bundled server, or from the sources after a build. */
export function bundledAppDir(): string | undefined {
  for (const relative of ["../app/", "../../dist/app/"]) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(join(dir, "index.html"))) return dir;
  }
  return undefined;
}

// The app's pages may not be framed by other sites (clickjacking); their bytes are never sniffed.
const PAGE_HEADERS = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "frame-ancestors 'self'",
  "referrer-policy": "same-origin",
};

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

/** The page shown when no app is built: what this is, and (on /auth/verify) signing in with the login code. */
function builtInPage(apiPath: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dstack-kit server</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem}code{background:#f3f3f3;padding:.1rem .3rem;border-radius:4px}</style>
</head><body><h1>dstack-kit server</h1>
<p>The API is at <code>${apiPath}</code>. No host app is built into this server: run <code>npm run build</code>, or pass <code>--app DIR</code>.</p>
<p id="login"></p>
<script>
const q = new URLSearchParams(location.search);
if (location.pathname.endsWith("/auth/verify") && q.get("code")) {
  const el = document.getElementById("login");
  fetch("${apiPath}/auth/session", {
    method: "POST",
    headers: { "content-type": "application/json", "x-dstack-csrf": "1" },
    body: JSON.stringify({ user: q.get("user") || "", code: q.get("code") }),
  }).then((r) => r.json().then((body) => {
    history.replaceState(null, "", "/");
    el.textContent = r.ok ? "Signed in as " + body.user + "." : "This login code is not valid: " + body.message;
  }));
}
</script></body></html>`;
}

/** Answers GET/HEAD requests outside the API; undefined for other methods. */
export function createStaticHandler(appDir: string | undefined, apiPath: string) {
  const chosen = appDir ?? bundledAppDir();
  const root = chosen === undefined ? undefined : resolve(chosen);
  return async (request: Request): Promise<Response> => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response(JSON.stringify({ message: "not found" }), { status: 404 });
    }
    if (!root) {
      return new Response(builtInPage(apiPath), {
        headers: { "content-type": "text/html; charset=utf-8", ...PAGE_HEADERS },
      });
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
      ...PAGE_HEADERS,
    };
    if (request.method === "HEAD") return new Response(null, { headers });
    // A file-backed Blob streams from disk (Readable.toWeb can crash Node 20 when the client hangs up).
    return new Response((await openAsBlob(file)).stream(), { headers });
  };
}
