/**
 * `streamhouse query "SQL" [--server URL] [--catalog C] [--schema S] [--user U]
 *  [--format table|ndjson|csv]`: runs one SQL statement on a Trino (the server from
 * `--server` or the environment variable STREAMHOUSE_TRINO) through the `trino-client`
 * package and prints its rows — as an aligned table by default. `-` as the SQL reads it
 * from stdin. A failed query is one line on stderr (Trino's error name and message) and
 * exit code 1; Ctrl-C cancels the query on the server.
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import { BasicAuth, Trino } from "trino-client";
import { parseCommandArgs, stringFlag } from "../args.js";
import { type Command, type Output, UsageError } from "../cli-context.js";
import { renderTable } from "../output/render-table.js";

export const TRINO_ENV = "STREAMHOUSE_TRINO";
const QUERY_FORMATS = ["table", "ndjson", "csv"] as const;
type QueryFormat = (typeof QUERY_FORMATS)[number];

export const queryCommand: Command = {
  name: "query",
  summary: "run SQL on a Trino (--server or STREAMHOUSE_TRINO) and print the rows",
  usage: 'streamhouse query "SQL" | - [--server http://HOST:8080] [--catalog streamhouse] [--schema default] [--user NAME] [--format table|ndjson|csv]',
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, {
      server: { type: "string" },
      catalog: { type: "string" },
      schema: { type: "string" },
      user: { type: "string" },
      format: { type: "string" },
    });
    if (parsed.positionals.length > 1) throw new UsageError('give the SQL as one argument (quote it: streamhouse query "SELECT 1")');
    let sql = parsed.positionals[0];
    if (sql === undefined || sql.trim() === "") throw new UsageError('missing the SQL, e.g. streamhouse query "SELECT 1"');
    if (sql === "-") sql = await readStdin();
    sql = sql.trim().replace(/;\s*$/, "");
    const server = stringFlag(parsed, "server") ?? process.env[TRINO_ENV];
    if (server === undefined || server === "") throw new UsageError(`no Trino configured: pass --server http://HOST:8080 or set ${TRINO_ENV}`);
    if (!/^https?:\/\/[^/]+/.test(server)) throw new UsageError(`--server must be an http:// or https:// URL, got "${server}"`);
    const format = (stringFlag(parsed, "format") ?? "table") as QueryFormat;
    if (!QUERY_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${QUERY_FORMATS.join(", ")}`);
    const catalog = stringFlag(parsed, "catalog");
    const schema = stringFlag(parsed, "schema");
    const client = Trino.create({
      server,
      source: "streamhouse-cli",
      auth: new BasicAuth(stringFlag(parsed, "user") ?? process.env["USER"] ?? "streamhouse"),
      ...(catalog !== undefined ? { catalog } : {}),
      ...(schema !== undefined ? { schema } : {}),
    });
    const result = await runQuery(client, server, sql);
    printResult(ctx.out, result, format);
  },
};

export interface QueryResultRows {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

async function runQuery(client: Trino, server: string, sql: string): Promise<QueryResultRows> {
  let queryId: string | null = null;
  const cancel = (): void => {
    if (queryId !== null) void client.cancel(queryId).catch(() => undefined);
  };
  process.once("SIGINT", cancel);
  try {
    let columns: string[] = [];
    const rows: unknown[][] = [];
    for await (const r of await client.query(sql)) {
      queryId = r.id;
      if (r.error !== undefined) {
        const kind = r.error.errorType === "USER_ERROR" ? ErrorKind.InvalidArgument : ErrorKind.Io;
        throw new StreamhouseError(kind, `Trino ${r.error.errorName}: ${oneLine(r.error.message)} (query ${r.id})`);
      }
      if (r.columns !== undefined) columns = r.columns.map((c) => c.name);
      if (r.data !== undefined) rows.push(...(r.data as unknown[][]));
    }
    return { columns, rows };
  } catch (e) {
    if (e instanceof StreamhouseError) throw e;
    const code = (e as { code?: unknown }).code;
    const why = typeof code === "string" ? code : e instanceof Error ? e.message : String(e);
    throw new StreamhouseError(ErrorKind.Io, `cannot query Trino at ${server}: ${oneLine(why)}`, { cause: e });
  } finally {
    process.off("SIGINT", cancel);
  }
}

/** Prints rows as an aligned table (with a row count), NDJSON objects, or CSV with a header. */
export function printResult(out: Output, r: QueryResultRows, format: QueryFormat): void {
  if (format === "ndjson") {
    for (const row of r.rows) out.write(`${JSON.stringify(Object.fromEntries(r.columns.map((c, i) => [c, row[i] ?? null])))}\n`);
    return;
  }
  if (format === "csv") {
    out.write(`${r.columns.map(csvCell).join(",")}\n`);
    for (const row of r.rows) out.write(`${r.columns.map((_, i) => csvCell(cellText(row[i], ""))).join(",")}\n`);
    return;
  }
  const cells = r.rows.map((row) => r.columns.map((_, i) => cellText(row[i], "NULL")));
  out.write(`${renderTable(r.columns, cells)}\n(${r.rows.length} row${r.rows.length === 1 ? "" : "s"})\n`);
}

function cellText(v: unknown, nullText: string): string {
  if (v === null || v === undefined) return nullText;
  return typeof v === "string" ? v : JSON.stringify(v);
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
