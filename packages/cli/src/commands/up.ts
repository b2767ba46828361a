/**
 * `streamhouse up [--host 127.0.0.1] [--port 9083] [--trino-port 7779] [--http-port 9464]
 *  [--warehouse DIR|s3://…] [--store sqlite:FILE|postgres://…] [--no-trino]
 *  [--auth plain --users FILE] [--log-format plain|json]`: the main job on embedded defaults — the
 * Hive-Metastore-compatible catalog server (as `metastore start`: SQLite store and
 * warehouse under ./streamhouse-data), the Trino connector service (`trino serve`: its
 * catalog is the Hive catalog on that metastore, so Trino sees every table registered
 * there), and an HTTP endpoint with `/health` and `/metrics`.
 *
 * `--auth plain --users FILE` makes the metastore require SASL PLAIN logins from the
 * users file, as `metastore start` does. The connector service reaches the metastore
 * through our Hive catalog client, which does not authenticate yet, so it needs
 * `--no-trino` (a usage error says so rather than a service that fails every call).
 *
 * Ports: each flag, else STREAMHOUSE_METASTORE_PORT / STREAMHOUSE_TRINO_SERVICE_PORT /
 * STREAMHOUSE_HTTP_PORT, else 9083 / 7779 / 9464 (0 picks a free port).
 *
 * stdout gets what a person needs: one ready line per service and the next step (the
 * Trino catalog file to paste, or the `query` command when STREAMHOUSE_TRINO names a
 * Trino). stderr gets the log. SIGINT/SIGTERM stop the services in reverse order of
 * start — the HTTP endpoint, the connector service (no new reads) and its catalog, then
 * the metastore, whose close waits for its store — and the command exits 0; a second
 * signal exits at once. Nothing here commits to tables, so no commit can be cut in half;
 * a writer's commit is atomic on its own (one create-if-absent of the snapshot file).
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { catalogFromOptions } from "@streamhouse/catalog";
import { openStore, startMetastore } from "@streamhouse/metastore";
import { startTrinoService, type TrinoServiceHandle } from "@streamhouse/trino";
import { integerFlag, parseCommandArgs, stringFlag } from "../args.js";
import { type Command, UsageError } from "../cli-context.js";
import { callMetrics } from "../serve/call-metrics.js";
import { type ServiceProbe, startHealthEndpoint } from "../serve/health-endpoint.js";
import { instrumentStore } from "../serve/instrumented-store.js";
import { MetricsRegistry } from "../serve/metrics-registry.js";
import { LOG_FORMATS, type LogFormat, serviceLog } from "../serve/service-log.js";
import { TableMetrics } from "../serve/table-metrics.js";
import { trinoServiceMetrics } from "../serve/trino-service-metrics.js";
import { waitForSignal } from "../serve/wait-for-signal.js";
import { AUTH_FLAGS, authFromFlags, DEFAULT_DATA_DIR } from "./metastore.js";
import { fileIOFor } from "./table-location.js";

export const DEFAULT_TRINO_SERVICE_PORT = 7779;
export const DEFAULT_HTTP_PORT = 9464;
/** The catalog name the printed Trino catalog file uses. */
export const TRINO_CATALOG = "streamhouse";

