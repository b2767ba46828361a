// Types of trino-server.mjs (plain JavaScript so that benchmarks run it on Node 20 too).

import { type TrinoInstall } from "./ensure-trino.mjs";
export type CatalogProperties = Readonly<Record<string, string>>;
export interface StartTrinoOptions {
    /** Catalog name → its properties (`connector.name` and the rest). */
    readonly catalogs: Readonly<Record<string, CatalogProperties>>;
    /** `-Xmx` of the server's JVM (default 2G: the CI machine has 2 cores, and Trino shares it). */
    readonly maxHeap?: string;
    /** Extra lines for etc/log.properties, e.g. `{ "io.trino.plugin.hive.metastore.thrift": "DEBUG" }`. */
    readonly logLevels?: Readonly<Record<string, string>>;
    /** How long to wait for the server to report it has started (default 240 s). */
    readonly readyTimeoutMs?: number;
    /** Progress lines (default: stderr). */
    readonly log?: (line: string) => void;
}
export interface QueryOutcome {
    readonly columns: readonly {
        readonly name: string;
        readonly type: string;
    }[];
    readonly rows: readonly (readonly unknown[])[];
    /** Trino's id of the query, for its web UI and logs. */
    readonly queryId: string;
}
export interface TrinoServer {
    /** `http://127.0.0.1:PORT`. */
    readonly url: string;
    readonly port: number;
    readonly version: string;
    /** Milliseconds from spawn to "started". */
    readonly startupMs: number;
    /** Runs one statement to completion; a failed query rejects with Trino's error name and message. */
    query(sql: string, options?: {
        readonly catalog?: string;
        readonly schema?: string;
    }): Promise<QueryOutcome>;
    /** The last `chars` characters of the server's log. */
    logTail(chars?: number): string;
    /** The whole server log (stdout and stderr of the JVM). */
    readonly logFile: string;
    stop(): Promise<void>;
}
export declare class TrinoQueryError extends Error {
    readonly errorName: string;
    readonly sql: string;
    readonly queryId: string;
    constructor(errorName: string, message: string, sql: string, queryId: string);
}
/** Installs Trino into the cache if missing (see ensure-trino.mjs). */
export declare function ensureTrino(options?: {
    readonly log?: (line: string) => void;
}): Promise<TrinoInstall>;
export declare function startTrino(options: StartTrinoOptions): Promise<TrinoServer>;
