import { CardNotFoundError, InvalidRequestError } from "./errors";
import { parseStackPath } from "./stackPath";
import type { Card, CardInit, CardPatch, Dashboard, DashboardPatch } from "./types";

function checkColumns(columns: unknown): 1 | 2 {
  if (columns === undefined) return 1;
  if (columns !== 1 && columns !== 2)
    throw new InvalidRequestError(`card columns must be 1 or 2, got ${String(columns)}`);
  return columns;
}

function checkText(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new InvalidRequestError(`${field} must be a string`);
  return value;
}

/** Validates dashboard fields; returns only the known ones. */
export function checkDashboardPatch(patch: DashboardPatch): DashboardPatch {
  const out: DashboardPatch = {};
  const title = checkText(patch.title, "title");
  const description = checkText(patch.description, "description");
  if (title !== undefined) out.title = title;
  if (description !== undefined) out.description = description;
  if (patch.private !== undefined) {
    if (typeof patch.private !== "boolean") throw new InvalidRequestError("private must be a boolean");
    out.private = patch.private;
  }
  return out;
}

/** A new dashboard of `user`, without cards, from the checked fields of `init`. */
export function newDashboard(user: string, init: DashboardPatch = {}): Dashboard {
  const fields = checkDashboardPatch(init);
  return {
    id: crypto.randomUUID(),
    user,
    title: fields.title ?? "",
    description: fields.description ?? "",
    private: fields.private ?? false,
    cards: [],
  };
}

/** Returns the dashboard with `cards` inserted at `index` (clamped to the end); one card per stack. */
export function insertCards(dashboard: Dashboard, index: number, cards: CardInit[], defaultUser: string): Dashboard {
  if (!Number.isInteger(index) || index < 0)
    throw new InvalidRequestError(`card index must be an integer >= 0, got ${index}`);
  if (!Array.isArray(cards) || cards.length === 0) throw new InvalidRequestError("no cards to insert");
  const next: Card[] = cards.map((init) => {
    const card: Card = { stack: parseStackPath(init.stack, defaultUser).path, columns: checkColumns(init.columns) };
    const title = checkText(init.title, "card title");
    const description = checkText(init.description, "card description");
    if (title !== undefined) card.title = title;
    if (description !== undefined) card.description = description;
    return card;
  });
  const present = new Set(dashboard.cards.map((c) => c.stack));
  for (const card of next) {
    if (present.has(card.stack)) throw new InvalidRequestError(`stack ${card.stack} is already on this dashboard`);
    present.add(card.stack);
  }
  const at = Math.min(index, dashboard.cards.length);
  return { ...dashboard, cards: [...dashboard.cards.slice(0, at), ...next, ...dashboard.cards.slice(at)] };
}

function findCard(dashboard: Dashboard, stack: string, defaultUser: string): number {
  const path = parseStackPath(stack, defaultUser).path;
  const at = dashboard.cards.findIndex((c) => c.stack === path);
  if (at < 0) throw new CardNotFoundError(`${dashboard.user}/${dashboard.id}`, path);
  return at;
}

/** Returns the dashboard with one card changed and, when `patch.index` is given, moved there. */
export function updateCard(dashboard: Dashboard, stack: string, patch: CardPatch, defaultUser: string): Dashboard {
  const at = findCard(dashboard, stack, defaultUser);
  const card = { ...(dashboard.cards[at] as Card) };
  const title = checkText(patch.title, "card title");
  const description = checkText(patch.description, "card description");
  if (title !== undefined) card.title = title;
  if (description !== undefined) card.description = description;
  if (patch.columns !== undefined) card.columns = checkColumns(patch.columns);
  const cards = dashboard.cards.slice();
  cards.splice(at, 1);
  let to = at;
  if (patch.index !== undefined) {
    if (!Number.isInteger(patch.index) || patch.index < 0) {
      throw new InvalidRequestError(`card index must be an integer >= 0, got ${patch.index}`);
    }
    to = Math.min(patch.index, cards.length);
  }
  cards.splice(to, 0, card);
  return { ...dashboard, cards };
}

/** Returns the dashboard without the card of `stack`. */
export function deleteCard(dashboard: Dashboard, stack: string, defaultUser: string): Dashboard {
  const at = findCard(dashboard, stack, defaultUser);
  return { ...dashboard, cards: dashboard.cards.filter((_, i) => i !== at) };
}
