/**
 * A throwaway PostgreSQL cluster for tests: ensure the binaries (installing
 * them once, see ensure-postgres.mjs), initdb into a temporary directory,
 * start the server on a free port of 127.0.0.1 with durability off for speed
 * (fsync, synchronous_commit, full_page_writes) and a short deadlock_timeout,
 * wait until it accepts connections (bounded), hand out fresh databases, stop
 * and delete it all.
 *
 * initdb and postgres refuse to run as root; as root we run them as the
 * `postgres` user that the Debian package creates (spawn's uid/gid, so the
 * server stays our direct descendant).
 *
 * Tests never leave a server behind: `stop()` shuts it down; the server runs
 * under a small shell that shuts it down and deletes its directory when its
 * stdin closes — which happens however the parent dies, even by SIGKILL — and
 * a process exit hook kills it as a last resort.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { ensurePostgres } from "./ensure-postgres.mjs";
import { waitForExit } from "../support/processes.mjs";

export interface PostgresCluster {
  readonly host: string;
  readonly port: number;
  /** The server version, e.g. "15.18". */
  readonly version: string;
  /** The superuser, which authenticates with a password over TCP. */
  readonly user: string;
  readonly password: string;
  /** `postgres://user:password@127.0.0.1:PORT/database`. */
  url(database: string): string;
  /** Creates an empty database (named uniquely unless `name` is given) and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** The last lines the server logged, for failure messages. */
  logTail(): string;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** How long to wait for the server to accept connections (default 30 s). */
  readonly readyTimeoutMs?: number;
}

const SUPERUSER = "streamhouse";
const LOG_TAIL_CHARS = 8000;
const PORT_ATTEMPTS = 3;
const STOP_TIMEOUT_MS = 10_000;

// Runs postgres in the background and, on a copy of stdin (fd 3: an
// asynchronous command's own stdin is /dev/null), waits for end of input to
// request a fast shutdown (SIGINT) and, once the server is gone, delete the
// cluster's directory ($STREAMHOUSE_PG_BASE). The shell exits with the server.
const WRAPPER = `
exec 3<&0
"$0" "$@" </dev/null &
pg=$!
{
  cat <&3 >/dev/null
  kill -INT "$pg" 2>/dev/null
  while kill -0 "$pg" 2>/dev/null; do sleep 0.1; done
  rm -rf "$STREAMHOUSE_PG_BASE"
} &
exec 3<&-
wait "$pg"
`;

interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

/** initdb and postgres refuse root: run them as `postgres` then. */
function runAs(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch (e) {
    throw new Error(`running as root, and PostgreSQL refuses to run as root, but there is no 'postgres' user to run it as: ${(e as Error).message}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function runTool(cmd: string, args: string[], cwd: string, user: RunAs | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], ...user });
    let output = "";
    const keep = (d: unknown) => {
      output = (output + String(d)).slice(-LOG_TAIL_CHARS);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${cmd} failed (${signal ?? `exit ${code}`}):\n${output}`));
    });
  });
}

