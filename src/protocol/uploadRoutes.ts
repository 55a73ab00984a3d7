// The bytes of announced attachments: `PUT upload_url` (the upload URLs a push answered with).
import { Hono } from "hono";
import type { PushFlow } from "./pushFlow";

export function uploadRoutes(pushes: PushFlow): Hono {
  const app = new Hono();
  app.put("/uploads/:id", (c) => pushes.upload(c.req.raw, c.req.param("id")));
  return app;
}
