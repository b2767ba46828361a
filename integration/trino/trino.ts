/**
 * The single-node Trino harness, as tests import it. The implementation is plain
 * JavaScript in trino-server.mjs (typed by trino-server.d.mts) so that benchmarks, which
 * run on Node without a TypeScript step, start Trino the same way tests do.
 */
export type { CatalogProperties, QueryOutcome, StartTrinoOptions, TrinoServer } from "./trino-server.mjs";
export { ensureTrino, startTrino, TrinoQueryError } from "./trino-server.mjs";
