/** Base class of every error the kit throws on purpose. `code` is stable; `status` maps it to HTTP. */
export class DstackError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(message: string, code = "dstack_error", status = 500, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
  }
}

/** No stack at this path, or the caller may not see it. */
export class StackNotFoundError extends DstackError {
  readonly path: string;
  constructor(path: string) {
    super(`stack not found: ${path}`, "stack_not_found", 404);
    this.path = path;
  }
}

/** The stack exists but has no frame with this id. */
export class FrameNotFoundError extends DstackError {
  readonly path: string;
  readonly frameId: string;
  constructor(path: string, frameId: string) {
    super(`frame not found: ${frameId} in ${path}`, "frame_not_found", 404);
    this.path = path;
    this.frameId = frameId;
  }
}

/** No attachment at this index, or none matching the requested params. */
export class AttachmentNotFoundError extends DstackError {
  constructor(message: string) {
    super(message, "attachment_not_found", 404);
  }
}

export class DashboardNotFoundError extends DstackError {
  constructor(user: string, id: string) {
    super(`dashboard not found: ${user}/${id}`, "dashboard_not_found", 404);
  }
}

export class CardNotFoundError extends DstackError {
  constructor(dashboard: string, stack: string) {
    super(`card not found: ${stack} on dashboard ${dashboard}`, "card_not_found", 404);
  }
}

/** Missing or wrong token. */
export class BadCredentialsError extends DstackError {
  constructor(message = "bad credentials") {
    super(message, "bad_credentials", 403);
  }
}

/** Authenticated, but not allowed to do this (e.g. push to another user's stack). */
export class ForbiddenError extends DstackError {
  constructor(message = "forbidden") {
    super(message, "forbidden", 403);
  }
}

/** A stack path that breaks one of the naming rules; `rule` says which. */
export class InvalidStackNameError extends DstackError {
  readonly stackName: string;
  readonly rule: string;
  constructor(stackName: string, rule: string) {
    super(`invalid stack name ${JSON.stringify(stackName)}: ${rule}`, "invalid_stack_name", 400);
    this.stackName = stackName;
    this.rule = rule;
  }
}

/** A request the store cannot accept as given: empty push, bad params, duplicate card... */
export class InvalidRequestError extends DstackError {
  constructor(message: string) {
    super(message, "malformed_request", 400);
  }
}

/** 413: a request body over the server's limit. */
export class PayloadTooLargeError extends DstackError {
  readonly limit: number;
  constructor(limit: number, what = "request body") {
    super(`${what} is larger than the limit of ${limit} bytes`, "payload_too_large", 413);
    this.limit = limit;
  }
}

/** An object the client has no encoder for. */
export class UnsupportedObjectError extends DstackError {
  constructor(message: string) {
    super(message, "unsupported_object", 400);
  }
}

/** Stored bytes that do not decode as their content type says. */
export class MalformedAttachmentError extends DstackError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "malformed_attachment", 422, options);
  }
}

/** Tabular text that cannot be read; `line` and `column` are 1-based positions in the input. */
export class ParseError extends DstackError {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super(`${message} (line ${line}, column ${column})`, "parse_error", 422);
    this.line = line;
    this.column = column;
  }
}

/** Thrown when an AbortSignal ends an operation; nothing it started is kept. */
export class AbortError extends DstackError {
  constructor(message = "the operation was aborted") {
    super(message, "aborted", 499);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError();
}
