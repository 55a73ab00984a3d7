// The reference server: node:http around the protocol handler, over a file store and a persisted user
// registry under HOME/.dstack (or both in PostgreSQL with `database`). The default user `dstack` is created on
// first start; its token persists.
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { homedir, networkInterfaces, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { StackStore } from "../model/stackStore";
import { createDstackHandler, type DstackHandler, type DstackHandlerOptions } from "../protocol/handler";
import { createFileStaging } from "./fileStaging";
import { createFileStore, type FileStore } from "./fileStore";
import { type FileUserRegistry, openFileUserRegistry } from "./fileUserRegistry";
import { nodeListener } from "./nodeHttp";
import { createStaticHandler } from "./staticFiles";

export const DEFAULT_USER = "dstack";
export const DEFAULT_PORT = 8080;

export interface StartServerOptions
  extends Pick<
    DstackHandlerOptions,
    | "maxBodyBytes"
    | "maxAttachmentBytes"
    | "anonymousReads"
    | "inlineBytes"
    | "publicUrl"
    | "maxOpenPushes"
    | "maxOpenPushBytes"
  > {
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1 (use 0.0.0.0 to serve the network). */
  host?: string;
  /** Data goes under `HOME/.dstack`; default the user's home. */
  home?: string;
  /** A built host app to serve at `/` (single-page fallback to index.html). */
  appDir?: string;
  /** fsync before every commit (default true); false is faster and still crash-safe, but not power-loss-safe. */
  fsync?: boolean;
  /** A client must send its request line and headers within this; default 30 s. */
  headersTimeoutMs?: number;
  /** A request body that sends nothing for this long while the server waits for it gets a 408; default 30 s. */
  bodyIdleTimeoutMs?: number;
  /** Unexpected errors (500s) are reported here; default stderr. */
  log?: (message: string) => void;
  /**
   * `postgres://USER@HOST:PORT/DB`: keep everything (stacks, users, tokens, shares, the URL-signing secret) in
   * PostgreSQL instead of under `home`, so several instances on the database act as one server. Needs `pg`.
   */
  database?: string;
  /**
   * Accepted and unused: instances once passed upload requests to the instance holding the push; unfinished
   * pushes now live in the database, so every instance takes every request.
   */
  instanceUrl?: string;
}

/** Where the server keeps stacks and dashboards: the file store, or PostgreSQL with `database`. */
export type ServerStore = StackStore & { forUser(user: string): StackStore; ready(): Promise<void> };

export interface DstackServer {
  /** `http://localhost:PORT`. */
  readonly url: string;
  /** `http://localhost:PORT/api`: what clients are configured with. */
  readonly apiUrl: string;
  readonly port: number;
  readonly home: string;
  /** The default user and its token (persisted across restarts). */
  readonly user: string;
  readonly token: string;
  /** A login code for the default user, new on every start, and the URL that uses it. */
  readonly loginCode: string;
  readonly loginUrl: string;
  readonly users: FileUserRegistry;
  readonly store: ServerStore;
  /** With `database`: its URL without the password. */
  readonly database?: string;
  readonly handler: DstackHandler;
  /** Creates a user (or returns the existing one's token). */
  addUser(name: string): string;
  close(): Promise<void>;
}

/** Where the server keeps users, tokens and shares. */
export const usersFile = (home: string) => join(resolve(home), ".dstack", "server", "users.json");

/** URLs of this machine's non-internal IPv4 interfaces, for the banner when listening on all of them. */
export function networkUrls(port: number): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const net of list ?? []) if (net.family === "IPv4" && !net.internal) out.push(`http://${net.address}:${port}`);
  }
  return out;
}

/**
 * Starts the dstack API server (`/api`) on node:http, with data under `HOME/.dstack`.
 * @example const server = await startServer({ port: 0, home: tmpDir }); console.log(server.apiUrl, server.token);
 */
