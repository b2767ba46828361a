// Types of ensure-trino.mjs (plain JavaScript so that it runs as a script on Node 20).

export interface TrinoInstall {
  /** The server's root: bin/launcher, lib/, plugin/<name>/. */
  readonly home: string;
  readonly version: string;
  /** The JDK the server runs on (Java 24+ for Trino 476). */
  readonly javaHome: string;
  /** Plugin directories present under plugin/, sorted. */
  readonly plugins: readonly string[];
  /** Bytes downloaded by this call: 0 when the cache already held the server. */
  readonly downloadedBytes: number;
}

/** The "trino" entry of integration/versions.json (comment keys removed). */
export declare function trinoVersions(): Record<string, string>;

/** `STREAMHOUSE_CACHE`, else ~/.cache/streamhouse. */
export declare function cacheRoot(): string;

export declare function ensureTrinoInstall(options?: { readonly log?: (line: string) => void }): Promise<TrinoInstall>;
