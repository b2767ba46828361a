/**
 * A metastore store that times its transactions. The metastore runs each Thrift request
 * in one store transaction (handler.ts), so these counts and latencies are those of the
 * requests that touch the catalog; `startMetastore` takes an open store, which is how
 * `up` observes the server without reaching into it. (A retried serialization failure
 * counts once: the timing wraps the store's own retry loop.)
 */
import type { MetastoreStore } from "@streamhouse/metastore";
import type { MetricsRegistry } from "./metrics-registry.js";

export const METASTORE_REQUESTS = "streamhouse_metastore_requests_total";
export const METASTORE_LATENCY = "streamhouse_metastore_request_duration_seconds";

export function instrumentStore(store: MetastoreStore, registry: MetricsRegistry): MetastoreStore {
  return {
    async transaction(fn) {
      const started = performance.now();
      let outcome = "ok";
      try {
        return await store.transaction(fn);
      } catch (e) {
        outcome = "error";
        throw e;
      } finally {
        registry.increment(METASTORE_REQUESTS, "Metastore requests (store transactions), by outcome.", { outcome });
        registry.observe(METASTORE_LATENCY, "Metastore request latency (one store transaction), seconds.", {}, (performance.now() - started) / 1000);
      }
    },
    close: () => store.close(),
  };
}
