/**
 * Table and database locations as metastores record them, and the FileIO that
 * reaches them. Metastores write local directories as `file:/a/b` (Hadoop) or
 * `file:///a/b`; we read both, and a bare absolute path, as the local `/a/b`.
 * `s3://` and `s3a://` locations go to S3, configured from the standard AWS
 * environment (AWS_ENDPOINT_URL[_S3], AWS_REGION, credentials); a custom endpoint
 * uses path-style addressing, as S3-compatible servers expect.
 */
import { type FileIO, LocalFileIO, S3FileIO } from "@streamhouse/fileio";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";

export interface ResolvedLocation {
  readonly io: FileIO;
  /** The location in the FileIO's own form (a local path, or `s3://bucket/key`). */
  readonly path: string;
}

const S3 = /^s3a?:\/\//i;

/** The local path a location names, or undefined when it is not local. */
export function localPathOf(location: string): string | undefined {
  if (location.startsWith("/")) return location;
  const m = /^file:(?:\/\/(?=\/)|(?=\/[^/]))(\/.*)$/i.exec(location);
  return m?.[1];
}

/**
 * Whether a location is on an object store: anything with a scheme other than the
 * local file system and HDFS. Paimon takes the metastore lock by default there.
 */
export function isObjectStoreLocation(location: string): boolean {
  if (localPathOf(location) !== undefined) return false;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(location)?.[1]?.toLowerCase();
  return scheme !== undefined && scheme !== "file" && scheme !== "hdfs" && scheme !== "viewfs";
}

/** A directory below `location`, keeping its scheme as written. */
export function childLocation(location: string, name: string): string {
  return `${location.replace(/\/+$/, "")}/${name}`;
}

/** A FileIO for S3 from the AWS environment. */
export function s3FileIOFromEnv(): S3FileIO {
  const endpoint = process.env["AWS_ENDPOINT_URL_S3"] ?? process.env["AWS_ENDPOINT_URL"];
  const region = process.env["AWS_REGION"] ?? process.env["AWS_DEFAULT_REGION"] ?? "us-east-1";
  return new S3FileIO({ clientConfig: endpoint === undefined ? { region } : { region, endpoint, forcePathStyle: true } });
}

/**
 * The FileIO and path for a location. `io`, when given, is used for every location
 * (a caller that knows its store, e.g. tests with a MemoryFileIO); otherwise local
 * paths get a LocalFileIO and S3 locations one S3 client per catalog (`s3`).
 */
export function resolveLocation(location: string, io?: FileIO, s3?: () => FileIO): ResolvedLocation {
  const local = localPathOf(location);
  if (io !== undefined) return { io, path: (local ?? location).replace(/(?<=.)\/+$/, "") };
  if (local !== undefined) return { io: new LocalFileIO(), path: local.replace(/(?<=.)\/+$/, "") };
  if (S3.test(location)) return { io: (s3 ?? s3FileIOFromEnv)(), path: location.replace(/\/+$/, "") };
  throw new StreamhouseError(ErrorKind.Unsupported, `unsupported location '${location}': use a local directory or s3://bucket/path`, { context: { location } });
}
