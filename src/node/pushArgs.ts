// The command line of `dstack push`, turned into one frame: which argument is the stack, which are files, and
// which params and descriptions belong to which file. Two forms:
//
//   dstack push FILE STACK [--param K=V ...] [--description T]               one file (the original form)
//   dstack push STACK FILE [--param K=V ...] [--description T] FILE [...]    one frame of several attachments
//
// A stack name has only letters, digits, '_', '-' and '/' (no dots), so with two arguments usually only one
// reading is possible; when both are, the one that is an existing file is the file (write `./NAME` to say so).
// In the second form, --param and --description after a file belong to that file; those before the first file
// apply to every file, and a file's own value of a key wins.
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { InvalidRequestError } from "../model/errors";
import { type Params, type ParamValue, paramsSignature, validateParams } from "../model/params";
import { parseStackPath } from "../model/stackPath";

/** A mistake in the command line: reported with the usage text and exit code 2. */
export class UsageError extends Error {}

export interface PushFile {
  /** As written on the command line or in the manifest. */
  file: string;
  /** Where to read it: the manifest's files are relative to its folder; the command line's to the current one. */
  path: string;
  params: Params;
  description?: string;
}

export interface PushPlan {
  /** Undefined only when a manifest is to name it. */
  stack?: string;
  files: PushFile[];
  message?: string;
  private: boolean;
  profile?: string;
  manifest?: string;
}

// JSON numbers, plus `.5` and `5.`; a leading zero before more digits (`007`, `02134`) stays text, since a number
// would drop it.
const NUMBER = /^-?(0|[1-9]\d*|(?=\.\d))(\.\d*)?([eE][+-]?\d+)?$/;

/**
 * `KEY=VALUE` with the value's JSON type: numbers, `true`/`false`, and `"quoted"` text (to keep `"1"` a string);
 * anything else is text as written.
 */
export function parseParam(text: string): [string, ParamValue] {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new UsageError(`--param needs KEY=VALUE, got ${JSON.stringify(text)}`);
  const key = text.slice(0, eq);
  // Assigning this key would set an object's prototype, not a param.
  if (key === "__proto__") throw new UsageError('--param cannot have a key named "__proto__"');
  const raw = text.slice(eq + 1);
  if (raw === "true" || raw === "false") return [key, raw === "true"];
  if (NUMBER.test(raw)) {
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new UsageError(`--param ${key}: ${raw} is out of range for a number`);
    return [key, value];
  }
  if (/^".*"$/s.test(raw)) {
    try {
      return [key, JSON.parse(raw) as string];
    } catch {
      throw new UsageError(`--param ${key}: ${raw} is not a valid JSON string`);
    }
  }
  return [key, raw];
}

/** `{a: 1, b: "x"}`: how messages show params, with their types visible. */
export function describeParams(params: Params): string {
  const entries = Object.entries(params);
  return `{${entries.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ")}}`;
}

/** Params of repeated `--param` flags; a key given twice is a mistake. */
export function paramsOf(list: readonly string[], where = ""): Params {
  const out: Params = {};
  for (const text of list) {
    const [key, value] = parseParam(text);
    if (Object.hasOwn(out, key)) throw new UsageError(`--param ${key} is given twice${where}`);
    out[key] = value;
  }
  return out;
}

function isStackName(text: string): boolean {
  try {
    parseStackPath(text, "dstack");
    return true;
  } catch {
    return false;
  }
}

interface Group {
  params: string[];
  description?: string;
  where: string;
}

/**
 * Reads push's arguments into a plan. `isFile` tells whether a path names an existing file (only asked when both
 * readings of `push A B` are possible).
 */
