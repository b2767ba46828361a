/**
 * A single-node Trino for tests and benchmarks (plain JavaScript, typed by
 * trino-server.d.mts, so that Node 20 runs it without a TypeScript step): ensure (install once, see ensure-trino.mjs), start with
 * the catalogs a test names on a free port of 127.0.0.1, wait until it serves queries
 * (bounded), query it through the npm `trino-client`, stop.
 *
 * Tests never leave a server behind. The server runs in its own process group under a
 * small shell that also watches its stdin: `stop()` signals the whole group (TERM, then
 * KILL), the shell kills the server when our end of the pipe closes — which happens
 * however this process dies — and an exit hook kills the group as a last resort.
 */
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, statSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BasicAuth, Trino } from "trino-client";
import { ensureTrinoInstall } from "./ensure-trino.mjs";
import { killGroup, waitForExit } from "../support/processes.mjs";
export class TrinoQueryError extends Error {
    errorName;
    sql;
    queryId;
    constructor(errorName, message, sql, queryId) {
        super(`${errorName}: ${message}\n  in: ${sql}`);
        this.errorName = errorName;
        this.sql = sql;
        this.queryId = queryId;
        this.name = "TrinoQueryError";
    }
}
/** Installs Trino into the cache if missing (see ensure-trino.mjs). */
export function ensureTrino(options = {}) {
    return ensureTrinoInstall(options);
}
const USER = "streamhouse";
const STOP_GRACE_MS = 10_000;
const NO_NODES_ATTEMPTS = 6;
const OPEN_FILES = 65_536;
/** Trino refuses to start below this many open files. */
const MIN_OPEN_FILES = 4096;
// Runs the server with a raised open-files limit, in the background so that the shell can
// watch its own stdin (fd 3 keeps it: a background job's stdin is /dev/null) and kill the
// server once the parent's end closes. `wait` returns the server's exit status.
const SUPERVISOR = `
want=$1; need=$2; shift 2
ulimit -n "$want" 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null
have=$(ulimit -n)
if [ "$have" != unlimited ] && [ "$have" -lt "$need" ]; then
  echo "streamhouse: open-files limit is $have; Trino needs at least $need (raise the hard limit: ulimit -Hn)" >&2
  exit 90
fi
exec 3<&0
"$@" </dev/null &
server=$!
( cat <&3 >/dev/null; kill -TERM "$server" 2>/dev/null; sleep ${STOP_GRACE_MS / 1000}; kill -KILL "$server" 2>/dev/null ) &
wait "$server"
`;
/**
 * Query memory for a heap of `maxHeap` (`-Xmx` syntax): half of it, so that Trino's
 * heap headroom (30% by default) fits beside it — 1GB for the default 2G heap.
 */
