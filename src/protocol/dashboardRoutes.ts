// Dashboards and their cards: list, read, create, update, delete; insert, update and delete cards.
import { type Context, Hono } from "hono";
import { ForbiddenError } from "../model/errors";
import { validateUser } from "../model/stackPath";
import type { CardInit, CardPatch, DashboardPatch } from "../model/types";
import { malformed, optionalBoolean, optionalNumber, optionalString, parseWirePath, requiredString } from "./fields";
import type { HandlerContext } from "./handlerContext";
import { json } from "./jsonResponse";
import type { Resource } from "./users";
import { toWireDashboard } from "./wire";

function dashboardPatch(body: Record<string, unknown>): DashboardPatch {
  const patch: DashboardPatch = {};
  const title = optionalString(body.title, "title");
  const description = optionalString(body.description, "description");
  const isPrivate = optionalBoolean(body.private, "private");
  if (title !== undefined) patch.title = title;
  if (description !== undefined) patch.description = description;
  if (isPrivate !== undefined) patch.private = isPrivate;
  return patch;
}

function cardFields(raw: Record<string, unknown>, where: string): Omit<CardPatch, "index"> {
  const out: Omit<CardPatch, "index"> = {};
  const title = optionalString(raw.title, "title");
  const description = optionalString(raw.description, "description");
  if (title !== undefined) out.title = title;
  if (description !== undefined) out.description = description;
  if (raw.columns !== undefined && raw.columns !== null) {
    if (raw.columns !== 1 && raw.columns !== 2) throw malformed(`${where}.columns must be 1 or 2`);
    out.columns = raw.columns;
  }
  return out;
}

export function dashboardRoutes(ctx: HandlerContext): Hono {
  const { store, users, access, visible } = ctx;
  const app = new Hono();

  app.get("/dashboards/:user", async (c) => {
    const caller = await ctx.reader(c);
    const user = validateUser(c.req.param("user"));
    const dashboards = [];
    for (const d of await store.listDashboards(user, ctx.readOptions(c))) {
      const resource: Resource = { type: "dashboard", user: d.user, id: d.id };
      if (await access.canSee(caller, d.user, d.private, resource)) dashboards.push(toWireDashboard(d));
    }
    return json({ dashboards });
  });

  app.get("/dashboards/:user/:id", async (c) => {
    const caller = await ctx.reader(c);
    const dashboard = await visible.dashboard(caller, c.req.param("user"), c.req.param("id"), ctx.readOptions(c));
    return json({ dashboard: toWireDashboard(dashboard) });
  });

  app.post("/dashboards/create", async (c) => {
    const caller = await ctx.writer(c);
    const b = await ctx.body(c);
    const owner = validateUser(optionalString(b.user, "user") ?? caller.user ?? store.user);
    access.requireOwner(caller, owner, `the dashboards of ${owner}`);
    const target = ctx.storeFor(owner);
    if (!target) throw new ForbiddenError(`this server keeps dashboards for ${store.user} only`);
    return json({ dashboard: toWireDashboard(await target.createDashboard(dashboardPatch(b))) });
  });

  /** The dashboard named by `user` + `field` of the body, which the caller must see and own. */
  async function ownDashboard(c: Context, field: "id" | "dashboard") {
    const caller = await ctx.writer(c);
    const b = await ctx.body(c);
    const user = requiredString(b.user, "user");
    const id = requiredString(b[field], field);
    await visible.dashboard(caller, user, id, ctx.readOptions(c));
    access.requireOwner(caller, user, `dashboard ${id}`);
    return { b, user, id };
  }

  app.post("/dashboards/update", async (c) => {
    const { b, user, id } = await ownDashboard(c, "id");
    return json({ dashboard: toWireDashboard(await store.updateDashboard(user, id, dashboardPatch(b))) });
  });

  app.post("/dashboards/delete", async (c) => {
    const { user, id } = await ownDashboard(c, "id");
    await store.deleteDashboard(user, id);
    await users?.forget({ type: "dashboard", user, id });
    return json({});
  });

  app.post("/dashboards/cards/insert", async (c) => {
    const { b, user, id } = await ownDashboard(c, "dashboard");
    if (!Array.isArray(b.cards) || b.cards.length === 0) throw malformed("cards must be a non-empty list");
    const cards: CardInit[] = b.cards.map((raw: unknown, k: number) => {
      if (typeof raw !== "object" || raw === null) throw malformed(`card ${k} must be an object`);
      const card = raw as Record<string, unknown>;
      return { stack: `/${parseWirePath(card.stack, `card ${k}.stack`).path}`, ...cardFields(card, `card ${k}`) };
    });
    const index = optionalNumber(b.index, "index") ?? Number.MAX_SAFE_INTEGER;
    return json({ dashboard: toWireDashboard(await store.insertCards(user, id, index, cards)) });
  });

  app.post("/dashboards/cards/update", async (c) => {
    const { b, user, id } = await ownDashboard(c, "dashboard");
    const stack = `/${parseWirePath(b.stack).path}`;
    const patch: CardPatch = cardFields(b, "card");
    const index = optionalNumber(b.index, "index");
    if (index !== undefined) patch.index = index;
    return json({ dashboard: toWireDashboard(await store.updateCard(user, id, stack, patch)) });
  });

  app.post("/dashboards/cards/delete", async (c) => {
    const { b, user, id } = await ownDashboard(c, "dashboard");
    const stack = `/${parseWirePath(b.stack).path}`;
    return json({ dashboard: toWireDashboard(await store.deleteCard(user, id, stack)) });
  });

  return app;
}
