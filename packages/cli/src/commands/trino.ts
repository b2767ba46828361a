/**
 * `streamhouse trino serve [--port 7779] [--host 127.0.0.1] [--metastore thrift://HOST:PORT |
 *  --warehouse DIR|s3://…] [--decode-threads N]`: runs the Trino connector service (connectors/trino) until
 * SIGINT/SIGTERM. Its tables are those of the catalog every command uses for `db.table`
 * names (table-location.ts): the Hive catalog on `--metastore`, else the filesystem
 * catalog of `--warehouse`; without either the environment (STREAMHOUSE_METASTORE,
 * STREAMHOUSE_WAREHOUSE), and without those the metastore `up` runs,
 * thrift://127.0.0.1:9083. So `trino serve` shows what `create db.t` made, with the same
 * flags. The catalog is asked for its databases before the service listens: a metastore
 * that is not there is one error line at start, not a failure on every Trino query.
 * Trino reaches the service through a `trino_thrift` catalog (connectors/trino/etc/catalog).
 * `--decode-threads` decodes Parquet on that many worker threads (default 0). Prints one
 * ready line on stdout; logs are JSON lines on stderr.
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import { startTrinoService } from "@streamhouse/trino";
import { integerFlag, parseCommandArgs, stringFlag } from "../args.js";
import { type Command, UsageError } from "../cli-context.js";
import { logLine } from "../output/log-line.js";
import { waitForSignal } from "../serve/wait-for-signal.js";
import { CATALOG_FLAGS, catalogSelection, openCatalog } from "./table-location.js";

const USAGE = "streamhouse trino serve [--port 7779] [--host 127.0.0.1] [--metastore thrift://HOST:PORT | --warehouse DIR|s3://...] [--decode-threads N]";
const DEFAULT_PORT = 7779;

export const trinoCommand: Command = {
  name: "trino",
  summary: "serve tables to Trino's Thrift connector (trino serve)",
  usage: USAGE,
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, {
      port: { type: "string" },
      host: { type: "string" },
      ...CATALOG_FLAGS,
      "decode-threads": { type: "string" },
    });
    const [sub, ...rest] = parsed.positionals;
    if (sub !== "serve" || rest.length > 0) throw new UsageError(sub === undefined ? "missing the subcommand (serve)" : `unknown subcommand "${[sub, ...rest].join(" ")}"`);
    const port = integerFlag(parsed, "port") ?? DEFAULT_PORT;
    if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    const decodeThreads = integerFlag(parsed, "decode-threads") ?? 0;
    if (decodeThreads > 16) throw new UsageError(`--decode-threads must be at most 16, got ${decodeThreads}`);
    const metastore = catalogSelection(parsed).metastore;
    if (metastore !== undefined && !metastore.startsWith("thrift://")) {
      const from = stringFlag(parsed, "metastore") === undefined ? "STREAMHOUSE_METASTORE" : "--metastore";
      throw new UsageError(`${from} must be a thrift://HOST:PORT URI, got "${metastore}"`);
    }
    const catalog = openCatalog(parsed);
    try {
      try {
        await catalog.listDatabases();
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        throw new StreamhouseError(ErrorKind.Io, `cannot list the databases of ${catalog.description}: ${reason} (start it with \`streamhouse up\`, or pass --metastore URI or --warehouse DIR)`, {
          cause: e,
        });
      }
      const handle = await startTrinoService({
        catalog,
        port,
        host: stringFlag(parsed, "host") ?? "127.0.0.1",
        decodeThreads,
        log: (message) => ctx.err.write(logLine("warn", message)),
      });
      ctx.err.write(logLine("info", "trino connector service started", { host: handle.host, port: handle.port, catalog: catalog.description }));
      ctx.out.write(`trino connector service ready on ${handle.host}:${handle.port} (${catalog.description}); Trino catalog: connector.name=trino_thrift, trino.thrift.client.addresses=${handle.host}:${handle.port}\n`);
      await waitForSignal();
      ctx.err.write(logLine("info", "trino connector service stopping", { ...handle.stats() }));
      await handle.close();
    } finally {
      await catalog.close();
    }
  },
};
