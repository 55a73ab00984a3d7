// Errors on the wire: status + {"message"} (docs/PROTOCOL.md, "Errors"), plus a stable `code`. The server turns typed errors into
// that shape; HttpStore turns it back into the same typed errors, from `code` when present, else from the
// status and message a 2020 server would send.
import {
  AttachmentNotFoundError,
  BadCredentialsError,
  CardNotFoundError,
  DashboardNotFoundError,
  DstackError,
  ForbiddenError,
  FrameNotFoundError,
  InvalidRequestError,
  InvalidStackNameError,
  MalformedAttachmentError,
  PayloadTooLargeError,
  StackNotFoundError,
} from "../model/errors";
import type { WireError } from "./wire";

/** What went wrong, for the response: typed errors keep their status; anything else is a 500 without details. */
export function toWireError(error: unknown): { status: number; body: WireError } {
  if (error instanceof DstackError) {
    const status = error.status >= 400 && error.status < 600 ? error.status : 400;
    return { status, body: { message: error.message, code: error.code } };
  }
  return { status: 500, body: { message: "internal server error", code: "internal" } };
}

/** The request an error answered, so typed errors can name what was missing. */
export interface ErrorContext {
  path?: string;
  frameId?: string;
  user?: string;
  dashboard?: string;
  card?: string;
}

const INVALID_NAME = /^invalid stack name ("(?:[^"\\]|\\.)*"): (.*)$/s;

function withMessage<E extends DstackError>(error: E, message: string): E {
  // The typed constructors build their own message from the context; keep the server's, which says more.
  Object.defineProperty(error, "message", { value: message, enumerable: false, writable: true, configurable: true });
  return error;
}

/** Rebuilds the typed error a server answered with `status` and `body`. */
export function fromWireError(status: number, body: unknown, context: ErrorContext = {}): DstackError {
  const wire = (typeof body === "object" && body !== null ? body : {}) as Partial<WireError>;
  const message = typeof wire.message === "string" && wire.message ? wire.message : `HTTP ${status}`;
  const code = typeof wire.code === "string" ? wire.code : undefined;
  const lower = message.toLowerCase();
  const path = context.path ?? "";
  const is = (c: string, prefix: string) => code === c || (code === undefined && lower.startsWith(prefix));

  if (status === 404) {
    if (is("frame_not_found", "frame not found"))
      return withMessage(new FrameNotFoundError(path, context.frameId ?? ""), message);
    if (is("attachment_not_found", "attachment")) return new AttachmentNotFoundError(message);
    if (is("dashboard_not_found", "dashboard not found"))
      return withMessage(new DashboardNotFoundError(context.user ?? "", context.dashboard ?? ""), message);
    if (is("card_not_found", "card not found"))
      return withMessage(new CardNotFoundError(context.dashboard ?? "", context.card ?? ""), message);
    if (is("stack_not_found", "stack not found")) return withMessage(new StackNotFoundError(path), message);
    return new DstackError(message, code ?? "not_found", 404);
  }
  if (status === 403) {
    if (is("bad_credentials", "bad credentials")) return new BadCredentialsError(message);
    return new ForbiddenError(message);
  }
  if (status === 400) {
    const named = INVALID_NAME.exec(message);
    if (named && (code === undefined || code === "invalid_stack_name")) {
      return new InvalidStackNameError(JSON.parse(named[1] as string) as string, named[2] as string);
    }
    return new InvalidRequestError(message);
  }
  if (status === 413) return withMessage(new PayloadTooLargeError(0), message);
  if (status === 422 && code === "malformed_attachment") return new MalformedAttachmentError(message);
  return new DstackError(message, code ?? (status >= 500 ? "server_error" : "http_error"), status);
}
