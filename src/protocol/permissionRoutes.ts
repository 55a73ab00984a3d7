// Sharing private stacks and dashboards with other users, and taking it back.
import { type Context, Hono } from "hono";
import { validateUser } from "../model/stackPath";
import { malformed, parseWirePath, requiredString } from "./fields";
import type { HandlerContext } from "./handlerContext";
import { json } from "./jsonResponse";
import type { Resource } from "./users";

export function permissionRoutes(ctx: HandlerContext): Hono {
  const { users, access, visible, revocations } = ctx;
  const app = new Hono();

  /** `{path, user, type?}`: `path` is `user/name` for a stack, `user/id` with `type: "dashboard"`. */
  async function permission(c: Context, change: "share" | "unshare"): Promise<Response> {
    const caller = await ctx.writer(c);
    const b = await ctx.body(c);
    const target = validateUser(requiredString(b.user, "user"));
    if (!users) throw malformed("this server has no users to share with");
    const path = requiredString(b.path, "path").replace(/^\/+/, "");
    const read = ctx.readOptions(c);
    let resource: Resource;
    if (b.type === "dashboard") {
      const slash = path.indexOf("/");
      const owner = path.slice(0, slash);
      const id = path.slice(slash + 1);
      if (slash <= 0 || !id) throw malformed("a dashboard path is 'user/id'");
      await visible.dashboard(caller, owner, id, read);
      access.requireOwner(caller, owner, `dashboard ${id}`);
      resource = { type: "dashboard", user: owner, id };
    } else if (b.type === undefined || b.type === null || b.type === "stack") {
      const stack = parseWirePath(path, "path");
      await visible.stack(caller, stack, read);
      access.requireOwner(caller, stack.user, stack.path);
      resource = { type: "stack", path: stack.path };
    } else {
      throw malformed("type must be 'stack' or 'dashboard'");
    }
    await users[change](resource, target);
    // unshare() records the revocation in the registry itself.
    if (change === "unshare" && resource.type === "stack") revocations.noteRecorded(resource.path);
    return json({});
  }

  app.post("/permissions/add", (c) => permission(c, "share"));
  app.post("/permissions/delete", (c) => permission(c, "unshare"));

  return app;
}
