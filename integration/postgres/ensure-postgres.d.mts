// Types of ensure-postgres.mjs (plain JavaScript so that it runs as a script on Node 20).

export interface PostgresInstall {
  /** The directory holding initdb and postgres. */
  readonly bin: string;
  /** The server version, e.g. "15.18". */
  readonly version: string;
}

export declare function ensurePostgres(options?: { readonly log?: (line: string) => void }): Promise<PostgresInstall>;
