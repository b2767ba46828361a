/**
 * The operations endpoint of `up`: `GET /health` answers JSON with each service and
 * whether it accepts connections right now (200 when all do, 503 otherwise), and
 * `GET /metrics` the Prometheus text of the registry, refreshed first by `collect`.
 * Anything else is 404. Health is probed, not assumed: a TCP connect to each service's
 * port, bounded by `PROBE_TIMEOUT_MS`. Every answer closes its connection: scrapes are
 * seconds apart, and an idle keep-alive socket only invites a client to reuse one the
 * server has just timed out.
 */
import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type { MetricsRegistry } from "./metrics-registry.js";

export interface ServiceProbe {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

export interface HealthEndpointOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly services: () => readonly ServiceProbe[];
  readonly registry: MetricsRegistry;
  /** Refreshes scrape-time metrics (table counts) before `/metrics` renders. */
  readonly collect: () => Promise<void>;
  readonly onError?: (message: string) => void;
}

export interface HealthEndpoint {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 1_000;
const HTTP_REQUESTS = "streamhouse_http_requests_total";

export function probePort(host: string, port: number, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

export async function startHealthEndpoint(o: HealthEndpointOptions): Promise<HealthEndpoint> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    res.shouldKeepAlive = false;
    const answer = async (): Promise<void> => {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { allow: "GET, HEAD" }).end();
        return;
      }
      if (path === "/health") {
        const services = await Promise.all(o.services().map(async (s) => ({ name: s.name, address: `${s.host}:${s.port}`, serving: await probePort(s.host, s.port) })));
        const ok = services.length > 0 && services.every((s) => s.serving);
        res.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(`${JSON.stringify({ status: ok ? "ok" : "unavailable", services })}\n`);
      } else if (path === "/metrics") {
        await o.collect();
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(o.registry.render());
      } else {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found: try /health or /metrics\n");
      }
    };
    answer()
      .catch((e: unknown) => {
        o.onError?.(`${path}: ${e instanceof Error ? e.message : String(e)}`);
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end("internal error\n");
      })
      .finally(() => o.registry.increment(HTTP_REQUESTS, "Requests to the health and metrics endpoint.", { path: path === "/health" || path === "/metrics" ? path : "other", code: String(res.statusCode) }));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(o.port, o.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (e) {
    throw new StreamhouseError(ErrorKind.Io, `cannot listen on ${o.host}:${o.port} for /health and /metrics: ${(e as Error).message}`, { cause: e });
  }
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : o.port;
  return {
    host: o.host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
