// Who is calling (`/users/me`), a login code exchanged for a token (`/auth/verify`, for clients) or for a browser
// session (`/auth/session`, for the app the server serves), and logging that session out.
import type { Context } from "hono";
import { Hono } from "hono";
import { BadCredentialsError, ForbiddenError, InvalidRequestError } from "../model/errors";
import type { HandlerContext } from "./handlerContext";
import { json } from "./jsonResponse";
import { CSRF_HEADER, readCookie, SESSION_COOKIE, sessionCookieHeader } from "./sessionCookies";

export function userRoutes(ctx: HandlerContext): Hono {
  const { users } = ctx;
  const app = new Hono();

  app.get("/auth/verify", async (c) => {
    const user = c.req.query("user") ?? "";
    const token = users ? await users.verifyCode(user, c.req.query("code") ?? "") : undefined;
    if (token === undefined) throw new BadCredentialsError();
    return json({ user, token });
  });

  const secure = (c: Context) => ctx.originOf(c.req.raw).startsWith("https:");
  const cookiePath = ctx.basePath || "/";
  // Logging in and out change who the browser is: only the page itself may ask (login CSRF would sign a victim
  // into the attacker's account).
  const requireOwnPage = (c: Context) => {
    if (c.req.header(CSRF_HEADER) !== "1") throw new ForbiddenError(`this request needs the ${CSRF_HEADER} header`);
  };

  app.post("/auth/session", async (c) => {
    requireOwnPage(c);
    const body = await ctx.body(c);
    const { user, code } = body;
    if (typeof user !== "string" || typeof code !== "string")
      throw new InvalidRequestError("user and code are required");
    const token = users ? await users.verifyCode(user, code) : undefined;
    if (token === undefined) throw new BadCredentialsError();
    const { value } = await ctx.sessionCookies.issue(user);
    const response = json({ user });
    response.headers.append("set-cookie", sessionCookieHeader(value, ctx.sessionCookies.ttlMs, cookiePath, secure(c)));
    return response;
  });

  app.get("/auth/session", async (c) => {
    const caller = await ctx.writer(c);
    return json({ user: caller.user });
  });

  app.post("/auth/logout", async (c) => {
    requireOwnPage(c);
    const session = await ctx.sessionCookies.verify(readCookie(c.req.header("cookie") ?? null, SESSION_COOKIE));
    if (session) await ctx.sessionCookies.revoke(session);
    const response = json({});
    response.headers.append("set-cookie", sessionCookieHeader("", 0, cookiePath, secure(c)));
    return response;
  });

  app.get("/users/me", async (c) => {
    const caller = await ctx.writer(c);
    return json({ user: caller.user });
  });

  return app;
}
