/**
 * Names and places the data files of one partition-bucket writer (Paimon's
 * `DataFilePathFactory`, release 2.0.0): `<prefix><uuid>-<n>.parquet` in
 * `<table>/[partition path/]bucket-<b>/`, one random UUID per factory and a counter from 0,
 * so names never collide and each writer's files sort in write order.
 */
import { randomUUID } from "node:crypto";
import { joinPath } from "@streamhouse/fileio";
import { TablePaths } from "../table-paths.js";

export class DataFilePathFactory {
  private readonly uuid: string;
  private counter = 0;
  readonly bucketDir: string;

  constructor(
    tablePath: string,
    /** `k1=v1/…/` as made by partitionPath(), "" when unpartitioned. */
    partitionPath: string,
    bucket: number,
    private readonly prefix = "data-",
    private readonly extension = "parquet",
    uuid: string = randomUUID(),
  ) {
    this.uuid = uuid;
    this.bucketDir = TablePaths.bucketDir(tablePath, partitionPath, bucket);
  }

  /** The next file name and its full path. */
  next(): { readonly name: string; readonly path: string } {
    const name = `${this.prefix}${this.uuid}-${this.counter++}.${this.extension}`;
    return { name, path: joinPath(this.bucketDir, name) };
  }
}

/**
 * `_CREATION_TIME`: Java stores `LocalDateTime.now()` — the local wall clock — as if it
 * were UTC, so the epoch millis are shifted by the local zone offset at that instant.
 */
export function localWallClockMillis(epochMillis: number): bigint {
  return BigInt(epochMillis - new Date(epochMillis).getTimezoneOffset() * 60_000);
}
