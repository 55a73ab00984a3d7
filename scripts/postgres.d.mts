/** The folder holding initdb and pg_ctl (PG_BIN, Debian's, or on PATH); installs Debian's postgresql as root on Debian. */
export function findPostgresBin(): string;

export interface ThrowawayPostgres {
  /** The superuser `postgres` on database `postgres`, over loopback TCP. */
  url: string;
  port: number;
  /** The temp folder holding the cluster, its socket and its log. */
  dir: string;
  /** Stops the cluster at once and removes its folder. */
  stop(): void;
}

/** Creates and starts a throwaway cluster on a free loopback port (fsync off unless `durable`). */
export function startPostgres(options?: {
  durable?: boolean;
  settings?: Record<string, string | number>;
}): Promise<ThrowawayPostgres>;
