/**
 * `streamhouse metastore start [--port 9083] [--host 127.0.0.1] [--warehouse DIR|s3://…]
 *  [--store sqlite:FILE] [--framed] [--auth plain --users FILE]`: runs the
 * Hive-Metastore-compatible Thrift server until SIGINT/SIGTERM. Prints one ready line on
 * stdout; logs are JSON lines on stderr.
 *
 * `streamhouse metastore user add NAME [--users FILE]`: adds NAME to the SASL PLAIN users
 * file (or replaces its password), reading the password from the first line of stdin.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { hashPassword, startMetastore, validateUserName, withUser } from "@streamhouse/metastore";
import { type FlagSpec, integerFlag, type ParsedArgs, parseCommandArgs, stringFlag } from "../args.js";
import { type Command, invalidArgument, UsageError } from "../cli-context.js";
import { logLine } from "../output/log-line.js";

export const DEFAULT_DATA_DIR = "streamhouse-data";
export const DEFAULT_USERS_FILE = `${DEFAULT_DATA_DIR}/metastore-users`;
const USAGE =
  "streamhouse metastore start [--port 9083] [--host 127.0.0.1] [--warehouse DIR|s3://...] [--store sqlite:FILE] [--framed] [--auth plain --users FILE]\n" +
  "       streamhouse metastore user add NAME [--users FILE]   (password: first line of stdin)";

/** The flags that turn on SASL PLAIN authentication (`metastore start`, `up`). */
export const AUTH_FLAGS: FlagSpec = {
  auth: { type: "string" },
  users: { type: "string" },
};

/** The `auth` option of startMetastore the flags ask for, or undefined (no authentication). */
export function authFromFlags(parsed: ParsedArgs): { readonly mechanism: "PLAIN"; readonly users: string } | undefined {
  const authFlag = stringFlag(parsed, "auth");
  const usersFlag = stringFlag(parsed, "users");
  if (authFlag !== undefined && authFlag.toLowerCase() !== "plain") throw new UsageError(`--auth supports only "plain", got "${authFlag}"`);
  if (authFlag !== undefined && usersFlag === undefined) throw new UsageError("--auth plain needs --users FILE (create it with: streamhouse metastore user add NAME --users FILE)");
  if (authFlag === undefined && usersFlag !== undefined) throw new UsageError("--users is for --auth plain");
  return usersFlag === undefined ? undefined : { mechanism: "PLAIN", users: resolve(usersFlag) };
}

export const metastoreCommand: Command = {
  name: "metastore",
  summary: "run the Hive-Metastore-compatible catalog server (metastore start)",
  usage: USAGE,
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, {
      port: { type: "string" },
      host: { type: "string" },
      warehouse: { type: "string" },
      store: { type: "string" },
      framed: { type: "boolean" },
      ...AUTH_FLAGS,
    });
    const [sub, ...rest] = parsed.positionals;
    if (sub === "user") {
      await addUser(ctx, rest, stringFlag(parsed, "users") ?? DEFAULT_USERS_FILE);
      return;
    }
    if (sub !== "start" || rest.length > 0) throw new UsageError(sub === undefined ? "missing the subcommand (start, user add)" : `unknown subcommand "${[sub, ...rest].join(" ")}"`);
    const auth = authFromFlags(parsed);
    const port = integerFlag(parsed, "port") ?? 9083;
    if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    const warehouseArg = stringFlag(parsed, "warehouse") ?? `${DEFAULT_DATA_DIR}/warehouse`;
    const warehouse = /^[a-z][a-z0-9+.-]*:\/\//i.test(warehouseArg) ? warehouseArg : resolve(warehouseArg);
    if (!warehouse.includes("://")) mkdirSync(warehouse, { recursive: true });
    let store = stringFlag(parsed, "store") ?? `sqlite:${DEFAULT_DATA_DIR}/metastore.sqlite`;
    if (store.startsWith("sqlite:") && store !== "sqlite::memory:") {
      const file = resolve(store.slice("sqlite:".length));
      mkdirSync(dirname(file), { recursive: true });
      store = `sqlite:${file}`;
    }
    const handle = await startMetastore({
      port,
      host: stringFlag(parsed, "host") ?? "127.0.0.1",
      warehouse,
      store,
      framed: parsed.values["framed"] === true,
      ...(auth === undefined ? {} : { auth }),
      log: (message) => ctx.err.write(logLine("warn", message)),
    });
    ctx.err.write(logLine("info", "metastore started", { host: handle.host, port: handle.port, warehouse, store, auth: auth === undefined ? "none" : "plain" }));
    ctx.out.write(`metastore ready on thrift://${handle.host}:${handle.port} (warehouse ${warehouse})\n`);
    await waitForSignal();
    ctx.err.write(logLine("info", "metastore stopping"));
    await handle.close();
    ctx.err.write(logLine("info", "metastore stopped"));
  },
};

async function readFirstLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) {
    chunks.push(c as Buffer);
    if ((c as Buffer).includes(10)) break;
  }
  const text = Buffer.concat(chunks).toString("utf8");
  const nl = text.indexOf("\n");
  return (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, "");
}

async function addUser(ctx: Parameters<Command["run"]>[0], args: readonly string[], usersFile: string): Promise<void> {
  const [verb, name, ...more] = args;
  if (verb !== "add" || name === undefined || more.length > 0) throw new UsageError(`expected "user add NAME", got "user ${args.join(" ")}"`);
  validateUserName(name);
  const password = await readFirstLine();
  if (password === "") throw invalidArgument("no password: give it as the first line of stdin");
  const file = resolve(usersFile);
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  const updated = withUser(text, name, await hashPassword(password));
  mkdirSync(dirname(file), { recursive: true });
  // Write beside and rename: a reader never sees half a file. Owner-only: the hashes are secrets too.
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, updated, { mode: 0o600 });
  renameSync(tmp, file);
  ctx.out.write(`user ${name} ${text.split(/\r?\n/).some((l) => l.trim().startsWith(`${name}:`)) ? "updated" : "added"} in ${file}\n`);
}

function waitForSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      done();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
