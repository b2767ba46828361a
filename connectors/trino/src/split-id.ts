/**
 * What a split id (`TrinoThriftId.id`) and a page token carry: JSON, so that any
 * service instance can read any split — nothing is remembered between calls except
 * an optional open cursor (see row-cursors.ts).
 *
 * A data split pins the snapshot and the schema planned by one `trinoGetSplits`
 * call, so every split of a query reads the same snapshot however many commits land
 * while it runs.
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type { SystemTableKind } from "./system/system-tables.js";

export interface DataSplitId {
  readonly kind: "data";
  readonly database: string;
  readonly table: string;
  readonly snapshotId: number;
  readonly schemaId: number;
  /** Partition bytes as hex. */
  readonly partition: string;
  readonly bucket: number;
  readonly files: readonly string[];
}

export interface SystemSplitId {
  readonly kind: "system";
  readonly database: string;
  readonly table: string;
  readonly system: SystemTableKind;
  readonly payload: unknown;
}

export type SplitId = DataSplitId | SystemSplitId;

export function encodeSplitId(id: SplitId): Buffer {
  return Buffer.from(JSON.stringify(id), "utf8");
}

function invalid(what: string, cause?: unknown): StreamhouseError {
  return new StreamhouseError(ErrorKind.InvalidArgument, `not a split id of this service: ${what}`, { cause });
}

export function decodeSplitId(bytes: Uint8Array): SplitId {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (e) {
    throw invalid("not JSON", e);
  }
  if (typeof v !== "object" || v === null) throw invalid("not an object");
  const o = v as Record<string, unknown>;
  if (typeof o.database !== "string" || typeof o.table !== "string") throw invalid("no table");
  if (o.kind === "data") {
    if (
      typeof o.snapshotId !== "number" ||
      typeof o.schemaId !== "number" ||
      typeof o.partition !== "string" ||
      typeof o.bucket !== "number" ||
      !Array.isArray(o.files) ||
      !o.files.every((f) => typeof f === "string")
    ) {
      throw invalid("malformed data split");
    }
    return o as unknown as DataSplitId;
  }
  if (o.kind === "system" && typeof o.system === "string") return o as unknown as SystemSplitId;
  throw invalid(`unknown kind ${String(o.kind)}`);
}

/** A page token: the cursor that holds the rest of the split, and how many rows were sent. */
export interface PageToken {
  readonly cursor: string;
  readonly offset: number;
}

export function encodePageToken(t: PageToken): Buffer {
  return Buffer.from(JSON.stringify(t), "utf8");
}

export function decodePageToken(bytes: Uint8Array): PageToken {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (e) {
    throw new StreamhouseError(ErrorKind.InvalidArgument, "not a page token of this service", { cause: e });
  }
  const o = v as Record<string, unknown>;
  if (typeof o?.cursor !== "string" || typeof o.offset !== "number" || !Number.isInteger(o.offset) || o.offset < 0) {
    throw new StreamhouseError(ErrorKind.InvalidArgument, "not a page token of this service");
  }
  return { cursor: o.cursor, offset: o.offset };
}
