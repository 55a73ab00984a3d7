// Stacks: list, read, push, change access, update, delete.
import { Hono } from "hono";
import { validateUser } from "../model/stackPath";
import type { StackPatch } from "../model/types";
import { malformed, optionalBoolean, optionalString, parseWirePath, requiredString } from "./fields";
import type { HandlerContext } from "./handlerContext";
import { json } from "./jsonResponse";
import type { PushFlow } from "./pushFlow";
import { toWireStack, toWireStackSummary } from "./wire";

/** The paging query of `GET /stacks/{user}/{name}`: `frames` a count from 0, `before` a frame id. */
function framesQuery(frames: string | undefined, before: string | undefined) {
  if (frames !== undefined && !/^\d{1,9}$/.test(frames)) {
    throw malformed("frames must be a whole number of frames (0 or more)");
  }
  if (before === "") throw malformed("before must be a frame id");
  return { frames: frames === undefined ? undefined : Number(frames), before };
}

export function stackRoutes(ctx: HandlerContext, pushes: PushFlow): Hono {
  const { store, users, access, visible, revocations } = ctx;
  const app = new Hono();

  app.post("/stacks/push", (c) => pushes.push(c.req.raw));

  // dstack-py asks before a push whether the token may write the stack.
  app.post("/stacks/access", async (c) => {
    const caller = await ctx.writer(c);
    const stack = parseWirePath((await ctx.body(c)).stack);
    access.requireOwner(caller, stack.user, stack.path);
    return json({});
  });

  app.post("/stacks/update", async (c) => {
    const caller = await ctx.writer(c);
    const b = await ctx.body(c);
    const stack = parseWirePath(b.stack);
    const patch: StackPatch = {};
    const head = optionalString(b.head, "head");
    const isPrivate = optionalBoolean(b.private, "private");
    const readme = optionalString(b.readme, "readme");
    if (head !== undefined) patch.head = head;
    if (isPrivate !== undefined) patch.private = isPrivate;
    if (readme !== undefined) patch.readme = readme;
    const before = await visible.stack(caller, stack, ctx.readOptions(c));
    access.requireOwner(caller, stack.user, stack.path);
    await store.updateStack(`/${stack.path}`, patch);
    if (patch.private === true && !before.private) await revocations.revoke(stack.path);
    return json({});
  });

  app.post("/stacks/delete", async (c) => {
    const caller = await ctx.writer(c);
    const b = await ctx.body(c);
    const stack =
      b.stack !== undefined
        ? parseWirePath(b.stack)
        : parseWirePath(`${requiredString(b.user, "user")}/${requiredString(b.name, "name")}`);
    await visible.stack(caller, stack, ctx.readOptions(c));
    access.requireOwner(caller, stack.user, stack.path);
    await store.deleteStack(`/${stack.path}`);
    // forget() records the revocation in the registry; without one, the handler keeps it.
    if (users) {
      await users.forget({ type: "stack", path: stack.path });
      revocations.noteRecorded(stack.path);
    } else await revocations.revoke(stack.path);
    return json({});
  });

  app.get("/stacks/:user", async (c) => {
    const caller = await ctx.reader(c);
    const user = validateUser(c.req.param("user"));
    const stacks = [];
    for (const s of await store.listStacks(user, ctx.readOptions(c))) {
      if (await access.canSee(caller, s.user, s.private, { type: "stack", path: s.path }))
        stacks.push(toWireStackSummary(s));
    }
    return json({ stacks });
  });

  // Without params the answer lists every frame, as dstack-py and the 2020 server expect. `?frames=N` lists the
  // newest N, `before=ID` only frames after ID; either adds `frame_count`, so a long history is read in pages.
  app.get("/stacks/:user/:name{.+}", async (c) => {
    const caller = await ctx.reader(c);
    const stack = parseWirePath(`${c.req.param("user")}/${c.req.param("name")}`);
    const { frames, before } = framesQuery(c.req.query("frames"), c.req.query("before"));
    const read = ctx.readOptions(c);
    const paged = frames !== undefined || before !== undefined;
    const count = frames ?? Number.POSITIVE_INFINITY;
    let info = await visible.stack(caller, stack, { ...read, frames: before === undefined ? count : 0 });
    if (before !== undefined) {
      const page =
        count === 0 ? { frames: [] } : await store.listFrames(`/${stack.path}`, { ...read, before, limit: count });
      info = { ...info, frames: page.frames };
    }
    const isOwner = caller.superuser || caller.user === info.user;
    const permissions = isOwner && users ? await users.sharedWith({ type: "stack", path: info.path }) : undefined;
    return json({ stack: toWireStack(info, permissions, paged) });
  });

  return app;
}