export function parsePushArgs(args: string[], isFile: (path: string) => boolean): PushPlan {
  let parsed: ReturnType<typeof parsePush>;
  try {
    parsed = parsePush(args);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals, tokens } = parsed;
  const plan: PushPlan = { files: [], private: values.private === true };
  if (values.message !== undefined) plan.message = values.message;
  if (values.profile !== undefined) plan.profile = values.profile;

  if (values.manifest !== undefined) {
    plan.manifest = values.manifest;
    if (values.param !== undefined || values.description !== undefined) {
      throw new UsageError("with --manifest, params and descriptions go in the manifest");
    }
    if (positionals.length > 1) throw new UsageError("with --manifest, only the STACK may follow push");
    if (positionals[0] !== undefined) plan.stack = positionals[0];
    return plan;
  }

  const stackAt = stackPosition(positionals, isFile);
  plan.stack = positionals[stackAt];
  // Walk the arguments in order: each file opens its own group; flags before the first file are shared.
  const shared: Group = { params: [], where: " before the first file" };
  const groups: Array<Group & { file: string }> = [];
  let current: Group = shared;
  let position = 0;
  for (const token of tokens) {
    if (token.kind === "positional") {
      if (position++ === stackAt) continue;
      const group = { file: token.value, params: [], where: ` for ${token.value}` };
      groups.push(group);
      current = group;
    } else if (token.kind === "option" && token.name === "param") {
      current.params.push(token.value ?? "");
    } else if (token.kind === "option" && token.name === "description") {
      if (current.description !== undefined) throw new UsageError(`--description is given twice${current.where}`);
      current.description = token.value ?? "";
    }
  }
  // The original form has one file: every flag is its.
  const legacy = positionals.length === 2 && stackAt === 1;
  const [only] = groups;
  if (legacy && only && shared.description !== undefined && only.description !== undefined) {
    throw new UsageError(`--description is given twice${only.where}`);
  }
  const sharedParams = paramsOf(shared.params, legacy && only ? only.where : shared.where);
  for (const group of groups) {
    const own = paramsOf(group.params, group.where);
    if (legacy) {
      for (const key of Object.keys(own)) {
        if (Object.hasOwn(sharedParams, key)) throw new UsageError(`--param ${key} is given twice${group.where}`);
      }
    }
    const file: PushFile = { file: group.file, path: group.file, params: { ...sharedParams, ...own } };
    const description = group.description ?? shared.description;
    if (description !== undefined) file.description = description;
    plan.files.push(file);
  }
  checkDistinct(plan.files);
  return plan;
}

function parsePush(args: string[]) {
  return parseArgs({
    args,
    options: {
      description: { type: "string", multiple: true },
      param: { type: "string", multiple: true },
      message: { type: "string" },
      private: { type: "boolean" },
      profile: { type: "string" },
      manifest: { type: "string" },
    },
    allowPositionals: true,
    strict: true,
    tokens: true,
  });
}

/** A usage mistake saying which rule `name` breaks as a stack name. */
function notAStack(name: string, lead: string): UsageError {
  try {
    parseStackPath(name, "dstack");
    return new UsageError(lead);
  } catch (error) {
    return new UsageError(`${lead}: ${(error as Error).message}`);
  }
}

/** Which positional is the stack: 1 for `push FILE STACK`, else 0. */
function stackPosition(positionals: string[], isFile: (path: string) => boolean): number {
  const [first, second] = positionals;
  if (first === undefined) throw new UsageError("push needs a STACK and at least one FILE");
  if (second === undefined) throw new UsageError(`push ${first}: no file to push (push STACK FILE [FILE ...])`);
  if (positionals.length > 2) {
    if (!isStackName(first)) throw notAStack(first, "the stack comes first (push STACK FILE [FILE ...])");
    return 0;
  }
  const asNew = isStackName(first);
  const asLegacy = isStackName(second);
  if (asNew && !asLegacy) return 0;
  if (asLegacy && !asNew) return 1;
  if (!asNew && !asLegacy) {
    // Neither can be a stack: report the name the user most likely meant as one.
    throw notAStack(isFile(first) ? second : first, `no stack name in push ${first} ${second}`);
  }
  const firstIsFile = isFile(first);
  const secondIsFile = isFile(second);
  if (firstIsFile && !secondIsFile) return 1;
  if (secondIsFile && !firstIsFile) return 0;
  throw new UsageError(
    `push ${first} ${second}: ${firstIsFile ? "both are files" : "neither is a file"}, so which is the stack is ` +
      `unclear; write the file as a path (./${firstIsFile ? first : second}) and put the stack first: ` +
      "push STACK FILE",
  );
}

