#!/usr/bin/env node
// The `dstack` command: run a server, manage users and client profiles, push and pull files.
import { writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { parseArgs } from "node:util";
import { chooseAttachment } from "../client/pull";
import { DstackError } from "../model/errors";
import type { Params } from "../model/params";
import { configPath, createProfileStore, DEFAULT_PROFILE, readProfiles, writeProfile } from "./config";
import { fileAttachment } from "./fileAttachment";
import { openFileUserRegistry } from "./fileUserRegistry";
import { createProgressBar } from "./progressBar";
import { DEFAULT_PORT, DEFAULT_USER, networkUrls, startServer, usersFile } from "./server";

const USAGE = `Usage:
  dstack server start [--port 8080] [--home DIR] [--host 127.0.0.1] [--app DIR] [--public-url URL]
  dstack user add NAME [--home DIR]
  dstack config add --token TOKEN --user USER --server URL [--profile NAME]
  dstack config list
  dstack push FILE STACK [--description TEXT] [--message TEXT] [--param KEY=VALUE ...] [--profile NAME]
  dstack pull STACK [--param KEY=VALUE ...] [--frame ID] [-o FILE] [--profile NAME]

Data lives under HOME/.dstack (HOME: --home, default your home folder). Client profiles are in
~/.dstack/config.yaml. Param values that read as numbers or true/false are typed; quote them ("1") to keep text.
FILE types: .csv (a pandas dataframe), .json (plotly and bokeh recognised), .png, .jpg, .svg, .md, .txt; others
are pushed as bytes.`;

/** Uploads at least this large get a progress bar. */
const PROGRESS_MIN_BYTES = 2_000_000;

class UsageError extends Error {}

/** `KEY=VALUE`: numbers and true/false are typed, `"..."` is a JSON string, anything else text. */
function parseParam(text: string): [string, string | number | boolean] {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new UsageError(`--param needs KEY=VALUE, got ${JSON.stringify(text)}`);
  const key = text.slice(0, eq);
  const raw = text.slice(eq + 1);
  if (raw === "true" || raw === "false") return [key, raw === "true"];
  if (/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw)) return [key, Number(raw)];
  if (/^".*"$/s.test(raw)) {
    try {
      return [key, JSON.parse(raw) as string];
    } catch {}
  }
  return [key, raw];
}

function paramsOf(list: string[] | undefined): Params {
  return Object.fromEntries((list ?? []).map(parseParam));
}

function options<T extends Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>>(
  args: string[],
  spec: T,
) {
  try {
    return parseArgs({ args, options: spec, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === "") throw new UsageError(`${flag} is required`);
  return value;
}

async function serverStart(args: string[]): Promise<void> {
  const { values } = options(args, {
    port: { type: "string" },
    home: { type: "string" },
    host: { type: "string" },
    app: { type: "string" },
    "public-url": { type: "string" },
  });
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`bad --port ${values.port}`);
  const host = values.host ?? "127.0.0.1";
  const serverOptions: Parameters<typeof startServer>[0] = { port, host, home: values.home ?? homedir() };
  if (values.app !== undefined) serverOptions.appDir = values.app;
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
  process.stdout.write(
    `dstack server is running (data in ${server.home}/.dstack)\n\n` +
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

async function userAdd(args: string[]): Promise<void> {
  const { values, positionals } = options(args, { home: { type: "string" } });
  const name = required(positionals[0], "NAME");
  const users = openFileUserRegistry(usersFile(values.home ?? homedir()));
  users.addUser(name);
  await users.flush();
  // The token in the file: another process may have added the same user at the same moment.
  const token = users.tokenOf(name) as string;
  process.stdout.write(`${token}\n`);
  process.stderr.write(
    `User ${name} added. To configure a client for it, run:\n` +
      `    dstack config add --token ${token} --user ${name} --server http://localhost:${DEFAULT_PORT}/api\n`,
  );
}

async function configAdd(args: string[]): Promise<void> {
  const { values } = options(args, {
    token: { type: "string" },
    user: { type: "string" },
    server: { type: "string" },
    profile: { type: "string" },
  });
  const profile = values.profile ?? DEFAULT_PROFILE;
  const file = await writeProfile(profile, {
    token: required(values.token, "--token"),
    user: required(values.user, "--user"),
    server: required(values.server, "--server").replace(/\/+$/, ""),
  });
  process.stdout.write(`Profile ${profile} saved to ${file}\n`);
}

function configList(): void {
  const profiles = Object.entries(readProfiles());
  if (profiles.length === 0) {
    process.stdout.write(`No profiles in ${configPath()}\n`);
    return;
  }
  for (const [name, p] of profiles) {
    process.stdout.write(`${name}\tuser ${p.user}\tserver ${p.server}\ttoken ${p.token.slice(0, 4)}…\n`);
  }
}

async function push(args: string[]): Promise<void> {
  const { values, positionals } = options(args, {
    description: { type: "string" },
    message: { type: "string" },
    param: { type: "string", multiple: true },
    profile: { type: "string" },
  });
  const file = required(positionals[0], "FILE");
  const stack = required(positionals[1], "STACK");
  const attachment = await fileAttachment(file, values.description, paramsOf(values.param));
  const store = createProfileStore({ profile: values.profile ?? DEFAULT_PROFILE });
  const size = attachment.data instanceof Blob ? attachment.data.size : attachment.data.byteLength;
  const bar = size >= PROGRESS_MIN_BYTES ? createProgressBar(`Uploading ${file}`) : undefined;
  const frame =
    values.message === undefined
      ? { stack, attachments: [attachment] }
      : { stack, attachments: [attachment], message: values.message };
  const result = await store.push(frame, bar ? { onUpload: (sent, total) => bar.update(sent, total) } : {});
  bar?.done();
  process.stdout.write(`${result.url}\n`);
}

async function pull(args: string[]): Promise<void> {
  const { values, positionals } = options(args, {
    param: { type: "string", multiple: true },
    frame: { type: "string" },
    output: { type: "string", short: "o" },
    profile: { type: "string" },
  });
  const stack = required(positionals[0], "STACK");
  const store = createProfileStore({ profile: values.profile ?? DEFAULT_PROFILE });
  const frame =
    values.frame === undefined ? (await store.getStack(stack)).head : await store.getFrame(stack, values.frame);
  if (!frame) throw new DstackError(`${stack} has no frames`, "empty_stack", 404);
  const index = chooseAttachment(frame, paramsOf(values.param), `${stack} (frame ${frame.id})`);
  const bytes = new Uint8Array(await (await store.getAttachment(stack, frame.id, index)).arrayBuffer());
  if (values.output === undefined) {
    process.stdout.write(bytes);
    return;
  }
  await writeFile(values.output, bytes);
  const type = frame.attachments[index]?.contentType ?? "";
  process.stderr.write(`Saved ${bytes.length} bytes (${type}) to ${values.output}\n`);
}

/** Runs one command; resolves when it is done (a server keeps running). */
async function runCli(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command === "server" && sub === "start") return serverStart(rest);
  if (command === "user" && sub === "add") return userAdd(rest);
  if (command === "config" && sub === "add") return configAdd(rest);
  if (command === "config" && sub === "list") return configList();
  if (command === "push") return push(argv.slice(1));
  if (command === "pull") return pull(argv.slice(1));
  throw new UsageError(`unknown command: ${argv.slice(0, 2).join(" ")}`);
}

runCli(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`dstack: ${error.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`dstack: ${(error as Error)?.message ?? error}\n`);
    process.exitCode = 1;
  }
});
