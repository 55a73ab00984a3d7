// Client profiles in ~/.dstack/config.yaml, the file dstack-py reads too:
//
//   profiles:
//     default:
//       token: 1e1b...
//       server: http://localhost:8080/api
//       user: dstack
//
// Other keys in the file are kept as they are when a profile is added.
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { parse, stringify } from "yaml";
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

/** `HOME/.dstack/config.yaml` (HOME: the user's home, i.e. `$HOME` on Linux and macOS). */
export function configPath(home: string = homedir()): string {
  return join(home, ".dstack", "config.yaml");
}

type ConfigFile = { profiles?: Record<string, Partial<Profile> | null> } & Record<string, unknown>;

function readConfigFile(home?: string): ConfigFile {
  const file = configPath(home);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (cause) {
    throw new DstackError(`${file} is not valid YAML: ${(cause as Error).message}`, "bad_config", 400, { cause });
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new DstackError(`${file} must hold a mapping with a 'profiles' key`, "bad_config", 400);
  }
  return value as ConfigFile;
}

/** Every profile in the config file (an empty object when there is none). */
export function readProfiles(home?: string): Record<string, Profile> {
  const out: Record<string, Profile> = {};
  for (const [name, raw] of Object.entries(readConfigFile(home).profiles ?? {})) {
    if (!raw || typeof raw.token !== "string" || typeof raw.server !== "string") continue;
    out[name] = { token: raw.token, server: raw.server, user: typeof raw.user === "string" ? raw.user : "dstack" };
  }
  return out;
}

/** One profile, or undefined when the file or the profile does not exist. */
export function readProfile(name: string = DEFAULT_PROFILE, home?: string): Profile | undefined {
  return readProfiles(home)[name];
}

/** Adds or replaces a profile (file mode 0600: it holds tokens). */
export async function writeProfile(name: string, profile: Profile, home?: string): Promise<string> {
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
  const file = configPath(home);
  const config = readConfigFile(home);
  config.profiles = {
    ...config.profiles,
    [name]: { token: profile.token, server: profile.server, user: profile.user },
  };
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, stringify(config), true);
  return file;
}

export interface ProfileStoreOptions extends Partial<Omit<HttpStoreOptions, "server" | "user" | "token">> {
  /** Profile name; default `default`. */
  profile?: string;
  /** Whose `.dstack/config.yaml`; default the user's home. */
  home?: string;
}

/**
 * An HttpStore for a profile of ~/.dstack/config.yaml (what `dstack config add` writes).
 * @example setDefaultStore(createProfileStore({ profile: "work" }));
 */
export function createProfileStore(options: ProfileStoreOptions = {}): HttpStore {
  const { profile: name = DEFAULT_PROFILE, home, ...http } = options;
  const profile = readProfile(name, home);
  if (!profile) {
    throw new DstackError(
      `no profile "${name}" in ${configPath(home)}: run \`dstack config add --token TOKEN --user USER ` +
        "--server http://localhost:8080/api` (`dstack server start` prints this line), or pass { store }",
      "no_profile",
      400,
    );
  }
  return createHttpStore({ ...http, server: profile.server, user: profile.user, token: profile.token });
}
