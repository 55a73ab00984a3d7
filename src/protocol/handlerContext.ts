// The state one handler shares between its route groups: the store, who may do what, unfinished pushes, download
// links and their revocations, limits and the clock. Built once per `createDstackHandler`, from its options.
import type { Context } from "hono";
import type { ReadOptions, StackStore } from "../model/stackStore";
import { type Access, type Caller, createAccess } from "./access";
import { createDownloadLinks, type DownloadLinks } from "./downloadLinks";
import type { DstackHandlerOptions } from "./handlerOptions";
import type { PushSessionStore } from "./pushSessionStore";
import { createPushSessions } from "./pushSessions";
import { readJsonObject } from "./readBody";
import { createRevocations, type Revocations } from "./revocations";
import { createSessionCookies, type SessionCookies } from "./sessionCookies";
import { createUrlSigner } from "./signedUrl";
import { type BlobStaging, memoryStaging } from "./staging";
import type { UserRegistry } from "./users";
import { createVisibility, type Visibility } from "./visibility";

const MiB = 1024 * 1024;
const HOUR = 60 * 60 * 1000;

export interface HandlerLimits {
  maxBodyBytes: number;
  maxAttachmentBytes: number;
  maxAttachments: number;
  inlineBytes: number;
  previewBytes: number;
  uploadTtlMs: number;
}

export interface HandlerContext {
  store: StackStore;
  /** A store acting for `user` (dashboards are created by their owner's store). */
  storeFor(user: string): StackStore | undefined;
  users: UserRegistry | undefined;
  access: Access;
  visible: Visibility;
  sessions: PushSessionStore;
  staging: BlobStaging;
  links: DownloadLinks;
  revocations: Revocations;
  /** Browser sessions of the app the server serves (cookies exchanged for login codes). */
  sessionCookies: SessionCookies;
  limits: HandlerLimits;
  now: () => number;
  /** `/api`, or "" at the root. */
  basePath: string;
  /** Origin of the URLs handed out (`url`, `upload_url`, `download_url`), without a trailing `/`. */
  originOf(request: Request): string;
  /** The caller of a read (anonymous where anonymous reads are on). */
  reader(c: Context): Promise<Caller>;
  /** The caller of a change (always a user). */
  writer(c: Context): Promise<Caller>;
  /** The JSON object body, within `maxBodyBytes`. */
  body(c: Context): Promise<Record<string, unknown>>;
  /** Store reads for this request stop when its client hangs up. */
  readOptions(c: Context): ReadOptions;
}

/** `api`, `/api/`, `/` → `/api`, `/api`, "". */
export function normalizeBasePath(basePath: string | undefined): string {
  return `/${(basePath ?? "/api").replace(/^\/+|\/+$/g, "")}`.replace(/^\/$/, "");
}

export function createHandlerContext(options: DstackHandlerOptions): HandlerContext {
  const { store, users } = options;
  const now = options.now ?? Date.now;
  const limits: HandlerLimits = {
    maxBodyBytes: options.maxBodyBytes ?? 8 * MiB,
    maxAttachmentBytes: options.maxAttachmentBytes ?? 1024 * MiB,
    maxAttachments: options.maxAttachments ?? 10_000,
    inlineBytes: options.inlineBytes ?? 1_000_000,
    previewBytes: options.previewBytes ?? 100_000,
    uploadTtlMs: options.uploadTtlMs ?? HOUR,
  };
  const staging = options.staging ?? memoryStaging;
  const signer = createUrlSigner(options.secret);
  const originOf = (request: Request) => (options.publicUrl ?? new URL(request.url).origin).replace(/\/+$/, "");
  const sessionCookies = createSessionCookies(signer, users, now);
  const access = createAccess({
    users,
    openUser: store.user,
    anonymousReads: options.anonymousReads ?? false,
    sessions: sessionCookies,
    ownOrigins: (request) => [new URL(originOf(request)).origin, new URL(request.url).origin],
  });
  return {
    store,
    storeFor: options.storeFor ?? ((user: string) => (user === store.user ? store : undefined)),
    users,
    access,
    visible: createVisibility(store, access),
    sessions: (options.pushSessions ?? ((l) => createPushSessions(l, staging)))({
      ttlMs: limits.uploadTtlMs,
      maxSessions: options.maxOpenPushes ?? 64,
      maxBytes: options.maxOpenPushBytes ?? 8 * 1024 * MiB,
      now,
    }),
    staging,
    links: createDownloadLinks(signer, options.downloadTtlMs ?? HOUR, now),
    sessionCookies,
    revocations: createRevocations(users, now),
    limits,
    now,
    basePath: normalizeBasePath(options.basePath),
    originOf,
    reader: (c) => access.callerOf(c.req.raw, true),
    writer: (c) => access.callerOf(c.req.raw, false),
    body: (c) => readJsonObject(c.req.raw, limits.maxBodyBytes),
    readOptions: (c) => ({ signal: c.req.raw.signal }),
  };
}
