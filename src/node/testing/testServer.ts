// A real server for a test file: node:http on 127.0.0.1, a random port, data in a temp HOME.
import { afterAll, beforeAll } from "vitest";
import { createHttpStore, type HttpStore } from "../../storage/httpStore";
import { type DstackServer, type StartServerOptions, startServer } from "../server";
import { tempHomes } from "./tempHome";
import { testServerDatabase } from "./testServerDatabase";

export interface TestServer {
  readonly server: DstackServer;
  readonly home: string;
  /** A new user with a store of its own. */
  store(user: string): HttpStore;
  /** Raw protocol call: status and parsed JSON (or text). */
  api(method: string, path: string, options?: ApiOptions): Promise<ApiResult>;
}

export interface ApiOptions {
  token?: string | null;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
}

export interface ApiResult {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

/** Raw call against `base` (an API URL or any absolute URL when `path` is absolute). */
export async function call(base: string, method: string, path: string, options: ApiOptions = {}): Promise<ApiResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body = options.body;
  if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    body = typeof options.json === "string" ? options.json : JSON.stringify(options.json);
  }
  const url = /^https?:/.test(path) ? path : `${base}${path}`;
  const init: RequestInit & { duplex?: "half" } = { method, headers };
  if (body !== undefined) init.body = body;
  if (body instanceof ReadableStream) init.duplex = "half";
  const response = await fetch(url, init);
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {}
  return { status: response.status, body: parsed, text };
}

export function setupTestServer(options: Omit<StartServerOptions, "home" | "port"> = {}): TestServer {
  const newHome = tempHomes();
  let server: DstackServer | undefined;
  let home = "";
  beforeAll(async () => {
    home = newHome();
    const database = await testServerDatabase();
    server = await startServer({
      port: 0,
      host: "127.0.0.1",
      fsync: false,
      ...options,
      home,
      ...(database && { database }),
    });
  });
  afterAll(() => server?.close());
  const ready = () => {
    if (!server) throw new Error("the test server is not started yet (use it inside tests)");
    return server;
  };
  return {
    get server() {
      return ready();
    },
    get home() {
      return home;
    },
    store(user) {
      const s = ready();
      return createHttpStore({ server: s.apiUrl, user, token: s.addUser(user) });
    },
    api(method, path, apiOptions) {
      return call(ready().apiUrl, method, path, apiOptions);
    },
  };
}
