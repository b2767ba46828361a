/**
 * `streamhouse metastore start [--port 9083] [--host 127.0.0.1] [--warehouse DIR|s3://…]
 *  [--store sqlite:FILE] [--framed]`: runs the Hive-Metastore-compatible Thrift server
 * until SIGINT/SIGTERM. Prints one ready line on stdout; logs are JSON lines on stderr.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { startMetastore } from "@streamhouse/metastore";
import { integerFlag, parseCommandArgs, stringFlag } from "../args.js";
import { type Command, UsageError } from "../cli-context.js";
import { logLine } from "../output/log-line.js";

export const DEFAULT_DATA_DIR = "streamhouse-data";

export const metastoreCommand: Command = {
  name: "metastore",
  summary: "run the Hive-Metastore-compatible catalog server (metastore start)",
  usage: "streamhouse metastore start [--port 9083] [--host 127.0.0.1] [--warehouse DIR|s3://...] [--store sqlite:FILE] [--framed]",
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, {
      port: { type: "string" },
      host: { type: "string" },
      warehouse: { type: "string" },
      store: { type: "string" },
      framed: { type: "boolean" },
    });
    const [sub, ...rest] = parsed.positionals;
    if (sub !== "start" || rest.length > 0) throw new UsageError(sub === undefined ? "missing the subcommand (start)" : `unknown subcommand "${[sub, ...rest].join(" ")}"`);
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
      log: (message) => ctx.err.write(logLine("warn", message)),
    });
    ctx.err.write(logLine("info", "metastore started", { host: handle.host, port: handle.port, warehouse, store }));
    ctx.out.write(`metastore ready on thrift://${handle.host}:${handle.port} (warehouse ${warehouse})\n`);
    await waitForSignal();
    ctx.err.write(logLine("info", "metastore stopping"));
    await handle.close();
    ctx.err.write(logLine("info", "metastore stopped"));
  },
};

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
