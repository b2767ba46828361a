/**
 * `s3://bucket/key` paths. The scheme is kept as given (`s3` or `s3a`, which
 * Hadoop-based engines write into Paimon metadata), trailing slashes are dropped,
 * and an empty key names the bucket's root "directory".
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";

export interface S3Location {
  readonly scheme: string;
  readonly bucket: string;
  /** The object key, without leading or trailing slashes; "" for the bucket root. */
  readonly key: string;
}

const PATH = /^(s3a?):\/\/([^/]+)(?:\/(.*))?$/;

export function parseS3Path(path: string): S3Location {
  const m = PATH.exec(path);
  if (m === null) {
    throw new StreamhouseError(ErrorKind.InvalidArgument, `not an s3:// path: ${path}`, { context: { file: path } });
  }
  const key = (m[3] ?? "").replace(/^\/+/, "").replace(/\/+$/, "");
  return { scheme: m[1]!, bucket: m[2]!, key };
}

export function formatS3Path(location: S3Location, key: string = location.key): string {
  return key === "" ? `${location.scheme}://${location.bucket}` : `${location.scheme}://${location.bucket}/${key}`;
}

/** The key prefix that selects everything below `key` ("" at the root). */
export function directoryPrefix(key: string): string {
  return key === "" ? "" : `${key}/`;
}
