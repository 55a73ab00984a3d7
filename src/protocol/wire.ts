// The dstack 2020 wire protocol (docs/PROTOCOL.md): snake_case JSON shapes and their mapping to the camelCase model.
// Both sides use these functions (the handler to answer, HttpStore to read answers), so they cannot drift.
import type { Params } from "../model/params";
import type {
  AttachmentInfo,
  Card,
  Dashboard,
  FrameInfo,
  FrameSummary,
  Settings,
  StackInfo,
  StackSummary,
} from "../model/types";

export interface WireAttachmentInfo {
  index: number;
  content_type: string;
  application?: string;
  description?: string;
  params: Params;
  settings?: Settings;
  length: number;
}

export interface WireFrameSummary {
  id: string;
  timestamp: number;
  message?: string;
}

export interface WireFrame extends WireFrameSummary {
  params: Params;
  attachments: WireAttachmentInfo[];
}

export interface WireStackSummary {
  user: string;
  name: string;
  private: boolean;
  /** `preview` (2020: a thumbnail of the head) is not produced; `message` is an extension. */
  head: (WireFrameSummary & { preview?: unknown }) | null;
}

export interface WirePermission {
  user: string;
}

export interface WireStack {
  user: string;
  name: string;
  private: boolean;
  readme?: string;
  head: WireFrame | null;
  /** Every frame, newest first; only a page of them when the request asked for one (`?frames=`). */
  frames: WireFrameSummary[];
  /** An extension: how many frames the stack has, only in answers to a paged request. */
  frame_count?: number;
  /** Users the stack is shared with; only its owner sees this. */
  permissions?: WirePermission[];
}

/** `GET /attachs/...`: the bytes inline (base64), a preview of the first bytes, or a URL to download them. */
export interface WireAttachment extends WireAttachmentInfo {
  data?: string;
  preview?: boolean;
  download_url?: string;
}

/** One attachment of `POST /stacks/push`, as dstack-py and this kit send it. */
export interface WirePushAttachment {
  /** Base64 bytes; absent when `length` asks for an upload URL. */
  data?: string;
  length?: number;
  content_type?: string;
  /** Legacy (dstack-py < 0.4, R): `image/png`, `image/svg`, `plotly`, `bokeh`... instead of content_type. */
  type?: string;
  application?: string;
  description?: string;
  params?: Params;
  settings?: Settings;
}

export interface WirePushRequest {
  /** `user/name`. */
  stack: string;
  id: string;
  timestamp?: number;
  message?: string;
  params?: Params;
  attachments?: WirePushAttachment[];
  /** Incremental form: position of the one attachment this request carries. */
  index?: number;
  /** Incremental form: the final request names how many attachments the frame has. */
  size?: number;
  /** The stack's access, applied with the frame (dstack-py `push(..., access=...)`); omitted: unchanged. */
  access?: "private" | "public";
}

export interface WireUpload {
  index: number;
  upload_url: string;
}

export interface WirePushResponse {
  url: string;
  attachments?: WireUpload[];
}

export type WireCard = Card;
export type WireDashboard = Dashboard;

/** `{"message": ...}` with a stable `code` (an extension; 2020 servers sent the message only). */
export interface WireError {
  message: string;
  code?: string;
}

function copyOptional<T extends object, K extends keyof T>(to: T, from: Partial<T>, keys: K[]): void {
  for (const key of keys) {
    const value = from[key];
    if (value !== undefined && value !== null) to[key] = value as T[K];
  }
}

export function toWireAttachmentInfo(info: AttachmentInfo): WireAttachmentInfo {
  const wire: WireAttachmentInfo = {
    index: info.index,
    content_type: info.contentType,
    params: info.params,
    length: info.length,
  };
  copyOptional(wire, info, ["application", "description", "settings"]);
  return wire;
}

export function fromWireAttachmentInfo(wire: WireAttachmentInfo): AttachmentInfo {
  const info: AttachmentInfo = {
    index: wire.index,
    contentType: wire.content_type,
    params: wire.params ?? {},
    length: wire.length,
  };
  copyOptional(info, wire, ["application", "description", "settings"]);
  return info;
}

