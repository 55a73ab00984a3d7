// Upload URLs across instances. A push announced by `length` is gathered in a session on the instance that
// answered it (its staged bytes are on that machine); the upload ids that instance hands out are recorded in the
// database with its address, so a `PUT upload_url` that reaches another instance (a load balancer's choice) is
// passed on to the right one, streaming. When that instance is gone the session went with it, exactly as when a
// single server restarts: the PUT is a 404 and the client pushes again.
import type { Pool } from "pg";

const UPLOAD_PATH = /\/uploads\/([^/?#]+)$/;

interface UploadAnswer {
  attachments?: Array<{ upload_url?: unknown }>;
}

const notFound = () =>
  Response.json(
    { message: "upload not found (unknown or expired upload_url)", code: "upload_not_found" },
    { status: 404, headers: { "cache-control": "no-store" } },
  );

/**
 * Wraps the server's router: records upload ids answered here, forwards PUTs of other instances' ids.
 * `self()` is this instance's address as the others reach it (`http://host:port`).
 */
export function routeUploads(
  pool: Pool,
  basePath: string,
  ttlMs: number,
  self: () => string,
  route: (request: Request) => Promise<Response>,
): (request: Request) => Promise<Response> {
  const pushPath = `${basePath}/stacks/push`;
  return async (request) => {
    const { pathname, search } = new URL(request.url);
    if (request.method === "POST" && pathname === pushPath) {
      const response = await route(request);
      if (response.status !== 200) return response;
      const answer = (await response.clone().json()) as UploadAnswer;
      const ids = (answer.attachments ?? []).flatMap((a) => {
        const match = typeof a.upload_url === "string" ? UPLOAD_PATH.exec(a.upload_url) : null;
        return match ? [match[1] as string] : [];
      });
      if (ids.length > 0) {
        // Expired rows go on the way: the table holds only live sessions' ids.
        await pool.query("DELETE FROM dstack_uploads WHERE expires_at < $1", [Date.now()]);
        await pool.query(
          `INSERT INTO dstack_uploads (id, instance, expires_at) SELECT unnest($1::text[]), $2, $3
           ON CONFLICT (id) DO UPDATE SET instance = EXCLUDED.instance, expires_at = EXCLUDED.expires_at`,
          [ids, self(), Date.now() + ttlMs],
        );
      }
      return response;
    }
    const upload =
      request.method === "PUT" && pathname.startsWith(`${basePath}/uploads/`) && UPLOAD_PATH.exec(pathname);
    if (!upload) return route(request);
    const { rows } = await pool.query<{ instance: string }>("SELECT instance FROM dstack_uploads WHERE id = $1", [
      upload[1],
    ]);
    const owner = rows[0]?.instance;
    if (owner === undefined || owner === self()) return route(request);
    const headers = new Headers();
    for (const name of ["content-length", "content-type", "authorization"]) {
      const value = request.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    try {
      const init: RequestInit & { duplex: "half" } = {
        method: "PUT",
        headers,
        body: request.body,
        duplex: "half",
        signal: request.signal,
      };
      const answer = await fetch(`${owner}${pathname}${search}`, init);
      const back = new Headers(answer.headers);
      for (const name of ["connection", "transfer-encoding", "keep-alive", "content-encoding"]) back.delete(name);
      return new Response(answer.body, { status: answer.status, headers: back });
    } catch {
      // The instance holding the session is gone, and the session with it.
      await request.body?.cancel().catch(() => {});
      return notFound();
    }
  };
}