/** Two attachments with the same params could never be told apart (and a slider needs different values). */
export function checkDistinct(files: readonly PushFile[]): void {
  const seen = new Map<string, string>();
  for (const { file, params } of files) {
    const key = paramsSignature(params);
    const other = seen.get(key);
    if (other !== undefined) {
      throw new UsageError(
        `${other} and ${file} have the same params ${describeParams(params)}: ` +
          "give each file its own --param values after it (push STACK FILE --param KEY=VALUE FILE --param ...)",
      );
    }
    seen.set(key, file);
  }
}

/** What a manifest holds: a frame's attachments, and optionally its stack, message and access. */
export interface Manifest {
  stack?: string;
  message?: string;
  private?: boolean;
  files: PushFile[];
}

const MANIFEST_KEYS = new Set(["stack", "message", "private", "params", "description", "attachments"]);
const ATTACHMENT_KEYS = new Set(["file", "params", "description"]);

function unknownKeys(value: Record<string, unknown>, known: Set<string>, where: string): void {
  const extra = Object.keys(value).filter((key) => !known.has(key));
  if (extra.length > 0) {
    throw new InvalidRequestError(`${where} has unknown keys ${extra.join(", ")} (known: ${[...known].join(", ")})`);
  }
}

function mapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function text(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new InvalidRequestError(`${where} must be text`);
  return value;
}

/**
 * Reads a manifest (YAML, or JSON, which YAML reads too):
 *
 *   stack: line_plot            # optional; STACK on the command line wins
 *   message: Three coefficients # optional; --message wins
 *   private: true               # optional; --private makes it true
 *   params: {Model: linear}     # optional, every attachment's (an attachment's own value of a key wins)
 *   attachments:
 *     - file: a.json            # relative to the manifest's folder
 *       params: {Coefficient: 0.5}
 *       description: Low        # optional (a top-level description is every attachment's default)
 *
 * Param values keep their YAML/JSON types.
 */
export async function readManifest(path: string): Promise<Manifest> {
  const source = await readFile(path, "utf8");
  let value: unknown;
  try {
    value = parse(source);
  } catch (error) {
    throw new InvalidRequestError(`${path} is not valid YAML or JSON: ${(error as Error).message}`);
  }
  if (!mapping(value)) throw new InvalidRequestError(`${path} must hold a mapping with an 'attachments' list`);
  unknownKeys(value, MANIFEST_KEYS, path);
  const manifest: Manifest = { files: [] };
  const stack = text(value.stack, `${path}: stack`);
  if (stack !== undefined) manifest.stack = stack;
  const message = text(value.message, `${path}: message`);
  if (message !== undefined) manifest.message = message;
  if (value.private !== undefined) {
    if (typeof value.private !== "boolean") throw new InvalidRequestError(`${path}: private must be true or false`);
    manifest.private = value.private;
  }
  const shared = validateParams(value.params, `${path}: params`);
  const sharedDescription = text(value.description, `${path}: description`);
  const { attachments } = value;
  if (!Array.isArray(attachments) || attachments.length === 0) {
    throw new InvalidRequestError(`${path}: attachments must be a list of {file, params, description}`);
  }
  const folder = dirname(path);
  attachments.forEach((item: unknown, i) => {
    const where = `${path}: attachments[${i}]`;
    if (!mapping(item)) throw new InvalidRequestError(`${where} must be a mapping with a 'file'`);
    unknownKeys(item, ATTACHMENT_KEYS, where);
    const file = text(item.file, `${where}.file`);
    if (!file) throw new InvalidRequestError(`${where} has no file`);
    const entry: PushFile = {
      file,
      path: resolve(folder, file),
      params: { ...shared, ...validateParams(item.params, `${where}.params`) },
    };
    const description = text(item.description, `${where}.description`) ?? sharedDescription;
    if (description !== undefined) entry.description = description;
    manifest.files.push(entry);
  });
  checkDistinct(manifest.files);
  return manifest;
}
