/**
 * `streamhouse trino serve [--port 7779] [--host 127.0.0.1] [--metastore thrift://HOST:PORT |
 *  --warehouse DIR|s3://…] [--decode-threads N]`: runs the Trino connector service (connectors/trino) until
 * SIGINT/SIGTERM. Tables come from the Hive catalog on that metastore, or from the
 * filesystem catalog of the warehouse (default ./streamhouse-data/warehouse). Trino
 * reaches it through a `trino_thrift` catalog (connectors/trino/etc/catalog).
 * `--decode-threads` decodes Parquet on that many worker threads (default 0). Prints one
 * ready line on stdout; logs are JSON lines on stderr.
 */
import { catalogFromOptions } from "@streamhouse/catalog";
import { startTrinoService } from "@streamhouse/trino";
import { integerFlag, parseCommandArgs, stringFlag } from "../args.js";
import { type Command, UsageError } from "../cli-context.js";
import { logLine } from "../output/log-line.js";
import { waitForSignal } from "../serve/wait-for-signal.js";

const USAGE = "streamhouse trino serve [--port 7779] [--host 127.0.0.1] [--metastore thrift://HOST:PORT | --warehouse DIR|s3://...] [--decode-threads N]";
const DEFAULT_PORT = 7779;
const DEFAULT_WAREHOUSE = "streamhouse-data/warehouse";

export const trinoCommand: Command = {
  name: "trino",
  summary: "serve tables to Trino's Thrift connector (trino serve)",
  usage: USAGE,
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, {
      port: { type: "string" },
      host: { type: "string" },
      metastore: { type: "string" },
      warehouse: { type: "string" },
      "decode-threads": { type: "string" },
    });
    const [sub, ...rest] = parsed.positionals;
    if (sub !== "serve" || rest.length > 0) throw new UsageError(sub === undefined ? "missing the subcommand (serve)" : `unknown subcommand "${[sub, ...rest].join(" ")}"`);
    const port = integerFlag(parsed, "port") ?? DEFAULT_PORT;
    if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    const decodeThreads = integerFlag(parsed, "decode-threads") ?? 0;
    if (decodeThreads > 16) throw new UsageError(`--decode-threads must be at most 16, got ${decodeThreads}`);
    const metastore = stringFlag(parsed, "metastore");
    const warehouseFlag = stringFlag(parsed, "warehouse");
    if (metastore !== undefined && !metastore.startsWith("thrift://")) throw new UsageError(`--metastore must be a thrift://HOST:PORT URI, got "${metastore}"`);
    const catalog = catalogFromOptions(metastore !== undefined ? { metastore, warehouse: warehouseFlag } : { warehouse: warehouseFlag ?? DEFAULT_WAREHOUSE });
    try {
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
