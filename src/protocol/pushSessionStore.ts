// Where unfinished pushes live: the pluggable part of the push flow. The handler keeps them in memory by default
// (pushSessions.ts); a server whose instances share a database keeps them there, so any instance takes any
// request of an unfinished push. Every call is async for the second kind.
import type { StackPath } from "../model/stackPath";
import type { PushResult } from "../model/types";
import type { PushSession } from "./pushSessions";

/** What a session store is told by the handler that uses it. */
export interface SessionLimits {
  ttlMs: number;
  /** Unfinished pushes one user may hold open at a time. */
  maxSessions: number;
  /** Bytes one user's unfinished pushes may declare in total. */
  maxBytes: number;
  now: () => number;
}

/**
 * Sessions handed out are snapshots the flow changes and hands back with `save` (the memory store gives its own
 * objects, so saving costs nothing there). A slot whose bytes arrived has a `blob`.
 */
export interface PushSessionStore {
  /** The session of frame `id` of `stack`: open, or committed and kept until it expires (retries get its answer). */
  get(stack: StackPath, id: string): Promise<PushSession | undefined>;
  /** A new empty session (replacing a committed one of the same frame). */
  create(stack: StackPath, id: string, timestamp: number): Promise<PushSession>;
  /** Refuses (429) a change that would leave `user` over its limits; `extraBytes` is what `session` gains. */
  checkQuota(user: string, session: PushSession | undefined, extraBytes: number): Promise<void>;
  /** Gives slot `index` an upload id (once) and answers it. */
  uploadIdFor(session: PushSession, index: number): Promise<string>;
  /** Keeps what the flow changed: fields, slots' metadata, inline bytes (`blob`s set by the flow). */
  save(session: PushSession): Promise<void>;
  /** The session and slot an upload id belongs to, unless unknown or expired. */
  byUpload(uploadId: string): Promise<{ session: PushSession; index: number } | undefined>;
  /**
   * Takes the body of `PUT upload_url` as slot `index`'s bytes. `staged` false: nothing to add (the frame is
   * committing or committed), and the body is left unread. Answers the session as it is now.
   */
  receive(
    session: PushSession,
    index: number,
    body: ReadableStream<Uint8Array> | null,
  ): Promise<{ staged: boolean; session: PushSession }>;
  /**
   * Runs `work` (storing the frame) once for the session, however many requests complete it, on whatever
   * instance: the others wait for its answer. A failure lets a later request try again.
   */
  commitOnce(session: PushSession, work: () => Promise<PushResult>): Promise<PushResult>;
  /** Waits while the session's frame is committing (its error, if it fails). */
  settled(session: PushSession): Promise<void>;
  /** Forgets the session and its bytes. */
  drop(session: PushSession): Promise<void>;
  /** Lets go of what this process holds (the memory store drops every session). */
  close(): Promise<void>;
}

/** Builds a store for the handler's limits and clock. */
export type PushSessionStoreFactory = (limits: SessionLimits) => PushSessionStore;
