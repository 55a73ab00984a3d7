// The `dstack` command as a function: `main(argv, io)` runs one command against the given streams, environment,
// current folder and home, and resolves with the exit code. The bin (cli.ts) passes the process's own; tests pass
// their own and run it in-process.
import { statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { chooseAttachment } from "../client/pull";
import { DstackError } from "../model/errors";
import type { AttachmentPush, FramePush } from "../model/types";
import {
  type ConfigLookup,
  createProfileStore,
  DEFAULT_PROFILE,
  describeConfig,
  listProfiles,
  locateConfig,
  writeProfile,
} from "./config";
import { fileAttachment } from "./fileAttachment";
import { openFileUserRegistry } from "./fileUserRegistry";
import { createProgressBar } from "./progressBar";
import { describeParams, paramsOf, parsePushArgs, readManifest, UsageError } from "./pushArgs";
import { DEFAULT_PORT, DEFAULT_USER, networkUrls, startServer, usersFile } from "./server";

export const USAGE = `Usage:
  dstack server start [--port 8080] [--home DIR] [--host 127.0.0.1] [--app DIR] [--public-url URL]
                      [--database URL [--instance-url URL]]
  dstack server migrate --from HOME --database URL
  dstack user add NAME [--home DIR | --database URL]
  dstack config add [NAME] --token TOKEN --user USER --server URL [--file FILE]
  dstack config list [--file FILE]
  dstack push FILE STACK [--param KEY=VALUE ...] [--description TEXT] [FRAME OPTIONS]
  dstack push STACK FILE [--param KEY=VALUE ...] [--description TEXT] [FILE [--param ...] ...] [FRAME OPTIONS]
  dstack push [STACK] --manifest FILE [FRAME OPTIONS]
  dstack pull STACK [--param KEY=VALUE ...] [--frame ID] [-o FILE] [--profile NAME]

FRAME OPTIONS: [--message TEXT] [--private] [--profile NAME]

Data lives under HOME/.dstack (HOME: --home, default your home folder), or in PostgreSQL with --database
postgres://USER@HOST:PORT/DB (default $DSTACK_DATABASE_URL), where any number of servers act as one; server
migrate copies a HOME's data into such a database (again: only what is missing). Client profiles are read from
$DSTACK_CONFIG when set, else .dstack/config.yaml in the current folder when it exists, else
~/.dstack/config.yaml. NAME (or --profile) picks a profile; default "default".
push STACK FILE ... makes one frame with an attachment per file: --param and --description after a file are that
file's, those before the first file every file's. A stack name has no dots; write ./FILE when a file has none.
Param values that read as numbers or true/false are typed; quote them ('year="2020"') to keep text.
FILE types: .csv (a pandas dataframe), .json (plotly and bokeh recognised), .png, .jpg, .svg, .md, .txt; others
are pushed as bytes.`;

/** Uploads at least this large get a progress bar. */
const PROGRESS_MIN_BYTES = 2_000_000;

export interface CliStream {
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  /** Read for DSTACK_CONFIG. */
  env: Record<string, string | undefined>;
  /** Relative paths (files, -o, --file, the project's .dstack) are resolved against it. */
  cwd: string;
  /** The default of --home, and where ~/.dstack/config.yaml is. */
  home: string;
}

/** This process's streams, environment, folder and home. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), home: homedir() };
}

type OptionSpec = Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>;

/** Parses `args` by `spec`, allowing at most the named positionals (extra ones are refused, never ignored). */
function options<T extends OptionSpec>(args: string[], spec: T, names: readonly string[]) {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args, options: spec, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const extra = parsed.positionals.slice(names.length);
  if (extra.length > 0) {
    const takes = names.length === 0 ? "takes no arguments" : `takes ${names.join(" ")}`;
    throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}: this command ${takes}`);
  }
  return parsed;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === "") throw new UsageError(`${flag} is required`);
  return value;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

class Cli {
  constructor(readonly io: CliIo) {}

  private out(text: string | Uint8Array): void {
    this.io.stdout.write(text);
  }

  private err(text: string): void {
    this.io.stderr.write(text);
  }

  private lookup(file?: string): ConfigLookup {
    const { env, cwd, home } = this.io;
    return file === undefined ? { env, cwd, home } : { file, env, cwd, home };
  }

  private store(profile: string | undefined) {
    return createProfileStore({ ...this.lookup(), profile: profile ?? DEFAULT_PROFILE });
  }

  async serverStart(args: string[]): Promise<void> {
    const { values } = options(
      args,
      {
        port: { type: "string" },
        home: { type: "string" },
        host: { type: "string" },
        app: { type: "string" },
        "public-url": { type: "string" },
        database: { type: "string" },
        "instance-url": { type: "string" },
      },
      [],
    );
    const database = this.database(values.database);
    const instanceUrl = values["instance-url"]?.replace(/\/+$/, "");
    if (instanceUrl !== undefined && (database === undefined || !/^https?:\/\/[^/?#\s]+$/.test(instanceUrl)))
      throw new UsageError("--instance-url takes http(s)://host:port, and only with --database");
    const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`bad --port ${values.port}`);
    const host = values.host ?? "127.0.0.1";
    const home = values.home === undefined ? this.io.home : resolve(this.io.cwd, values.home);
    const serverOptions: Parameters<typeof startServer>[0] = { port, host, home };
    if (database !== undefined) serverOptions.database = database;
    if (instanceUrl !== undefined) serverOptions.instanceUrl = instanceUrl;
    if (values.app !== undefined) serverOptions.appDir = resolve(this.io.cwd, values.app);
    const publicUrl = values["public-url"]?.replace(/\/+$/, "");
    if (publicUrl !== undefined) {
      if (!/^https?:\/\/[^/?#\s]+$/.test(publicUrl))
        throw new UsageError(`--public-url must be http(s)://host[:port], got ${publicUrl}`);
      serverOptions.publicUrl = publicUrl;
    }
    const server = await startServer(serverOptions).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE")
        throw new DstackError(`port ${port} is in use: pick another with --port`, "port_in_use", 400);
      throw error;
    });
    const lan = host === "0.0.0.0" || host === "::" ? networkUrls(server.port) : [];
    // Behind a proxy, only the public address is worth printing.
    const bases = publicUrl ? [publicUrl] : [server.url, ...lan];
    const apiUrl = publicUrl ? `${publicUrl}${server.handler.basePath}` : server.apiUrl;
    const login = (base: string) => `${base}/auth/verify?user=${DEFAULT_USER}&code=${server.loginCode}`;
    this.out(
      `dstack server is running (data in ${server.database ?? `${server.home}/.dstack`})\n\n` +
        "To access the application, open one of these URLs in your browser:\n" +
        bases.map((base) => `    ${login(base)}\n`).join("") +
        "\nTo configure a client (this CLI, dstack-py, Node scripts), run:\n" +
        `    dstack config add --token ${server.token} --user ${DEFAULT_USER} --server ${apiUrl}\n\n` +
        "Press Ctrl+C to stop.\n",
    );
    const stop = () => {
      void server.close().then(() => process.exit(0));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  }

  /** --database, else $DSTACK_DATABASE_URL; checked to be a PostgreSQL URL. */
  private database(flag: string | undefined): string | undefined {
    const url = flag ?? (this.io.env.DSTACK_DATABASE_URL || undefined);
    if (url !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(url))
      throw new UsageError(`--database must be a postgres://USER@HOST:PORT/DB URL, got ${url}`);
    return url;
  }

  async serverMigrate(args: string[]): Promise<void> {
    const { values } = options(args, { from: { type: "string" }, database: { type: "string" } }, []);
    const home = resolve(this.io.cwd, required(values.from, "--from"));
    const database = required(this.database(values.database), "--database");
    const { migrateHomeToPostgres } = await import("./postgres/migrateHome");
    const report = await migrateHomeToPostgres({ home, database, log: (line) => this.err(`${line}\n`) });
    this.out(
      `Copied ${home}/.dstack into the database: ${report.stacks} stacks (${report.frames} new frames), ` +
        `${report.dashboards} dashboards, ${report.users} users.\n`,
    );
  }

  async userAdd(args: string[]): Promise<void> {
    const { values, positionals } = options(args, { home: { type: "string" }, database: { type: "string" } }, ["NAME"]);
    const name = required(positionals[0], "NAME");
    if (values.home !== undefined && values.database !== undefined)
      throw new UsageError("give --home or --database, not both");
    const database = values.home === undefined ? this.database(values.database) : undefined;
    let token: string;
    if (database !== undefined) {
      const { addDatabaseUser } = await import("./postgres/serverBackend");
      token = await addDatabaseUser(database, name);
    } else {
      const home = values.home === undefined ? this.io.home : resolve(this.io.cwd, values.home);
      const users = openFileUserRegistry(usersFile(home));
      users.addUser(name);
      await users.flush();
      // The token in the file: another process may have added the same user at the same moment.
      token = users.tokenOf(name) as string;
    }
    this.out(`${token}\n`);
    this.err(
      `User ${name} added. To configure a client for it, run:\n` +
        `    dstack config add --token ${token} --user ${name} --server http://localhost:${DEFAULT_PORT}/api\n`,
    );
  }

  /** `config add [NAME]`: a new profile needs all three fields; an existing one keeps those not given. */
  async configAdd(args: string[]): Promise<void> {
    const { values, positionals } = options(
      args,
      {
        token: { type: "string" },
        user: { type: "string" },
        server: { type: "string" },
        profile: { type: "string" },
        file: { type: "string" },
      },
      ["[NAME]"],
    );
    const [positional] = positionals;
    if (positional !== undefined && values.profile !== undefined && positional !== values.profile) {
      throw new UsageError(`two profile names: ${positional} and --profile ${values.profile}`);
    }
    const name = positional ?? values.profile ?? DEFAULT_PROFILE;
    const lookup = this.lookup(values.file);
    const location = locateConfig(lookup);
    const existing = listProfiles({ file: location.file }).find((p) => p.name === name);
    const given = (value: string | undefined) => (value === "" ? undefined : value);
    const token = given(values.token) ?? existing?.token;
    const server = given(values.server) ?? existing?.server;
    const user = given(values.user) ?? (existing ? existing.user : undefined);
    const profile = {
      token: required(token, "--token"),
      user: required(user, "--user"),
      server: required(server, "--server").replace(/\/+$/, ""),
    };
    await writeProfile(name, profile, { file: location.file });
    this.out(`Profile ${name} saved to ${describeConfig(location)}\n`);
  }

  configList(args: string[]): void {
    const { values } = options(args, { file: { type: "string" } }, []);
    const location = locateConfig(this.lookup(values.file));
    const profiles = listProfiles({ file: location.file });
    if (profiles.length === 0) {
      this.out(`No profiles in ${describeConfig(location)}\n`);
      return;
    }
    this.out(`Profiles in ${describeConfig(location)}:\n`);
    for (const p of profiles) {
      const token = p.token === undefined ? "(none)" : `${p.token.slice(0, 4)}…`;
      let line = `${p.name}\tuser ${p.user}\tserver ${p.server ?? "(none)"}\ttoken ${token}`;
      if (p.problem !== undefined) line += `\tcannot be used: ${p.problem}`;
      if (p.note !== undefined) line += `\tnote: ${p.note}`;
      this.out(`${line}\n`);
    }
  }

  async push(args: string[]): Promise<void> {
    const { cwd } = this.io;
    const plan = parsePushArgs(args, (path) => isFile(resolve(cwd, path)));
    let { stack, message } = plan;
    let isPrivate = plan.private;
    let files = plan.files;
    if (plan.manifest !== undefined) {
      const manifest = await readManifest(resolve(cwd, plan.manifest));
      stack ??= manifest.stack;
      message ??= manifest.message;
      isPrivate ||= manifest.private === true;
      files = manifest.files;
    }
    if (stack === undefined) throw new UsageError("no STACK: give it after push or as `stack:` in the manifest");
    const several = files.length > 1;
    const attachments: AttachmentPush[] = [];
    for (const [i, entry] of files.entries()) {
      attachments.push(await fileAttachment(resolve(cwd, entry.path), entry.description, entry.params));
      if (several) this.err(`[${i + 1}/${files.length}] ${entry.file} ${describeParams(entry.params)}\n`);
    }
    const store = this.store(plan.profile);
    const size = attachments.reduce((n, a) => n + (a.data instanceof Blob ? a.data.size : a.data.byteLength), 0);
    const label = several ? `${files.length} files` : (files[0]?.file ?? "");
    const bar = size >= PROGRESS_MIN_BYTES ? createProgressBar(`Uploading ${label}`, this.io.stderr) : undefined;
    const frame: FramePush = { stack, attachments };
    if (message !== undefined) frame.message = message;
    if (isPrivate) frame.private = true;
    const result = await store.push(frame, bar ? { onUpload: (sent, total) => bar.update(sent, total) } : {});
    bar?.done();
    this.out(`${result.url}\n`);
  }

  async pull(args: string[]): Promise<void> {
    const { values, positionals } = options(
      args,
      {
        param: { type: "string", multiple: true },
        frame: { type: "string" },
        output: { type: "string", short: "o" },
        profile: { type: "string" },
      },
      ["STACK"],
    );
    const stack = required(positionals[0], "STACK");
    const params = paramsOf(values.param ?? []);
    const store = this.store(values.profile);
    const frame =
      values.frame === undefined ? (await store.getStack(stack)).head : await store.getFrame(stack, values.frame);
    if (!frame) throw new DstackError(`${stack} has no frames`, "empty_stack", 404);
    const index = chooseAttachment(frame, params, `${stack} (frame ${frame.id})`);
    const bytes = new Uint8Array(await (await store.getAttachment(stack, frame.id, index)).arrayBuffer());
    if (values.output === undefined) {
      this.out(bytes);
      return;
    }
    await writeFile(resolve(this.io.cwd, values.output), bytes);
    const type = frame.attachments[index]?.contentType ?? "";
    this.err(`Saved ${bytes.length} bytes (${type}) to ${values.output}\n`);
  }

  /** Runs one command; resolves when it is done (a server keeps running). */
  async run(argv: string[]): Promise<void> {
    const [command, sub, ...rest] = argv;
    const beforeEnd = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
    if (command === undefined || command === "help" || beforeEnd.includes("--help") || beforeEnd.includes("-h")) {
      this.out(`${USAGE}\n`);
      return;
    }
    if (command === "server" && sub === "start") return this.serverStart(rest);
    if (command === "server" && sub === "migrate") return this.serverMigrate(rest);
    if (command === "user" && sub === "add") return this.userAdd(rest);
    if (command === "config" && sub === "add") return this.configAdd(rest);
    if (command === "config" && sub === "list") return this.configList(rest);
    if (command === "push") return this.push(argv.slice(1));
    if (command === "pull") return this.pull(argv.slice(1));
    throw new UsageError(`unknown command: ${argv.slice(0, 2).join(" ")}`);
  }
}

/** Runs `dstack ...argv`; resolves with the exit code (2: a usage mistake, 1: any other failure). */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    await new Cli(io).run(argv);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`dstack: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    io.stderr.write(`dstack: ${(error as Error)?.message ?? error}\n`);
    return 1;
  }
}
