// Types of thrift-catalog.mjs (plain JavaScript so that benchmarks use it too).
import type { CatalogProperties } from "./trino-server.mjs";

export declare function trinoThriftCatalog(port: number, host?: string, extra?: CatalogProperties): CatalogProperties;