function queryMemory(maxHeap) {
    const m = /^(\d+)([gGmM])$/.exec(maxHeap);
    if (m === null)
        return "1GB";
    const mb = Number(m[1]) * (m[2].toLowerCase() === "g" ? 1024 : 1);
    return `${Math.max(128, Math.floor(mb / 2))}MB`;
}
function freePort() {
    return new Promise((resolve, reject) => {
        const s = createServer();
        s.once("error", reject);
        s.listen(0, "127.0.0.1", () => {
            const port = s.address().port;
            s.close(() => resolve(port));
        });
    });
}
function properties(p) {
    return `${Object.entries(p)
        .map(([k, v]) => `${k}=${v}`)
        .join("\n")}\n`;
}
function readTail(file, chars) {
    try {
        const size = statSync(file).size;
        const text = readFileSync(file, "utf8");
        return size > chars ? text.slice(-chars) : text;
    }
    catch {
        return "";
    }
}
export async function startTrino(options) {
    const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    const install = await ensureTrino({ log });
    const readyTimeoutMs = options.readyTimeoutMs ?? 240_000;
    const work = await mkdtemp(join(tmpdir(), "streamhouse-trino-"));
    const etc = join(work, "etc");
    const data = join(work, "data");
    await mkdir(join(etc, "catalog"), { recursive: true });
    await mkdir(data, { recursive: true });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    await writeFile(join(etc, "node.properties"), properties({ "node.environment": "streamhouse_test", "node.data-dir": data }));
    await writeFile(join(etc, "config.properties"), properties({
        coordinator: "true",
        "node-scheduler.include-coordinator": "true",
        "http-server.http.port": String(port),
        "discovery.uri": url,
        "query.max-memory": queryMemory(options.maxHeap ?? "2G"),
        "query.max-memory-per-node": queryMemory(options.maxHeap ?? "2G"),
        // Answer at once rather than after the default grace period when a test stops us.
        "shutdown.grace-period": "0s",
    }));
    await writeFile(join(etc, "jvm.config"), [
        "-server",
        `-Xmx${options.maxHeap ?? "2G"}`,
        "-XX:+UseG1GC",
        "-XX:+ExitOnOutOfMemoryError",
        "-XX:+HeapDumpOnOutOfMemoryError",
        `-XX:HeapDumpPath=${work}`,
        "-XX:ReservedCodeCacheSize=256M",
        "-XX:TieredStopAtLevel=1",
        "-Djdk.attach.allowAttachSelf=true",
        "-XX:+EnableDynamicAgentLoading",
        "-Dfile.encoding=UTF-8",
        "",
    ].join("\n"));
    await writeFile(join(etc, "log.properties"), properties({ "io.trino": "INFO", ...options.logLevels }));
    for (const [name, props] of Object.entries(options.catalogs)) {
        await writeFile(join(etc, "catalog", `${name}.properties`), properties(props));
    }
    const logFile = join(work, "server.log");
    const fd = openSync(logFile, "a");
    const started = Date.now();
    let child;
    try {
        child = spawn("sh", ["-c", SUPERVISOR, "trino-supervisor", String(OPEN_FILES), String(MIN_OPEN_FILES), join(install.home, "bin", "launcher"), "run", `--etc-dir=${etc}`, `--data-dir=${data}`], {
            cwd: work,
            detached: true,
            stdio: ["pipe", fd, fd],
            env: { ...process.env, JAVA_HOME: install.javaHome, PATH: `${join(install.javaHome, "bin")}:${process.env.PATH ?? ""}` },
        });
    }
    finally {
        closeSync(fd);
    }
    const killOnExit = () => killGroup(child, "SIGKILL");
    process.once("exit", killOnExit);
    let stopping;
    const stop = () => {
        stopping ??= (async () => {
            process.removeListener("exit", killOnExit);
            child.stdin?.end();
            killGroup(child, "SIGTERM");
            if (!(await waitForExit(child, STOP_GRACE_MS))) {
                killGroup(child, "SIGKILL");
                await waitForExit(child, 5_000);
            }
            // The supervisor's watcher may outlive it by a moment; it is in the same group.
            killGroup(child, "SIGKILL");
            await rm(work, { recursive: true, force: true });
        })();
        return stopping;
    };
    const logTail = (chars = 8000) => readTail(logFile, chars);
    try {
        const exited = new Promise((_, reject) => {
            child.once("exit", (code, signal) => reject(new Error(`Trino exited during startup (${signal ?? `exit ${code}`})`)));
            child.once("error", (e) => reject(new Error(`cannot start Trino: ${e.message}`)));
        });
        exited.catch(() => { });
        const deadline = started + readyTimeoutMs;
        for (;;) {
            const info = await Promise.race([
                fetch(`${url}/v1/info`, { signal: AbortSignal.timeout(5_000) })
                    .then(async (r) => (r.ok ? (await r.json()) : undefined))
                    .catch(() => undefined),
                exited,
            ]);
            // "Started" can come before the coordinator has registered itself as a worker
            // (queries then fail with NO_NODES_AVAILABLE): ready means a query runs.
            if (info !== undefined && info.starting === false && (await Promise.race([probe(url), exited])))
                break;
            if (Date.now() > deadline)
                throw new Error(`Trino did not start within ${readyTimeoutMs} ms`);
            await Promise.race([new Promise((r) => setTimeout(r, 500)), exited]);
        }
    }
    catch (e) {
        // Read the log before stop() removes the working directory with it.
        const tail = `${errorLines(logFile)}\n--- last lines ---\n${readTailSafe(logFile)}`;
        await stop().catch(() => { });
        throw new Error(`${e.message}\n--- Trino log (tail) ---\n${tail}`);
    }
    const startupMs = Date.now() - started;
    log(`streamhouse: Trino ${install.version} ready at ${url} in ${(startupMs / 1000).toFixed(1)} s`);
    const query = async (sql, o = {}) => {
        const client = Trino.create({
            server: url,
            source: "streamhouse-tests",
            auth: new BasicAuth(USER),
            ...(o.catalog !== undefined ? { catalog: o.catalog } : {}),
            ...(o.schema !== undefined ? { schema: o.schema } : {}),
        });
        for (let attempt = 1;; attempt++) {
            let columns = [];
            const rows = [];
            let queryId = "";
            let error;
            for await (const r of await client.query(sql)) {
                queryId = r.id;
                if (r.error) {
                    error = new TrinoQueryError(r.error.errorName, r.error.message, sql, r.id);
                    break;
                }
                if (r.columns)
                    columns = r.columns;
                if (r.data)
                    rows.push(...r.data);
            }
            if (error === undefined)
                return { columns, rows, queryId };
            // On a busy machine the coordinator can miss its own discovery heartbeat and drop
            // out of the node list for a moment. Such a query failed before doing anything,
            // so running it again is safe.
            if (error.errorName !== "NO_NODES_AVAILABLE" || attempt >= NO_NODES_ATTEMPTS)
                throw error;
            log(`streamhouse: Trino had no active node for query ${queryId}; retrying (${attempt}/${NO_NODES_ATTEMPTS - 1})`);
            await new Promise((r) => setTimeout(r, 2_000));
        }
    };
    return { url, port, version: install.version, startupMs, query, logTail, logFile, stop };
}
/** The log's error lines (Guice lists configuration problems as numbered lines), at most 40. */
function errorLines(file) {
    try {
        return readFileSync(file, "utf8")
            .split("\n")
            .filter((l) => /\bERROR\b|^\d+\) |Caused by|Exception:/.test(l))
            .slice(0, 40)
            .join("\n");
    }
    catch {
        return "";
    }
}
function readTailSafe(file) {
    return readTail(file, 6000);
}
/**
 * Whether the server can run a query that needs a worker: it runs queries, and its node
 * manager lists an active node (the coordinator itself). `SELECT 1` alone is not enough:
 * it runs on the coordinator without scheduling, and a table scan right after it can still
 * fail with NO_NODES_AVAILABLE until the coordinator's self-announcement is seen.
 */
async function probe(url) {
    try {
        const client = Trino.create({ server: url, source: "streamhouse-tests", auth: new BasicAuth(USER) });
        let active = 0;
        for await (const r of await client.query("SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'")) {
            if (r.error)
                return false;
            if (r.data?.[0] !== undefined)
                active = Number(r.data[0][0]);
        }
        return active >= 1;
    }
    catch {
        return false;
    }
}
