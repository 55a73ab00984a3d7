// Who is calling (`/users/me`), and a login code exchanged for a token (`/auth/verify`).
import { Hono } from "hono";
import { BadCredentialsError } from "../model/errors";
import type { HandlerContext } from "./handlerContext";
import { json } from "./jsonResponse";

export function userRoutes(ctx: HandlerContext): Hono {
  const { users } = ctx;
  const app = new Hono();

  app.get("/auth/verify", async (c) => {
    const user = c.req.query("user") ?? "";
    const token = users ? await users.verifyCode(user, c.req.query("code") ?? "") : undefined;
    if (token === undefined) throw new BadCredentialsError();
    return json({ user, token });
  });

  app.get("/users/me", async (c) => {
    const caller = await ctx.writer(c);
    return json({ user: caller.user });
  });

  return app;
}