/** The postmaster's pid from its lock file, if it wrote one. */
function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function killQuietly(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresCluster> {
  const { bin, version } = await ensurePostgres();
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const user = runAs();
  const base = mkdtempSync(join(tmpdir(), "streamhouse-pg-"));
  const dataDir = join(base, "data");
  const password = randomBytes(12).toString("hex");
  let log = "";
  let child: ChildProcess | undefined;
  const killOnExit = () => {
    killQuietly(postmasterPid(dataDir), "SIGKILL");
    child?.kill("SIGKILL");
    rmSync(base, { recursive: true, force: true });
  };
  process.once("exit", killOnExit);

  const stopServer = async (): Promise<void> => {
    const c = child;
    if (c === undefined) return;
    child = undefined;
    c.stdin?.end();
    if (!(await waitForExit(c, STOP_TIMEOUT_MS))) {
      killQuietly(postmasterPid(dataDir), "SIGKILL");
      c.kill("SIGKILL");
      await waitForExit(c, STOP_TIMEOUT_MS);
    }
  };
  const cleanUp = async (): Promise<void> => {
    await stopServer();
    process.removeListener("exit", killOnExit);
    rmSync(base, { recursive: true, force: true });
  };

  try {
    if (user !== undefined) chownSync(base, user.uid, user.gid);
    const pwfile = join(base, "pwfile");
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (user !== undefined) chownSync(pwfile, user.uid, user.gid);
    await runTool(
      join(bin, "initdb"),
      [
        `--pgdata=${dataDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        "--auth-host=scram-sha-256",
        "--auth-local=trust",
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync",
        "--no-instructions",
      ],
      base,
      user,
    );
    rmSync(pwfile);
    const socketDir = join(base, "socket");
    mkdirSync(socketDir);
    if (user !== undefined) chownSync(socketDir, user.uid, user.gid);

    let port = 0;
    for (let attempt = 1; ; attempt++) {
      // A free port may be taken between the probe and postgres binding it: retry.
      port = await freePort();
      const args = [
        "-D",
        dataDir,
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        `port=${port}`,
        "-c",
        `unix_socket_directories=${socketDir}`,
        "-c",
        "fsync=off",
        "-c",
        "synchronous_commit=off",
        "-c",
        "full_page_writes=off",
        "-c",
        "max_connections=200",
        // Tests make deadlocks on purpose; find them in 0.1 s instead of 1 s.
        "-c",
        "deadlock_timeout=100ms",
      ];
      const c = spawn("sh", ["-c", WRAPPER, join(bin, "postgres"), ...args], {
        cwd: base,
        env: { ...process.env, STREAMHOUSE_PG_BASE: base },
        stdio: ["pipe", "pipe", "pipe"],
        ...user,
      });
      child = c;
      const keep = (d: unknown) => {
        log = (log + String(d)).slice(-LOG_TAIL_CHARS);
      };
      c.stdout?.on("data", keep);
      c.stderr?.on("data", keep);
      let exitReason: string | undefined;
      c.once("exit", (code, signal) => {
        exitReason = `postgres exited during startup (${signal ?? `exit ${code}`})`;
      });
      c.once("error", (e) => {
        exitReason = `cannot start postgres: ${e.message}`;
      });
      try {
        await waitUntilReady(port, password, readyTimeoutMs, () => exitReason);
        break;
      } catch (e) {
        if (exitReason === undefined) throw e;
        child = undefined;
        if (attempt < PORT_ATTEMPTS && /could not bind|address already in use/i.test(log)) continue;
        throw e;
      }
    }

    const host = "127.0.0.1";
    const url = (database: string) => `postgres://${SUPERUSER}:${password}@${host}:${port}/${encodeURIComponent(database)}`;
    let admin: pg.Client | undefined;
    let counter = 0;
    return {
      host,
      port,
      version,
      user: SUPERUSER,
      password,
      url,
      createDatabase: async (name) => {
        if (admin === undefined) {
          const c = new pg.Client({ connectionString: url("postgres") });
          await c.connect();
          admin = c;
        }
        const database = name ?? `t${process.pid}_${++counter}_${randomBytes(3).toString("hex")}`;
        await admin.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
        return url(database);
      },
      logTail: () => log,
      stop: async () => {
        const a = admin;
        admin = undefined;
        await a?.end();
        await cleanUp();
      },
    };
  } catch (e) {
    await cleanUp();
    throw new Error(`cannot start PostgreSQL ${version}: ${e instanceof Error ? e.message : String(e)}\n${log}`);
  }
}

/** Connects until the server answers; throws once it has exited or after `timeoutMs`. */
async function waitUntilReady(port: number, password: string, timeoutMs: number, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ host: "127.0.0.1", port, user: SUPERUSER, password, database: "postgres", connectionTimeoutMillis: 2_000 });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query("SELECT 1");
      await client.end();
      return;
    } catch (e) {
      await client.end().catch(() => undefined);
      const why = exited();
      if (why !== undefined) throw new Error(why);
      if (Date.now() > deadline) throw new Error(`PostgreSQL on port ${port} did not accept connections within ${timeoutMs} ms: ${(e as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
