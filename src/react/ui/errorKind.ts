/** How the UI presents a failure; decided by the error's stable `code` so errors from any bundle copy match. */
export type ErrorKind = "not-found" | "forbidden" | "corrupt" | "invalid" | "error";

export interface DescribedError {
  kind: ErrorKind;
  title: string;
  detail: string;
}

const KINDS: Record<string, ErrorKind> = {
  stack_not_found: "not-found",
  frame_not_found: "not-found",
  attachment_not_found: "not-found",
  dashboard_not_found: "not-found",
  card_not_found: "not-found",
  bad_credentials: "forbidden",
  forbidden: "forbidden",
  malformed_attachment: "corrupt",
  parse_error: "corrupt",
  invalid_stack_name: "invalid",
};

const TITLES: Record<ErrorKind, string> = {
  "not-found": "Not found",
  forbidden: "You don't have access",
  corrupt: "This attachment could not be read",
  invalid: "Invalid stack name",
  error: "Something went wrong",
};

/**
 * A title and a detail line for an error, by kind.
 * @example describeError(new StackNotFoundError("dstack/x")).kind // "not-found"
 */
export function describeError(error: unknown): DescribedError {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  const kind = (typeof code === "string" && KINDS[code]) || "error";
  const detail = error instanceof Error ? error.message : String(error);
  return { kind, title: TITLES[kind], detail };
}
