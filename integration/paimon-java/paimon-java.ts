/**
 * The Java implementation of Apache Paimon as a reference peer for tests: apply a JSON
 * script of table operations (create, write, delete, compact, alter, tag, rollback)
 * through Paimon's Java API on a local FileSystemCatalog, and dump a table's rows —
 * merged at a snapshot or tag, or as the per-snapshot change stream — in Streamhouse's
 * JSON value conventions (DESIGN.md, "CLI contract").
 *
 * The Java side is our program in java/ (PaimonPeer), compiled against the Paimon jars by
 * ensure-paimon-java.mjs. By default one JVM serves all calls of a handle (requests and
 * replies as JSON lines over stdin/stdout, one call at a time), because a JVM start plus
 * Paimon's class loading costs about a second per call; `mode: "per-call"` starts a JVM
 * per call instead. Tests never leave a JVM behind: `close()` ends it, the server exits
 * when its stdin closes — which happens however the parent dies — and a process exit
 * hook kills it as a last resort.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { ensurePaimonJavaInstall, type PaimonJavaInstall } from "./ensure-paimon-java.mjs";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** A row keyed by column name; `_row_kind` (+I -U +U -D) where a kind applies. */
export type JsonRow = { [column: string]: JsonValue };

/** A column type: "BIGINT NOT NULL", "DECIMAL(10, 2)", "ARRAY<STRING>", "ROW<a INT, b STRING>", or schema-file JSON. */
export type TypeSpec = string | { readonly [key: string]: JsonValue };

export interface FieldSpec {
  readonly name: string;
  readonly type: TypeSpec;
  readonly comment?: string;
}

export interface SchemaSpec {
  readonly fields: readonly FieldSpec[];
  readonly primaryKeys?: readonly string[];
  readonly partitionKeys?: readonly string[];
  /** Table options, e.g. {"bucket": "2", "merge-engine": "deduplicate"}. */
  readonly options?: Readonly<Record<string, string>>;
  readonly comment?: string;
}

export type SchemaChangeSpec =
  | { readonly addColumn: { readonly name: string; readonly type: TypeSpec; readonly comment?: string; readonly first?: boolean; readonly after?: string } }
  | { readonly renameColumn: { readonly from: string; readonly to: string } }
  | { readonly dropColumn: string | { readonly name: string } }
  | { readonly updateColumnType: { readonly name: string; readonly type: TypeSpec } }
  | { readonly updateColumnNullability: { readonly name: string; readonly nullable: boolean } }
  | { readonly updateColumnComment: { readonly name: string; readonly comment: string } }
  | { readonly setOption: { readonly key: string; readonly value: string } }
  | { readonly removeOption: string | { readonly key: string } }
  | { readonly updateComment: string | null };

/**
 * One operation. Each write, delete and compact is one commit (StreamWriteBuilder,
 * the script's commitUser, commitIdentifier 1, 2, 3… in op order unless given): an
 * APPEND snapshot, followed by a COMPACT snapshot if the write triggered Paimon's
 * automatic compaction; a compact op yields a COMPACT snapshot only. A write with
 * `overwrite` (a partition spec, {} for the whole table) is an OVERWRITE commit through
 * a BatchWriteBuilder. Compact on a bucket = -1 append table runs Paimon's append
 * compaction coordinator, which may find nothing to do.
 */
export type PaimonOp =
  | { readonly op: "create"; readonly schema: SchemaSpec; readonly ignoreIfExists?: boolean }
  | { readonly op: "write"; readonly rows: readonly JsonRow[]; readonly commitIdentifier?: number; readonly overwrite?: Readonly<Record<string, string>> }
  | { readonly op: "delete"; readonly rows: readonly JsonRow[]; readonly commitIdentifier?: number }
  | { readonly op: "compact"; readonly full?: boolean; readonly commitIdentifier?: number }
  | { readonly op: "alter"; readonly changes: readonly SchemaChangeSpec[] }
  | { readonly op: "tag"; readonly name: string; readonly snapshot?: number }
  | { readonly op: "rollback"; readonly snapshot?: number; readonly tag?: string }
  /**
   * One commit of `rows` rows made up in Java from `seed` (RowGenerator.java): distinct keys
   * from [0, keySpace) of a single BIGINT/INT primary key, other columns random by type.
   */
  | { readonly op: "generate"; readonly rows: number; readonly keySpace?: number; readonly seed?: number; readonly commitIdentifier?: number };

export interface PaimonScript {
  /** Absolute path of the warehouse; the table lives in `<warehouse>/<database>.db/<table>`. */
  readonly warehouse: string;
  readonly database: string;
  readonly table: string;
  /** Default: a random UUID per script (so commit identifiers restart at 1 safely). */
  readonly commitUser?: string;
  /** Default true: a commit with nothing to add writes no snapshot. */
  readonly ignoreEmptyCommit?: boolean;
  readonly ops: readonly PaimonOp[];
}

