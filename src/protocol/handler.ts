// The dstack wire protocol as one Web-standard handler, `(Request) => Promise<Response>`, over any StackStore.
// The Node server wraps it in node:http, `dstack-kit/msw` in msw handlers, tests call it directly: one
// implementation, so client and server cannot drift. This file mounts the route groups and owns what every
// response shares: CORS, errors as `{message, code}`, 404 for unknown routes, and inert headers.
import { Hono } from "hono";
import { cors } from "hono/cors";
import { dashboardRoutes } from "./dashboardRoutes";
import { downloadRoutes } from "./downloadRoutes";
import { eventRoutes } from "./eventRoutes";
import { createHandlerContext } from "./handlerContext";
import type { DstackHandler, DstackHandlerOptions } from "./handlerOptions";
import { lockDown } from "./inertBytes";
import { json } from "./jsonResponse";
import { permissionRoutes } from "./permissionRoutes";
import { createPushFlow } from "./pushFlow";
import { stackRoutes } from "./stackRoutes";
import { uploadRoutes } from "./uploadRoutes";
import { userRoutes } from "./userRoutes";
import { toWireError } from "./wireErrors";

export type { DstackHandler, DstackHandlerOptions } from "./handlerOptions";

/**
 * The dstack HTTP API over `store`.
 * @example const handler = createDstackHandler({ store: createMemoryStore() }); const res = await handler(request);
 */
export function createDstackHandler(options: DstackHandlerOptions): DstackHandler {
  const ctx = createHandlerContext(options);
  const pushes = createPushFlow(ctx);

  const app = new Hono().basePath(ctx.basePath || "/");
  if (options.cors ?? true) app.use("*", cors({ origin: "*", exposeHeaders: ["Content-Length", "Content-Type"] }));
  app.onError((error, c) => {
    const { status, body } = toWireError(error);
    if (status >= 500) options.onError?.(error, c.req.raw);
    return json(body, status);
  });
  app.notFound((c) =>
    json({ message: `not found: ${c.req.method} ${new URL(c.req.url).pathname}`, code: "not_found" }, 404),
  );

  app.route("/", stackRoutes(ctx, pushes));
  app.route("/", downloadRoutes(ctx));
  app.route("/", uploadRoutes(pushes));
  app.route("/", dashboardRoutes(ctx));
  app.route("/", permissionRoutes(ctx));
  app.route("/", userRoutes(ctx));
  app.route("/", eventRoutes(ctx));

  const handler = (async (request: Request) => {
    const response = await app.fetch(request);
    lockDown(response.headers);
    return response;
  }) as DstackHandler;
  Object.defineProperty(handler, "basePath", { value: ctx.basePath });
  handler.close = () => ctx.sessions.close();
  return handler;
}
