// What `createDstackHandler` takes and what it returns.
import type { StackStore } from "../model/stackStore";
import type { PushSessionStoreFactory } from "./pushSessionStore";
import type { BlobStaging } from "./staging";
import type { UserRegistry } from "./users";

export interface DstackHandlerOptions {
  /** Where stacks and dashboards live. */
  store: StackStore;
  /**
   * A store acting for `user`: `createDashboard` makes dashboards for its store's user, so a multi-user server
   * needs one per user (the file store gives cheap views). Default: `store` for its own user only.
   */
  storeFor?: (user: string) => StackStore | undefined;
  /** Users, tokens and shares. Without it the handler is open: every request acts as `store.user` with every right. */
  users?: UserRegistry;
  /** Let requests without a token read public stacks and dashboards (a bad token is still a 403). Default false. */
  anonymousReads?: boolean;
  /** Where the API lives; default `/api`. */
  basePath?: string;
  /** Origin used in `url`, `upload_url` and `download_url`; default: the request's own origin. */
  publicUrl?: string;
  /** JSON bodies above this are refused with 413; default 8 MiB (clients switch to uploads at 5,000,000 bytes). */
  maxBodyBytes?: number;
  /** Attachments declaring more than this are refused with 413; default 1 GiB. */
  maxAttachmentBytes?: number;
  /** Default 10,000 attachments per frame. */
  maxAttachments?: number;
  /** Attachments smaller than this come back inline (base64) from /attachs; default 1,000,000 bytes. */
  inlineBytes?: number;
  /** Bytes in a preview of a larger attachment; default 100,000. */
  previewBytes?: number;
  /** Where uploaded bytes wait for the rest of their frame; default in memory. */
  staging?: BlobStaging;
  /**
   * Where unfinished pushes live; default this process's memory, their bytes in `staging`. Instances sharing a
   * database pass one that keeps them there, so any instance takes any request of a push.
   */
  pushSessions?: PushSessionStoreFactory;
  /** Secret for signed download URLs; default random (links die with the process). */
  secret?: string;
  /** How long an unfinished push waits for its uploads; default 1 hour. */
  uploadTtlMs?: number;
  /** How long a download_url stays valid; default 1 hour. */
  downloadTtlMs?: number;
  /** Unfinished pushes (waiting for uploads) one user may hold; default 64. */
  maxOpenPushes?: number;
  /** Bytes one user's unfinished pushes may declare in total; default 8 GiB. */
  maxOpenPushBytes?: number;
  /** The clock (epoch ms) for expiries and revocations; tests inject one. */
  now?: () => number;
  /** Answer CORS preflights and allow any origin (tokens travel in headers, never cookies). Default true. */
  cors?: boolean;
  /** Told about unexpected errors (answered with a bare 500). */
  onError?: (error: unknown, request: Request) => void;
}

export interface DstackHandler {
  (request: Request): Promise<Response>;
  readonly basePath: string;
  /** Drops unfinished pushes and their staged bytes. */
  close(): Promise<void>;
}