export interface DumpOptions {
  /** Time travel (`scan.snapshot-id`); rows in that snapshot's schema. */
  readonly snapshot?: number;
  /** Read a tag (`scan.tag-name`). */
  readonly tag?: string;
  /**
   * With `snapshot` or `tag`: read that snapshot's rows in the table's LATEST schema
   * (`copyWithoutTimeTravel`, old files evolved by field id) instead of the snapshot's
   * own schema — what a reader that only knows today's schema returns.
   */
  readonly latestSchema?: boolean;
  /**
   * Change stream of snapshots changesFrom..changesTo (inclusive; default to the latest):
   * what a Paimon streaming reader gets per snapshot, each row with `_snapshot` and
   * `_row_kind`, in the latest schema.
   */
  readonly changesFrom?: number;
  readonly changesTo?: number;
  /**
   * Where the streaming reader starts: "snapshot" (default, `scan.mode = from-snapshot`
   * at changesFrom) or "latest-full" (`scan.mode = latest-full`: the latest snapshot read
   * in full, its rows tagged with that snapshot, then what follows; pass changesFrom = the
   * latest snapshot id).
   */
  readonly changesStart?: "snapshot" | "latest-full";
  /** Dynamic table options for this read. */
  readonly options?: Readonly<Record<string, string>>;
}

export interface PaimonJava {
  readonly install: PaimonJavaInstall;
  /** Applies the script; resolves with one log line per op. */
  run(script: PaimonScript): Promise<string[]>;
  /**
   * Rows of the table directory, sorted: by primary key then the other columns in
   * schema order (change stream: by snapshot, then key, Paimon's order within a key).
   */
  dump(tablePath: string, options?: DumpOptions): Promise<JsonRow[]>;
  close(): Promise<void>;
}

export interface PaimonJavaOptions {
  /** "server" (default): one JVM for all calls; "per-call": a JVM per call. */
  readonly mode?: "server" | "per-call";
  /** Bound on one call (default 5 minutes); the JVM is killed when it is exceeded. */
  readonly callTimeoutMs?: number;
  /** Extra JVM flags, after the defaults. */
  readonly jvmArgs?: readonly string[];
  readonly log?: (line: string) => void;
}

export class PaimonJavaError extends Error {
  constructor(
    message: string,
    /** Java's stack trace or the JVM's stderr, for the failure message. */
    readonly detail: string,
  ) {
    super(detail === "" ? message : `${message}\n${detail}`);
    this.name = "PaimonJavaError";
  }
}

const DEFAULT_CALL_TIMEOUT_MS = 5 * 60_000;
const READY_TIMEOUT_MS = 60_000;
const STDERR_TAIL_CHARS = 16_000;
const BASE_JVM_ARGS = [
  "-Xmx1g",
  "-XX:+UseSerialGC",
  "-XX:TieredStopAtLevel=1",
  "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
  "-Dorg.slf4j.simpleLogger.logFile=System.err",
];

/** Downloads and compiles what is missing, then returns a peer; call `close()` when done. */
export async function ensurePaimonJava(options: PaimonJavaOptions = {}): Promise<PaimonJava> {
  const install = await ensurePaimonJavaInstall(options.log === undefined ? {} : { log: options.log });
  const timeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const jvm = [...BASE_JVM_ARGS, ...(options.jvmArgs ?? []), "-cp", install.classpath, install.mainClass];
  return options.mode === "per-call" ? perCallPeer(install, jvm, timeoutMs) : serverPeer(install, jvm, timeoutMs);
}

function dumpRequest(tablePath: string, options: DumpOptions): Record<string, JsonValue> {
  const r: Record<string, JsonValue> = { cmd: "dump", table: tablePath };
  if (options.snapshot !== undefined) r.snapshot = options.snapshot;
  if (options.tag !== undefined) r.tag = options.tag;
  if (options.latestSchema !== undefined) r.latestSchema = options.latestSchema;
  if (options.changesFrom !== undefined) r.changesFrom = options.changesFrom;
  if (options.changesTo !== undefined) r.changesTo = options.changesTo;
  if (options.changesStart !== undefined) r.changesStart = options.changesStart;
  if (options.options !== undefined) r.options = { ...options.options };
  return r;
}

// ------------------------------------------------------------------ one JVM, JSON lines

interface Reply {
  readonly ok: boolean;
  readonly log?: string[];
  readonly rows?: JsonRow[];
  readonly error?: string;
  readonly trace?: string;
}

