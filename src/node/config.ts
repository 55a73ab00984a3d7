// Client profiles in the YAML file dstack-py reads too:
//
//   profiles:
//     default:
//       token: 1e1b...
//       server: http://localhost:8080/api
//       user: dstack
//
// Which file: see locateConfig (DSTACK_CONFIG, then ./.dstack/config.yaml, then ~/.dstack/config.yaml). Adding or
// replacing a profile edits the file in place: other profiles, keys the kit does not use (dstack-py's `verify`)
// and comments stay as they are.
import { readFileSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { type Document, isMap, parseDocument } from "yaml";
import { DstackError } from "../model/errors";
import { validateUser } from "../model/stackPath";
import { createHttpStore, type HttpStore, type HttpStoreOptions } from "../storage/httpStore";
import { writeFileAtomic } from "./atomicWrite";

export interface Profile {
  token: string;
  /** API base URL, e.g. `http://localhost:8080/api`. */
  server: string;
  /** The profile's user; dstack-py configs without one mean the default user `dstack`. */
  user: string;
}

export const DEFAULT_PROFILE = "default";

/** The variable naming the config file, as in dstack-py. */
export const CONFIG_ENV = "DSTACK_CONFIG";

/** Where to look for the config file; every field defaults to this process's own. */
export interface ConfigLookup {
  /** This file and no other (the CLI's `--file`). */
  file?: string;
  /** The environment read for DSTACK_CONFIG; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** The folder whose `.dstack/config.yaml` is the project's config; default the current folder. */
  cwd?: string;
  /** The home folder of the last step; default the user's home (`$HOME` on Linux and macOS). */
  home?: string;
}

/** Why that file: `file` (asked for), `env` (DSTACK_CONFIG), `local` (./.dstack) or `home` (~/.dstack). */
export type ConfigSource = "file" | "env" | "local" | "home";

export interface ConfigLocation {
  file: string;
  source: ConfigSource;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The config file, found the way dstack-py finds it: `DSTACK_CONFIG` when set (whether or not the file exists
 * yet), else `.dstack/config.yaml` in the current folder when that file exists, else `~/.dstack/config.yaml`.
 * Reads and writes both go to the file found. A string argument is the home folder (older signature).
 */
export function locateConfig(where: string | ConfigLookup = {}): ConfigLocation {
  const lookup = typeof where === "string" ? { home: where } : where;
  const cwd = lookup.cwd ?? process.cwd();
  if (lookup.file) return { file: resolve(cwd, lookup.file), source: "file" };
  const fromEnv = (lookup.env ?? process.env)[CONFIG_ENV];
  if (fromEnv) return { file: resolve(cwd, fromEnv), source: "env" };
  const home = join(lookup.home ?? homedir(), ".dstack", "config.yaml");
  const local = join(cwd, ".dstack", "config.yaml");
  if (resolve(local) !== resolve(home) && isFile(local)) return { file: local, source: "local" };
  return { file: home, source: "home" };
}

/** The config file's path (see locateConfig). */
export function configPath(where: string | ConfigLookup = {}): string {
  return locateConfig(where).file;
}

/** How a message names the file: its path, and how it was chosen when that is not the usual home file. */
export function describeConfig(location: ConfigLocation): string {
  const why = { file: "", env: ` (from ${CONFIG_ENV})`, local: " (the current folder's)", home: "" };
  return `${location.file}${why[location.source]}`;
}

function badConfig(file: string, message: string, cause?: unknown): DstackError {
  return new DstackError(`${file} ${message}`, "bad_config", 400, cause === undefined ? undefined : { cause });
}

/** The file as a YAML document (an empty one when it does not exist). */
function readConfigDocument(file: string): Document {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const doc = parseDocument(text);
  const [error] = doc.errors;
  if (error) throw badConfig(file, `is not valid YAML: ${error.message}`, error);
  if (doc.contents !== null && !isMap(doc.contents)) throw badConfig(file, "must hold a mapping with a 'profiles' key");
  const profiles = doc.get("profiles");
  if (profiles !== undefined && profiles !== null && !isMap(profiles)) {
    throw badConfig(file, "has a 'profiles' key that is not a mapping of profile names");
  }
  return doc;
}

/** A profile as the file has it, usable or not. */
export interface ProfileEntry {
  name: string;
  token?: string;
  server?: string;
  /** `dstack` when the file names none. */
  user: string;
  /** Set when the kit cannot use the profile: why, and how to fix it. */
  problem?: string;
  /** Set when the profile is usable but has a setting the kit ignores. */
  note?: string;
}

function entryOf(name: string, raw: unknown): ProfileEntry {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { name, user: "dstack", problem: "not a mapping of token, server and user" };
  }
  const fields = raw as Record<string, unknown>;
  const entry: ProfileEntry = { name, user: typeof fields.user === "string" ? fields.user : "dstack" };
  if (typeof fields.token === "string" && fields.token !== "") entry.token = fields.token;
  if (typeof fields.server === "string" && fields.server !== "") entry.server = fields.server;
  const fix = (what: string) => `add it with \`dstack config add ${name} ${what}\``;
  // dstack-py reads a missing server as its hosted cloud service; the kit only talks to servers it is told of.
  if (entry.server === undefined)
    entry.problem = `no server (dstack-py's default, the dstack.ai cloud): ${fix("--server URL")}`;
  else if (entry.token === undefined) entry.problem = `no token: ${fix("--token TOKEN")}`;
  if (fields.verify === false) entry.note = "verify: false is ignored (certificates are always checked)";
  return entry;
}

/** Every profile of the config file, in file order, including those the kit cannot use. */
export function listProfiles(where: string | ConfigLookup = {}): ProfileEntry[] {
  const doc = readConfigDocument(configPath(where));
  const profiles = doc.toJS()?.profiles as Record<string, unknown> | null | undefined;
  return Object.entries(profiles ?? {}).map(([name, raw]) => entryOf(name, raw));
}

/** Every usable profile of the config file (an empty object when there is none). */
export function readProfiles(where: string | ConfigLookup = {}): Record<string, Profile> {
  const out: Record<string, Profile> = {};
  for (const entry of listProfiles(where)) {
    if (entry.problem === undefined && entry.token !== undefined && entry.server !== undefined) {
      out[entry.name] = { token: entry.token, server: entry.server, user: entry.user };
    }
  }
  return out;
}

/** One usable profile, or undefined when the file, the profile or one of its fields is missing. */
export function readProfile(name: string = DEFAULT_PROFILE, where: string | ConfigLookup = {}): Profile | undefined {
  return readProfiles(where)[name];
}

/**
 * Adds a profile or replaces its token, server and user; the profile's other keys, other profiles and the rest
 * of the file are kept. Written atomically with mode 0600 (it holds tokens). Returns the file's path.
 */
export async function writeProfile(name: string, profile: Profile, where: string | ConfigLookup = {}): Promise<string> {
  if (!/^[A-Za-z0-9_.-]+$/.test(name))
    throw new DstackError(`bad profile name ${JSON.stringify(name)}`, "bad_config", 400);
  validateUser(profile.user);
  if (!/^https?:\/\/[^\s]+$/i.test(profile.server)) {
    throw new DstackError(
      `the server must be an http(s) URL, got ${JSON.stringify(profile.server)}`,
      "bad_config",
      400,
    );
  }
  if (!profile.token) throw new DstackError("the token is empty", "bad_config", 400);
  const file = configPath(where);
  const doc = readConfigDocument(file);
  // `profiles:` or `name:` with nothing under it reads as null; a mapping has to replace it before keys go in.
  if (!isMap(doc.get("profiles", true))) doc.set("profiles", doc.createNode({}));
  if (!isMap(doc.getIn(["profiles", name], true))) doc.setIn(["profiles", name], doc.createNode({}));
  doc.setIn(["profiles", name, "token"], profile.token);
  doc.setIn(["profiles", name, "server"], profile.server);
  doc.setIn(["profiles", name, "user"], profile.user);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, doc.toString(), true);
  return file;
}