export async function startServer(options: StartServerOptions = {}): Promise<DstackServer> {
  const home = resolve(options.home ?? homedir());
  let users: FileUserRegistry;
  let store: ServerStore;
  let token: string;
  let loginCode: string;
  let uploads: string;
  let closeData = async () => {};
  let database: string | undefined;
  let pushSessions: DstackHandlerOptions["pushSessions"];
  if (options.database) {
    // Loaded only here: the file-store server never needs `pg`.
    const { openPostgresBackend } = await import("./postgres/serverBackend");
    const backend = await openPostgresBackend(options.database, DEFAULT_USER);
    ({ users, store, token, loginCode } = backend);
    database = backend.where;
    // Unfinished pushes and their bytes live in the database (any instance finishes any push); the folder below
    // is never used, only named.
    uploads = join(tmpdir(), `dstack-uploads-${randomUUID()}`);
    closeData = backend.close;
    pushSessions = backend.pushSessions;
  } else {
    users = openFileUserRegistry(usersFile(home));
    token = users.addUser(DEFAULT_USER);
    loginCode = users.newLoginCode(DEFAULT_USER);
    await users.flush();
    const fsync = options.fsync ?? true;
    const fileStore: FileStore = createFileStore({ home, user: DEFAULT_USER, fsync });
    store = fileStore;
    // Half-written frames of killed writers go, and folders of older versions move, before the first request.
    await store.ready();
    uploads = join(home, ".dstack", "server", "uploads");
  }
  const views = new Map<string, StackStore>();
  // Staged uploads of a previous run belong to pushes that can no longer finish.
  rmSync(uploads, { recursive: true, force: true });
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const handlerOptions: DstackHandlerOptions = {
    store,
    users,
    storeFor: (user) => {
      const view = views.get(user) ?? store.forUser(user);
      views.set(user, view);
      return view;
    },
    staging: createFileStaging(uploads),
    ...(pushSessions ? { pushSessions } : {}),
    secret: users.secret,
    onError: (error, request) =>
      log(`dstack server: ${request.method} ${request.url}: ${(error as Error)?.stack ?? error}`),
  };
  const passed = [
    "maxBodyBytes",
    "maxAttachmentBytes",
    "anonymousReads",
    "inlineBytes",
    "publicUrl",
    "maxOpenPushes",
    "maxOpenPushBytes",
  ] as const;
  for (const key of passed) {
    if (options[key] !== undefined) Object.assign(handlerOptions, { [key]: options[key] });
  }
  const handler = createDstackHandler(handlerOptions);
  const statics = createStaticHandler(options.appDir, handler.basePath);
  const api = `${handler.basePath}/`;
  const route = (request: Request) => {
    const { pathname } = new URL(request.url);
    return pathname === handler.basePath || pathname.startsWith(api) ? handler(request) : statics(request);
  };
  const host = options.host ?? "127.0.0.1";
  const originOf = (req: IncomingMessage) => `http://${req.headers.host ?? `${host}:${options.port ?? DEFAULT_PORT}`}`;
  const headersTimeout = options.headersTimeoutMs ?? 30_000;
  const server: Server = createServer(
    // Node checks header deadlines on this interval (30 s by default, which would stretch a short deadline).
    {
      headersTimeout,
      requestTimeout: 0,
      connectionsCheckingInterval: Math.max(50, Math.min(headersTimeout / 4, 30_000)),
    },
    nodeListener(route, originOf, { bodyIdleTimeoutMs: options.bodyIdleTimeoutMs ?? 30_000 }),
  );
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off("error", reject);
      resolveListen();
    });
  }).catch(async (error: unknown) => {
    // A port in use: the database connections must not keep the process alive.
    await closeData().catch(() => {});
    throw error;
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? DEFAULT_PORT);
  const url = `http://localhost:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    apiUrl: `${url}${handler.basePath}`,
    port,
    home,
    user: DEFAULT_USER,
    token,
    loginCode,
    loginUrl: `${url}/auth/verify?user=${DEFAULT_USER}&code=${loginCode}`,
    users,
    store,
    handler,
    ...(database ? { database } : {}),
    addUser: (name) => users.addUser(name),
    close() {
      closing ??= (async () => {
        await new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
        await handler.close();
        await users.flush();
        await closeData();
        if (database) rmSync(uploads, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