export function toWireFrameSummary(frame: FrameSummary): WireFrameSummary {
  const wire: WireFrameSummary = { id: frame.id, timestamp: frame.timestamp };
  copyOptional(wire, frame, ["message"]);
  return wire;
}

export const fromWireFrameSummary = toWireFrameSummary as (wire: WireFrameSummary) => FrameSummary;

export function toWireFrame(frame: FrameInfo): WireFrame {
  return {
    ...toWireFrameSummary(frame),
    params: frame.params,
    attachments: frame.attachments.map(toWireAttachmentInfo),
  };
}

export function fromWireFrame(wire: WireFrame): FrameInfo {
  return {
    ...fromWireFrameSummary(wire),
    params: wire.params ?? {},
    attachments: (wire.attachments ?? []).map(fromWireAttachmentInfo),
  };
}

export function toWireStackSummary(stack: StackSummary): WireStackSummary {
  return {
    user: stack.user,
    name: stack.name,
    private: stack.private,
    head: stack.head ? toWireFrameSummary(stack.head) : null,
  };
}

export function fromWireStackSummary(wire: WireStackSummary): StackSummary {
  return {
    user: wire.user,
    name: wire.name,
    path: `${wire.user}/${wire.name}`,
    private: wire.private === true,
    head: wire.head ? fromWireFrameSummary(wire.head) : null,
  };
}

/** `paged`: the request asked for a page of frames, so the answer says how many there are in all. */
export function toWireStack(stack: StackInfo, permissions?: string[], paged = false): WireStack {
  const wire: WireStack = {
    user: stack.user,
    name: stack.name,
    private: stack.private,
    head: stack.head ? toWireFrame(stack.head) : null,
    frames: stack.frames.map(toWireFrameSummary),
  };
  if (stack.readme !== undefined && stack.readme !== null) wire.readme = stack.readme;
  if (paged) wire.frame_count = stack.frameCount;
  if (permissions) wire.permissions = permissions.map((user) => ({ user }));
  return wire;
}

export function fromWireStack(wire: WireStack): StackInfo {
  const stack: StackInfo = {
    user: wire.user,
    name: wire.name,
    path: `${wire.user}/${wire.name}`,
    private: wire.private === true,
    head: wire.head ? fromWireFrame(wire.head) : null,
    frames: (wire.frames ?? []).map(fromWireFrameSummary),
    frameCount: 0,
  };
  // Servers that do not page (dstack 2020, kit < 0.3) send every frame and no count.
  stack.frameCount = typeof wire.frame_count === "number" ? wire.frame_count : stack.frames.length;
  if (typeof wire.readme === "string") stack.readme = wire.readme;
  return stack;
}

export function toWireCard(card: Card): WireCard {
  const wire: WireCard = { stack: card.stack, columns: card.columns };
  copyOptional(wire, card, ["title", "description"]);
  return wire;
}

export const fromWireCard = (wire: WireCard): Card => toWireCard({ ...wire, columns: wire.columns ?? 1 });

export function toWireDashboard(dashboard: Dashboard): WireDashboard {
  return {
    id: dashboard.id,
    user: dashboard.user,
    title: dashboard.title,
    description: dashboard.description,
    private: dashboard.private,
    cards: dashboard.cards.map(toWireCard),
  };
}

export function fromWireDashboard(wire: WireDashboard): Dashboard {
  return {
    id: wire.id,
    user: wire.user,
    title: wire.title ?? "",
    description: wire.description ?? "",
    private: wire.private === true,
    cards: (wire.cards ?? []).map(fromWireCard),
  };
}

/** What a legacy `type` (dstack-py < 0.4, the R client) means as content type and application. */
export function legacyMediaType(type: string): { contentType: string; application?: string } {
  const t = type.trim().toLowerCase();
  if (t === "plotly" || t === "bokeh") return { contentType: "application/json", application: t };
  if (t === "image/svg" || t === "image/svg+xml") return { contentType: "image/svg+xml", application: "image" };
  if (t.startsWith("image/")) return { contentType: t, application: "image" };
  if (t === "pandas/dataframe" || t === "pandas/series") return { contentType: "text/csv", application: t };
  if (t.includes("/")) return { contentType: t };
  return { contentType: "application/octet-stream", application: t };
}