export const upCommand: Command = {
  name: "up",
  summary: "run the metastore, the Trino connector service and /health + /metrics (npm start)",
  usage:
    "streamhouse up [--host 127.0.0.1] [--port 9083] [--trino-port 7779] [--http-port 9464] [--warehouse DIR|s3://...] [--store sqlite:FILE|postgres://...] [--no-trino] [--auth plain --users FILE] [--log-format plain|json]",
  async run(ctx) {
    const parsed = parseCommandArgs(ctx.args, {
      host: { type: "string" },
      port: { type: "string" },
      "trino-port": { type: "string" },
      "http-port": { type: "string" },
      warehouse: { type: "string" },
      store: { type: "string" },
      "no-trino": { type: "boolean" },
      "log-format": { type: "string" },
      ...AUTH_FLAGS,
    });
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
    const port = portFlag(parsed, "port", "STREAMHOUSE_METASTORE_PORT", 9083);
    const trinoPort = portFlag(parsed, "trino-port", "STREAMHOUSE_TRINO_SERVICE_PORT", DEFAULT_TRINO_SERVICE_PORT);
    const httpPort = portFlag(parsed, "http-port", "STREAMHOUSE_HTTP_PORT", DEFAULT_HTTP_PORT);
    const host = stringFlag(parsed, "host") ?? "127.0.0.1";
    const logFormat = (stringFlag(parsed, "log-format") ?? "plain") as LogFormat;
    if (!LOG_FORMATS.includes(logFormat)) throw new UsageError(`--log-format must be one of ${LOG_FORMATS.join(", ")}`);
    const auth = authFromFlags(parsed);
    if (auth !== undefined && parsed.values["no-trino"] !== true) {
      throw new UsageError("--auth plain needs --no-trino: the Trino connector service's metastore client cannot log in yet");
    }
    const log = serviceLog(ctx.err, logFormat);

    const warehouseArg = stringFlag(parsed, "warehouse") ?? `${DEFAULT_DATA_DIR}/warehouse`;
    const warehouse = /^[a-z][a-z0-9+.-]*:\/\//i.test(warehouseArg) ? warehouseArg : resolve(warehouseArg);
    if (!warehouse.includes("://")) mkdirSync(warehouse, { recursive: true });
    const store = sqliteResolved(stringFlag(parsed, "store") ?? `sqlite:${DEFAULT_DATA_DIR}/metastore.sqlite`);

    const registry = new MetricsRegistry();
    const tableMetrics = new TableMetrics(fileIOFor(warehouse).io, warehouse);
    const probes: ServiceProbe[] = [];
    // A listener's address is where clients go: 0.0.0.0 is reached through loopback.
    const reach = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
    const stops: { name: string; close: () => Promise<void> }[] = [];
    const stopAll = async (): Promise<void> => {
      for (const s of stops.reverse()) {
        log("info", `${s.name} stopping`);
        await s.close();
        log("info", `${s.name} stopped`);
      }
    };

    // Listen from the start: a signal during startup stops what has started so far once
    // the current step completes, instead of killing the process halfway.
    const startup = new AbortController();
    const signalled = waitForSignal(startup.signal);
    try {
      const metastore = await startMetastore({
        port,
        host,
        warehouse,
        store: instrumentStore(openStore(store), registry),
        ...(auth === undefined ? {} : { auth }),
        log: (message) => log("warn", message),
        onCall: callMetrics(registry, "streamhouse_metastore", "Metastore"),
      });
      stops.push({ name: "metastore", close: () => metastore.close() });
      probes.push({ name: "metastore", host: reach, port: metastore.port });
      const metastoreUri = `thrift://${reach}:${metastore.port}`;
      log("info", "metastore started", { address: metastoreUri, warehouse, store: redact(store), auth: auth === undefined ? "none" : "plain" });
      ctx.out.write(`metastore ready on ${metastoreUri} (warehouse ${warehouse})\n`);

      let trino: TrinoServiceHandle | null = null;
      if (parsed.values["no-trino"] !== true) {
        const catalog = catalogFromOptions({ metastore: metastoreUri, warehouse });
        stops.push({ name: "trino catalog", close: () => catalog.close() });
        trino = await startTrinoService({
          catalog,
          port: trinoPort,
          host,
          log: (message) => log("warn", message),
          onCall: callMetrics(registry, "streamhouse_trino", "Trino connector service"),
        });
        const handle = trino;
        stops.push({ name: "trino connector service", close: () => handle.close() });
        probes.push({ name: "trino", host: reach, port: trino.port });
        log("info", "trino connector service started", { address: `${reach}:${trino.port}`, catalog: catalog.description });
        ctx.out.write(`trino connector service ready on ${reach}:${trino.port}\n`);
      }

      const http = await startHealthEndpoint({
        host,
        port: httpPort,
        services: () => probes,
        registry,
        collect: async () => {
          if (trino !== null) trinoServiceMetrics(registry, trino.stats());
          await tableMetrics.collect(registry);
        },
        onError: (message) => log("error", `http ${message}`),
      });
      stops.push({ name: "http endpoint", close: () => http.close() });
      log("info", "http endpoint started", { address: `http://${reach}:${http.port}` });
      ctx.out.write(`health on http://${reach}:${http.port}/health, metrics on http://${reach}:${http.port}/metrics\n`);
      ctx.out.write(nextStep(trino === null ? null : `${reach}:${trino.port}`, process.env["STREAMHOUSE_TRINO"]));

      const signal = await signalled;
      log("info", `${signal} received: shutting down`);
    } finally {
      startup.abort();
      await stopAll();
    }
  },
};

/** What to do next, for people: the Trino catalog file, then how to query. */
export function nextStep(trinoService: string | null, trinoServer: string | undefined): string {
  if (trinoService === null) {
    return [
      "",
      "Next: point an engine's Hive catalog at the metastore (Trino: connector.name=hive, hive.metastore.uri=<the URI above>);",
      "Ctrl-C stops.",
      "",
    ].join("\n");
  }
  const lines = [
    "",
    `Next: add this catalog to your Trino, as etc/catalog/${TRINO_CATALOG}.properties:`,
    "",
    "  connector.name=trino_thrift",
    `  trino.thrift.client.addresses=${trinoService}`,
    "",
  ];
  if (trinoServer !== undefined && trinoServer !== "") lines.push(`then query it: streamhouse query "SHOW TABLES FROM ${TRINO_CATALOG}.default"   (Trino at ${trinoServer})`);
  else lines.push(`then query it: streamhouse query --server http://<trino-host>:8080 "SHOW TABLES FROM ${TRINO_CATALOG}.default"`);
  lines.push("Ctrl-C stops.", "");
  return lines.join("\n");
}

/** A port from its flag, else from the environment variable (so `npm start` can move it), else the default. */
function portFlag(parsed: Parameters<typeof integerFlag>[0], name: string, env: string, fallback: number): number {
  let port = integerFlag(parsed, name);
  if (port === undefined) {
    const text = process.env[env];
    if (text !== undefined && text !== "") {
      if (!/^\d+$/.test(text)) throw new UsageError(`${env} must be a port number, got "${text}"`);
      port = Number(text);
    }
  }
  port ??= fallback;
  if (port > 65535) throw new UsageError(`--${name} must be at most 65535, got ${port}`);
  return port;
}

/** A SQLite store path made absolute, its directory created (as `metastore start` does). */
function sqliteResolved(store: string): string {
  if (!store.startsWith("sqlite:") || store === "sqlite::memory:") return store;
  const file = resolve(store.slice("sqlite:".length));
  mkdirSync(dirname(file), { recursive: true });
  return `sqlite:${file}`;
}

/** A store URL without its password, for logs. */
function redact(store: string): string {
  return store.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/, "$1:***@");
}

