import { InvalidStackNameError } from "./errors";

/** A resolved stack location: `path` is always `user/name`. */
export interface StackPath {
  user: string;
  name: string;
  path: string;
}

const ALLOWED = /^[A-Za-z0-9_/-]+$/;
const USER = /^[A-Za-z0-9_-]+$/;

/** Checks a user name by the same character rules as stack names; throws InvalidStackNameError. */
export function validateUser(user: string): string {
  if (typeof user !== "string" || user.length === 0)
    throw new InvalidStackNameError(String(user), "the user name is empty");
  if (!USER.test(user))
    throw new InvalidStackNameError(user, "a user name may only contain letters, digits, '_' and '-'");
  if (user.length > 64) throw new InvalidStackNameError(user, "a user name is at most 64 characters long");
  return user;
}

/** Checks a stack name (the part after the user) by the rules in docs/PROTOCOL.md, "Names and ids"; throws naming the rule broken. */
export function validateStackName(name: string): string {
  if (typeof name !== "string") throw new InvalidStackNameError(String(name), "a stack name must be a string");
  if (name.length < 3) throw new InvalidStackNameError(name, "a stack name is at least 3 characters long");
  if (name.length > 255) throw new InvalidStackNameError(name, "a stack name is at most 255 characters long");
  if (!ALLOWED.test(name)) {
    throw new InvalidStackNameError(name, "a stack name may only contain letters, digits, '_', '-' and '/'");
  }
  if (name.includes("//")) throw new InvalidStackNameError(name, "a stack name may not contain '//'");
  if (name.includes("--")) throw new InvalidStackNameError(name, "a stack name may not contain '--'");
  if (/^[-/]|[-/]$/.test(name)) {
    throw new InvalidStackNameError(name, "a stack name may not start or end with '-' or '/'");
  }
  return name;
}

/**
 * Resolves a stack reference: `/user/name` is absolute, anything else is a name under `defaultUser`.
 * @example parseStackPath("reports/sales", "dstack").path // "dstack/reports/sales"
 */
export function parseStackPath(stack: string, defaultUser: string): StackPath {
  if (typeof stack !== "string" || stack.length === 0)
    throw new InvalidStackNameError(String(stack), "the stack name is empty");
  let user = defaultUser;
  let name = stack;
  if (stack.startsWith("/")) {
    const slash = stack.indexOf("/", 1);
    if (slash < 0) throw new InvalidStackNameError(stack, "an absolute stack path is '/user/name'");
    user = stack.slice(1, slash);
    name = stack.slice(slash + 1);
  }
  validateUser(user);
  validateStackName(name);
  return { user, name, path: `${user}/${name}` };
}

/** Splits a full `user/name` path (as stores and the wire use them). */
export function splitStackPath(path: string): StackPath {
  const slash = path.indexOf("/");
  if (slash <= 0) throw new InvalidStackNameError(path, "a full stack path is 'user/name'");
  return parseStackPath(`/${path}`, "");
}
