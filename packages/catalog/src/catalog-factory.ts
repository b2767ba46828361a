/**
 * One way to pick a catalog, shared by the CLI and the Trino service:
 * `metastore` (a `thrift://host:port` URI) selects the Hive catalog, with
 * `warehouse` as the place for new databases; `warehouse` alone selects the
 * filesystem catalog rooted there (a local directory, relative to the working
 * directory, or `s3://bucket/path`).
 */
import { resolve } from "node:path";
import type { FileIO } from "@streamhouse/fileio";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type { Catalog } from "./catalog.js";
import { FilesystemCatalog } from "./filesystem-catalog.js";
import { HiveCatalog, type HiveCatalogOptions } from "./hive-catalog.js";
import { resolveLocation } from "./location.js";

export interface CatalogSelection {
  /** `thrift://host:port[,…]`: the Hive catalog on that metastore. */
  readonly metastore?: string | undefined;
  /** A directory or `s3://…`: where tables go (filesystem catalog without `metastore`). */
  readonly warehouse?: string | undefined;
  /** The FileIO for every location (default: by scheme). */
  readonly io?: FileIO | undefined;
  /** Hive catalog only: take the metastore lock around commits. */
  readonly lockEnabled?: boolean | undefined;
}

/** Absolute local paths and URIs as given; a relative path from the working directory. */
function absoluteLocation(location: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(location) || location.startsWith("/") ? location : resolve(location);
}

export function catalogFromOptions(selection: CatalogSelection): Catalog {
  const metastore = selection.metastore?.trim();
  const warehouse = selection.warehouse?.trim();
  if (metastore !== undefined && metastore !== "") {
    const options: HiveCatalogOptions = {
      uri: metastore,
      ...(warehouse !== undefined && warehouse !== "" ? { warehouse: absoluteLocation(warehouse) } : {}),
      ...(selection.io !== undefined ? { io: selection.io } : {}),
      ...(selection.lockEnabled !== undefined ? { lockEnabled: selection.lockEnabled } : {}),
    };
    return new HiveCatalog(options);
  }
  if (warehouse !== undefined && warehouse !== "") {
    const { io, path } = resolveLocation(absoluteLocation(warehouse), selection.io);
    return new FilesystemCatalog(io, path);
  }
  throw new StreamhouseError(ErrorKind.InvalidArgument, "no catalog chosen: give a metastore URI (thrift://host:port) or a warehouse directory");
}
