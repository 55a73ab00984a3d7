// Idempotent pushes: a client that retries a push (its answer was lost to a timeout or a dropped connection)
// sends the same frame id again. When what it sends equals the stored frame, the server answers success
// instead of "already exists", so retrying a push is safe and can never create a second frame.
import { paramsEqual } from "../model/params";
import type { AttachmentInfo, FrameInfo, Settings } from "../model/types";
import type { SlotMeta } from "./pushSessions";

/** JSON with sorted keys, so `{a, b}` and `{b, a}` compare equal. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

const settingsEqual = (a: Settings | undefined, b: Settings | undefined) => stable(a ?? null) === stable(b ?? null);

/** Same metadata: content type, application, description, params, settings and length. */
export function sameAttachmentMeta(stored: AttachmentInfo, incoming: SlotMeta): boolean {
  return (
    stored.contentType === incoming.contentType &&
    (stored.application ?? undefined) === (incoming.application ?? undefined) &&
    (stored.description ?? undefined) === (incoming.description ?? undefined) &&
    paramsEqual(stored.params, incoming.params) &&
    settingsEqual(stored.settings, incoming.settings) &&
    stored.length === incoming.length
  );
}

export interface IncomingFrame {
  timestamp?: number;
  message?: string;
  params?: FrameInfo["params"];
}

/** Frame-level fields equal, where the request gives them. */
export function sameFrameMeta(stored: FrameInfo, incoming: IncomingFrame): boolean {
  if (incoming.timestamp !== undefined && incoming.timestamp !== stored.timestamp) return false;
  if (incoming.message !== undefined && incoming.message !== stored.message) return false;
  if (incoming.params !== undefined && !paramsEqual(stored.params, incoming.params)) return false;
  return true;
}

export async function sameBytes(stored: Blob, incoming: Uint8Array): Promise<boolean> {
  if (stored.size !== incoming.length) return false;
  const bytes = new Uint8Array(await stored.arrayBuffer());
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== incoming[i]) return false;
  return true;
}
