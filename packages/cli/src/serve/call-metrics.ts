/**
 * Per-request metrics of a Thrift server (the metastore, the Trino connector service),
 * fed by its `onCall(method, durationMs, ok)` hook: `<prefix>_requests_total{method,
 * outcome}` and the latency histogram `<prefix>_request_duration_seconds{method}`.
 *
 * A method label comes from the wire, and a client may send any name: after
 * `methodsMax` distinct names, further new ones are counted as method="other", so a
 * misbehaving client cannot grow the registry without bound.
 */
import type { MetricsRegistry } from "./metrics-registry.js";

export const DEFAULT_METHODS_MAX = 256;

export type OnCall = (method: string, durationMs: number, ok: boolean) => void;

export function callMetrics(registry: MetricsRegistry, prefix: string, what: string, methodsMax = DEFAULT_METHODS_MAX): OnCall {
  const seen = new Set<string>();
  const requests = `${prefix}_requests_total`;
  const latency = `${prefix}_request_duration_seconds`;
  return (method, durationMs, ok) => {
    let label = method;
    if (!seen.has(label)) {
      if (seen.size >= methodsMax) label = "other";
      else seen.add(label);
    }
    registry.increment(requests, `${what} calls answered, by method and outcome (error: the reply is an exception).`, { method: label, outcome: ok ? "ok" : "error" });
    registry.observe(latency, `${what} call latency from request read to reply written, seconds, by method.`, { method: label }, durationMs / 1000);
  };
}