class PeerServer {
  private readonly lines: string[] = [];
  private waiting: ((line: string | null) => void) | null = null;
  private stderr = "";
  private exited = false;
  private readonly killOnExit = () => this.child.kill("SIGKILL");

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    process.once("exit", this.killOnExit);
    createInterface({ input: child.stdout }).on("line", (line) => this.push(line));
    child.stderr.on("data", (d) => {
      this.stderr = (this.stderr + String(d)).slice(-STDERR_TAIL_CHARS);
    });
    // "close", not "exit": it comes after the last stdout line was read.
    child.once("close", () => {
      this.exited = true;
      process.removeListener("exit", this.killOnExit);
      this.push(null);
    });
    child.once("error", (e) => {
      this.stderr += `\n${e.message}`;
      this.exited = true;
      this.push(null);
    });
  }

  get alive(): boolean {
    return !this.exited;
  }

  stderrTail(): string {
    return this.stderr;
  }

  private push(line: string | null): void {
    if (this.waiting !== null) {
      const w = this.waiting;
      this.waiting = null;
      w(line);
    } else if (line !== null) {
      this.lines.push(line);
    }
  }

  /** The next stdout line, or null when the JVM exited or `timeoutMs` passed. */
  nextLine(timeoutMs: number): Promise<string | null> {
    const buffered = this.lines.shift();
    if (buffered !== undefined) return Promise.resolve(buffered);
    if (this.exited) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        resolve(null);
      }, timeoutMs);
      this.waiting = (line) => {
        clearTimeout(timer);
        resolve(line);
      };
    });
  }

  send(request: Record<string, JsonValue>): void {
    this.child.stdin.write(`${JSON.stringify(request)}\n`);
  }

  async kill(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once("close", () => resolve()));
    this.child.kill("SIGKILL");
    await exited;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once("close", () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

function serverPeer(install: PaimonJavaInstall, jvm: readonly string[], timeoutMs: number): PaimonJava {
  let server: PeerServer | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let nextId = 1;

  const start = async (): Promise<PeerServer> => {
    if (server?.alive) return server;
    const s = new PeerServer(spawn(install.java, [...jvm, "serve"], { stdio: ["pipe", "pipe", "pipe"] }));
    const first = await s.nextLine(READY_TIMEOUT_MS);
    if (first !== '{"ready":true}') {
      await s.stop();
      throw new PaimonJavaError(`the Java Paimon peer did not start (first line: ${first ?? "none"})`, s.stderrTail());
    }
    server = s;
    return s;
  };

  const call = (request: Record<string, JsonValue>): Promise<Reply> => {
    const result = queue.then(async () => {
      const s = await start();
      const id = nextId++;
      s.send({ ...request, id });
      const line = await s.nextLine(timeoutMs);
      if (line === null) {
        const why = s.alive ? `did not answer within ${timeoutMs} ms` : "exited";
        await s.kill();
        server = null;
        throw new PaimonJavaError(`the Java Paimon peer ${why} during ${String(request.cmd)}`, s.stderrTail());
      }
      const reply = JSON.parse(line) as Reply & { id?: number };
      if (reply.id !== id) throw new PaimonJavaError(`the Java Paimon peer answered request ${reply.id} to request ${id}`, line);
      if (!reply.ok) throw new PaimonJavaError(`Java Paimon ${String(request.cmd)} failed: ${reply.error ?? "?"}`, reply.trace ?? "");
      return reply;
    });
    queue = result.catch(() => undefined);
    return result;
  };

  return {
    install,
    async run(script) {
      return (await call({ cmd: "run", script: script as unknown as JsonValue })).log ?? [];
    },
    async dump(tablePath, options = {}) {
      return (await call(dumpRequest(tablePath, options))).rows ?? [];
    },
    async close() {
      await queue;
      await server?.stop();
      server = null;
    },
  };
}

// ------------------------------------------------------------------ a JVM per call

function perCallPeer(install: PaimonJavaInstall, jvm: readonly string[], timeoutMs: number): PaimonJava {
  const exec = (args: readonly string[], stdin: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const child = spawn(install.java, [...jvm, ...args], { stdio: ["pipe", "pipe", "pipe"] });
      const killOnExit = () => child.kill("SIGKILL");
      process.once("exit", killOnExit);
      let out = "";
      let err = "";
      child.stdout.on("data", (d) => {
        out += String(d);
      });
      child.stderr.on("data", (d) => {
        err = (err + String(d)).slice(-STDERR_TAIL_CHARS);
      });
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.once("error", (e) => {
        clearTimeout(timer);
        process.removeListener("exit", killOnExit);
        reject(new PaimonJavaError(`cannot start ${install.java}: ${e.message}`, ""));
      });
      child.once("close", (code, signal) => {
        clearTimeout(timer);
        process.removeListener("exit", killOnExit);
        if (code === 0) resolve(out);
        else reject(new PaimonJavaError(`Java Paimon ${args[0]} failed (${signal ?? `exit ${code}`})`, err));
      });
      child.stdin.end(stdin);
    });

  return {
    install,
    async run(script) {
      const out = await exec(["run", "-"], JSON.stringify(script));
      return out.split("\n").filter((l) => l !== "");
    },
    async dump(tablePath, options = {}) {
      const args = ["dump", tablePath];
      if (options.snapshot !== undefined) args.push("--snapshot", String(options.snapshot));
      if (options.tag !== undefined) args.push("--tag", options.tag);
      if (options.latestSchema !== undefined) args.push("--latest-schema", String(options.latestSchema));
      if (options.changesFrom !== undefined) args.push("--changes-from", String(options.changesFrom));
      if (options.changesTo !== undefined) args.push("--changes-to", String(options.changesTo));
      if (options.changesStart !== undefined) args.push("--changes-start", options.changesStart);
      for (const [k, v] of Object.entries(options.options ?? {})) args.push("--option", `${k}=${v}`);
      const out = await exec(args, "");
      return out
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as JsonRow);
    },
    async close() {},
  };
}