export interface ProfileStoreOptions
  extends Partial<Omit<HttpStoreOptions, "server" | "user" | "token">>,
    ConfigLookup {
  /** Profile name; default `default`. */
  profile?: string;
}

/**
 * An HttpStore for a profile of the config file `dstack config add` writes: `$DSTACK_CONFIG`, else a project's
 * `.dstack/config.yaml`, else `~/.dstack/config.yaml`.
 * @example setDefaultStore(createProfileStore({ profile: "work" }));
 */
export function createProfileStore(options: ProfileStoreOptions = {}): HttpStore {
  const { profile: name = DEFAULT_PROFILE, file, env, cwd, home, ...http } = options;
  const lookup: ConfigLookup = { file, env, cwd, home };
  const location = locateConfig(lookup);
  const entry = listProfiles({ file: location.file }).find((p) => p.name === name);
  if (!entry) {
    throw new DstackError(
      `no profile "${name}" in ${describeConfig(location)}: run \`dstack config add ${name === DEFAULT_PROFILE ? "" : `${name} `}` +
        "--token TOKEN --user USER --server http://localhost:8080/api` (`dstack server start` prints this line), " +
        "or pass { store }",
      "no_profile",
      400,
    );
  }
  if (entry.problem !== undefined || entry.token === undefined || entry.server === undefined) {
    throw new DstackError(
      `profile "${name}" in ${describeConfig(location)} cannot be used: ${entry.problem}`,
      "bad_profile",
      400,
    );
  }
  return createHttpStore({ ...http, server: entry.server, user: entry.user, token: entry.token });
}
