// A throwaway PostgreSQL cluster for tests and benchmarks: finds the server binaries (PG_BIN, Debian's
// /usr/lib/postgresql/VERSION/bin, or pg_ctl on PATH), creates a cluster in a temp folder and starts it on a free
// loopback port. PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` system user.
// As root on Debian with no PostgreSQL found, installs Debian's `postgresql` with apt; elsewhere says what to install.
//
//   node scripts/postgres.mjs            starts a cluster, prints its URL, stops it on Ctrl-C
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { executable } from "./executable.mjs";

const DEBIAN_ROOT = "/usr/lib/postgresql";

const hasServer = (dir) => executable(join(dir, "initdb")) && executable(join(dir, "pg_ctl"));

function debianBinDir() {
  if (!existsSync(DEBIAN_ROOT)) return undefined;
  const versions = readdirSync(DEBIAN_ROOT)
    .filter((v) => /^\d+$/.test(v) && hasServer(join(DEBIAN_ROOT, v, "bin")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(DEBIAN_ROOT, versions[0], "bin");
}

function pathBinDir() {
  for (const dir of (process.env.PATH ?? "").split(":")) if (dir && hasServer(dir)) return dir;
  return undefined;
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** The folder holding initdb and pg_ctl; installs Debian's postgresql when running as root on Debian. */
export function findPostgresBin() {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv) {
    if (hasServer(fromEnv)) return fromEnv;
    throw new Error(`PG_BIN=${fromEnv} has no executable initdb and pg_ctl`);
  }
  const found = debianBinDir() ?? pathBinDir();
  if (found) return found;
  if (isRoot() && existsSync("/etc/debian_version")) {
    console.error("No PostgreSQL found: installing Debian's postgresql with apt-get (needed for the tests)...");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "postgresql"], { stdio: "inherit", env });
    const installed = debianBinDir();
    if (installed) return installed;
  }
  throw new Error(
    "No PostgreSQL server found for the tests. Install one (Debian/Ubuntu: `sudo apt-get install postgresql`; " +
      "macOS: `brew install postgresql`) or set PG_BIN to the folder holding initdb and pg_ctl.",
  );
}

/** The uid/gid of the `postgres` system user, when running as root (PostgreSQL will not run as root). */
function runAs() {
  if (!isRoot()) return {};
  const id = (flag) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    throw new Error(
      "running as root, PostgreSQL needs the `postgres` system user to run as (create it, or run as another user)",
    );
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function run(bin, args, user, what) {
  const result = spawnSync(bin, args, { ...user, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (result.status !== 0) {
    throw new Error(
      `${what} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}${result.stderr}`,
    );
  }
}

/**
 * Creates and starts a cluster; `durable: false` (default) turns fsync off, which is right for throwaway data.
 * Resolves to `{ url, port, dir, stop() }`; `url` is the superuser `postgres` on database `postgres`.
 */
export async function startPostgres({ durable = false, settings = {} } = {}) {
  const bin = findPostgresBin();
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), "dstack-pg-"));
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  run(join(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], user, "initdb");
  const options = {
    listen_addresses: "127.0.0.1",
    unix_socket_directories: dir,
    max_connections: 200,
    ...(durable ? {} : { fsync: "off", synchronous_commit: "off", full_page_writes: "off" }),
    ...settings,
  };
  const stop = () => {
    spawnSync(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], { ...user, stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  };
  // A port taken between the probe and the start: try another.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const flags = [`-p ${port}`, ...Object.entries(options).map(([k, v]) => `-c ${k}=${v}`)].join(" ");
    try {
      run(
        join(bin, "pg_ctl"),
        ["-D", data, "-l", join(dir, "log"), "-o", flags, "-w", "-t", "60", "start"],
        user,
        "pg_ctl start",
      );
      return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dir, stop };
    } catch (error) {
      if (attempt >= 3) {
        stop();
        throw error;
      }
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pg = await startPostgres();
  console.log(pg.url);
  const done = () => {
    pg.stop();
    process.exit(0);
  };
  process.on("SIGINT", done);
  process.on("SIGTERM", done);
  setInterval(() => {}, 1 << 30);
}
