/**
 * A metastore store that times its transactions: the database side of a metastore
 * request (the requests themselves are timed by the server's onCall hook, see
 * call-metrics.ts). `startMetastore` takes an open store, which is how `up` observes it
 * without reaching into the server. (A retried serialization failure counts once: the
 * timing wraps the store's own retry loop.)
 */
import type { MetastoreStore } from "@streamhouse/metastore";
import type { MetricsRegistry } from "./metrics-registry.js";

export const STORE_TRANSACTIONS = "streamhouse_metastore_store_transactions_total";
export const STORE_LATENCY = "streamhouse_metastore_store_transaction_duration_seconds";

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
        registry.increment(STORE_TRANSACTIONS, "Transactions of the metastore's store (SQLite or PostgreSQL), by outcome.", { outcome });
        registry.observe(STORE_LATENCY, "Latency of the metastore's store transactions, seconds.", {}, (performance.now() - started) / 1000);
      }
    },
    close: () => store.close(),
  };
}
