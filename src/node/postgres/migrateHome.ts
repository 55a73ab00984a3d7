// `dstack server migrate --from HOME --database URL`: copies a file-store home into PostgreSQL. Stacks with their
// whole history (same frame ids, timestamps, messages, params, bytes; oldest first, so ties keep their order),
// heads, access and readmes; dashboards with their ids; users with their tokens, shares, revocations and the
// URL-signing secret. Safe to run again: what is already in the database is kept, what is missing is added.
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { FrameNotFoundError, StackNotFoundError } from "../../model/errors";
import { validateUser } from "../../model/stackPath";
import type { FramePush } from "../../model/types";
import { createFileStore } from "../fileStore";
import { openFileUserRegistry } from "../fileUserRegistry";
import { createPostgresStore } from "./postgresStore";
import { openPostgresUserRegistry } from "./postgresUsers";

export interface MigrationReport {
  stacks: number;
  /** Frames copied by this run (frames already in the database are not counted). */
  frames: number;
  dashboards: number;
  users: number;
}

export interface MigrateHomeOptions {
  /** The HOME whose `.dstack` holds the file store and users.json. */
  home: string;
  database: string;
  /** Told about each stack as it is copied. */
  log?: (message: string) => void;
}

const isUser = (name: string) => {
  try {
    validateUser(name);
    return true;
  } catch {
    return false;
  }
};

function folders(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
    : [];
}

/** Copies the home into the database (see the file comment); answers what it copied. */
export async function migrateHomeToPostgres(options: MigrateHomeOptions): Promise<MigrationReport> {
  const home = resolve(options.home);
  const data = join(home, ".dstack", "data");
  const usersPath = join(home, ".dstack", "server", "users.json");
  if (!existsSync(data) && !existsSync(usersPath)) {
    throw new StackNotFoundError(`no dstack data under ${home}/.dstack (give the HOME the server ran with)`);
  }
  const files = createFileStore({ home });
  const target = createPostgresStore({ connectionString: options.database });
  const report: MigrationReport = { stacks: 0, frames: 0, dashboards: 0, users: 0 };
  try {
    await target.ready();
    // Users first: shares name them.
    if (existsSync(usersPath)) {
      const registry = openFileUserRegistry(usersPath);
      await registry.flush();
      const state = registry.snapshot();
      await openPostgresUserRegistry(target.pool).importState(state, registry.secret);
      report.users = Object.keys(state.users).length;
    }
    // A folder per user; anything else there (no valid user name) is not the store's.
    const owners = new Set([...folders(join(data, "stacks")), ...folders(join(data, "dashboards"))].filter(isUser));
    for (const owner of [...owners].sort()) {
      const source = files.forUser(owner);
      const into = target.forUser(owner);
      for (const summary of await source.listStacks(owner)) {
        const path = `/${summary.path}`;
        const stack = await source.getStack(path, { frames: Number.POSITIVE_INFINITY });
        for (const entry of [...stack.frames].reverse()) {
          const exists = await into.getFrame(path, entry.id).then(
            () => true,
            (error: unknown) => {
              if (error instanceof StackNotFoundError || error instanceof FrameNotFoundError) return false;
              throw error;
            },
          );
          if (exists) continue;
          const frame = await source.getFrame(path, entry.id);
          const push: FramePush = {
            stack: path,
            id: frame.id,
            timestamp: frame.timestamp,
            params: frame.params,
            attachments: await Promise.all(
              frame.attachments.map(async (a) => {
                const out: FramePush["attachments"][number] = {
                  data: await source.getAttachment(path, frame.id, a.index),
                  contentType: a.contentType,
                  params: a.params,
                };
                if (a.application !== undefined) out.application = a.application;
                if (a.description !== undefined) out.description = a.description;
                if (a.settings !== undefined) out.settings = a.settings;
                return out;
              }),
            ),
          };
          if (frame.message !== undefined) push.message = frame.message;
          await into.push(push);
          report.frames++;
        }
        const patch: Parameters<typeof into.updateStack>[1] = { private: stack.private };
        if (stack.head) patch.head = stack.head.id;
        if (stack.readme !== undefined) patch.readme = stack.readme;
        await into.updateStack(path, patch);
        report.stacks++;
        options.log?.(`${summary.path}: ${stack.frames.length} frames`);
      }
      // Oldest first, so the database lists them in the same order (newest first) as the file store did.
      const dashboards = await source.listDashboards(owner);
      for (const dashboard of [...dashboards].reverse()) {
        await target.pool.query(
          `INSERT INTO dstack_dashboards (owner, id, seq, body) VALUES ($1, $2, nextval('dstack_seq'), $3)
           ON CONFLICT (owner, id) DO NOTHING`,
          [owner, dashboard.id, JSON.stringify(dashboard)],
        );
        report.dashboards++;
      }
    }
    return report;
  } finally {
    await target.close();
  }
}
