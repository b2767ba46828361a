/**
 * Turns a command's table argument into an opened table: a local directory (or
 * file:// URL), or an `s3://bucket/path` location. For S3 the endpoint, region and
 * credentials come from the standard AWS environment (AWS_ENDPOINT_URL, AWS_REGION,
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, …); a custom endpoint uses path-style
 * addressing, as S3-compatible servers expect. `db.table` names through a catalog
 * come with the catalog package.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type FileIO, LocalFileIO, S3FileIO } from "@streamhouse/fileio";
import { FileStoreTable } from "@streamhouse/table";
import { UsageError } from "../cli-context.js";

export function fileIOFor(location: string): { io: FileIO; path: string } {
  if (/^s3a?:\/\//i.test(location)) {
    const endpoint = process.env["AWS_ENDPOINT_URL_S3"] ?? process.env["AWS_ENDPOINT_URL"];
    const region = process.env["AWS_REGION"] ?? process.env["AWS_DEFAULT_REGION"] ?? "us-east-1";
    const io = new S3FileIO({ clientConfig: endpoint === undefined ? { region } : { region, endpoint, forcePathStyle: true } });
    return { io, path: location.replace(/\/+$/, "") };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith("file://")) {
    throw new UsageError(`unsupported location "${location}": use a local directory or s3://bucket/path`);
  }
  const path = location.startsWith("file://") ? fileURLToPath(location) : resolve(location);
  return { io: new LocalFileIO(), path: path.replace(/\/+$/, "") };
}

export async function openTableArg(arg: string | undefined, dynamicOptions: Readonly<Record<string, string>> = {}): Promise<FileStoreTable> {
  if (arg === undefined || arg === "") throw new UsageError("missing the table location (a directory or s3://bucket/path)");
  const { io, path } = fileIOFor(arg);
  return FileStoreTable.open(io, path, dynamicOptions);
}
