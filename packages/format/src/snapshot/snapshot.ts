/**
 * Snapshot files `snapshot/snapshot-<id>` (mirrors `org.apache.paimon.Snapshot`,
 * release 2.0.0, JSON version 3).
 *
 * Reading is tolerant of every writer since 0.9: unknown keys are kept (and written
 * back unchanged), explicit nulls are the same as absent keys, `logOffsets` (dropped
 * in 1.4) is kept only as an unknown key, and a missing `version` means version 1.
 * Writing follows Java: keys in declaration order, absent optionals omitted, Jackson's
 * pretty printing.
 */
import { dataInvalid, withErrorContext } from "../errors.js";
import { type JsonValue, parseJson, stringifyJackson } from "../util/json.js";

export const CommitKind = {
  APPEND: "APPEND",
  COMPACT: "COMPACT",
  OVERWRITE: "OVERWRITE",
  ANALYZE: "ANALYZE",
} as const;
export type CommitKind = (typeof CommitKind)[keyof typeof CommitKind];

export const SNAPSHOT_VERSION = 3;

/** The identifier batch (non-streaming) commits use: Java's Long.MAX_VALUE. */
export const BATCH_COMMIT_IDENTIFIER = 9223372036854775807n;

export interface Snapshot {
  readonly version: number;
  readonly id: number;
  readonly schemaId: number;
  readonly baseManifestList: string;
  readonly baseManifestListSize: number | null;
  readonly deltaManifestList: string;
  readonly deltaManifestListSize: number | null;
  readonly changelogManifestList: string | null;
  readonly changelogManifestListSize: number | null;
  readonly indexManifest: string | null;
  readonly commitUser: string;
  readonly commitIdentifier: bigint;
  readonly commitKind: CommitKind;
  readonly timeMillis: number;
  readonly totalRecordCount: number;
  readonly deltaRecordCount: number;
  readonly changelogRecordCount: number | null;
  readonly watermark: bigint | null;
  readonly statistics: string | null;
  readonly properties: Readonly<Record<string, string>> | null;
  readonly nextRowId: number | null;
  /** Keys this version does not model (e.g. `logOffsets`, `uuid`), kept for writing back. */
  readonly extra: Readonly<Record<string, JsonValue>>;
}

/** Keys in the order Java declares them; this is also the order they are written in. */
const KNOWN_KEYS = [
  "version",
  "id",
  "schemaId",
  "baseManifestList",
  "baseManifestListSize",
  "deltaManifestList",
  "deltaManifestListSize",
  "changelogManifestList",
  "changelogManifestListSize",
  "indexManifest",
  "commitUser",
  "commitIdentifier",
  "commitKind",
  "timeMillis",
  "totalRecordCount",
  "deltaRecordCount",
  "changelogRecordCount",
  "watermark",
  "statistics",
  "properties",
  "nextRowId",
] as const;

/** A reader over one JSON object that reports which key was wrong. */
export class JsonFields {
  constructor(
    private readonly obj: Readonly<Record<string, JsonValue | undefined>>,
    private readonly what: string,
  ) {}

  static of(json: JsonValue, what: string): JsonFields {
    if (json === null || typeof json !== "object" || Array.isArray(json)) throw dataInvalid(`${what} must be a JSON object`);
    return new JsonFields(json as Record<string, JsonValue | undefined>, what);
  }

  has(key: string): boolean {
    const v = this.obj[key];
    return v !== undefined && v !== null;
  }

  raw(key: string): JsonValue | undefined {
    return this.obj[key];
  }

  private bad(key: string, expected: string): never {
    throw dataInvalid(`${this.what}: "${key}" must be ${expected}`, { key });
  }

  string(key: string): string {
    const v = this.obj[key];
    if (typeof v !== "string") this.bad(key, "a string");
    return v;
  }

  optString(key: string): string | null {
    return this.has(key) ? this.string(key) : null;
  }

  /** A long that must fit a JS number exactly (ids, sizes, counts, times). */
  number(key: string): number {
    const v = this.obj[key];
    if (typeof v !== "number" || !Number.isInteger(v)) this.bad(key, "an integer");
    return v;
  }

  optNumber(key: string): number | null {
    return this.has(key) ? this.number(key) : null;
  }

  /** A long of any magnitude. */
  bigint(key: string): bigint {
    const v = this.obj[key];
    if (typeof v === "bigint") return v;
    if (typeof v !== "number" || !Number.isInteger(v)) this.bad(key, "an integer");
    return BigInt(v);
  }

  optBigint(key: string): bigint | null {
    return this.has(key) ? this.bigint(key) : null;
  }

  stringArray(key: string): string[] {
    const v = this.obj[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) this.bad(key, "an array of strings");
    return [...(v as string[])];
  }

  stringMap(key: string): Record<string, string> | null {
    if (!this.has(key)) return null;
    const v = this.obj[key];
    if (typeof v !== "object" || Array.isArray(v)) this.bad(key, "an object");
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v as Record<string, JsonValue>)) {
      if (typeof x !== "string") this.bad(`${key}.${k}`, "a string");
      out[k] = x;
    }
    return out;
  }

  /** Everything not in `known`, for writing back unchanged. */
  extras(known: readonly string[]): Record<string, JsonValue> {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(this.obj)) {
      if (!known.includes(k) && v !== undefined) out[k] = v;
    }
    return out;
  }
}

export function snapshotFromJsonValue(json: JsonValue): Snapshot {
  const f = JsonFields.of(json, "snapshot");
  const kind = f.string("commitKind");
  if (!(kind in CommitKind)) throw dataInvalid(`snapshot: unknown commitKind "${kind}"`, { key: "commitKind" });
  return {
    version: f.optNumber("version") ?? 1,
    id: f.number("id"),
    schemaId: f.number("schemaId"),
    baseManifestList: f.string("baseManifestList"),
    baseManifestListSize: f.optNumber("baseManifestListSize"),
    deltaManifestList: f.string("deltaManifestList"),
    deltaManifestListSize: f.optNumber("deltaManifestListSize"),
    changelogManifestList: f.optString("changelogManifestList"),
    changelogManifestListSize: f.optNumber("changelogManifestListSize"),
    indexManifest: f.optString("indexManifest"),
    commitUser: f.string("commitUser"),
    commitIdentifier: f.bigint("commitIdentifier"),
    commitKind: kind as CommitKind,
    timeMillis: f.optNumber("timeMillis") ?? 0,
    totalRecordCount: f.optNumber("totalRecordCount") ?? 0,
    deltaRecordCount: f.optNumber("deltaRecordCount") ?? 0,
    changelogRecordCount: f.optNumber("changelogRecordCount"),
    watermark: f.optBigint("watermark"),
    statistics: f.optString("statistics"),
    properties: f.stringMap("properties"),
    nextRowId: f.optNumber("nextRowId"),
    extra: f.extras(KNOWN_KEYS),
  };
}

export function snapshotToJsonValue(s: Snapshot): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  const put = (k: string, v: JsonValue | undefined): void => {
    if (v !== null && v !== undefined) out[k] = v;
  };
  put("version", s.version);
  put("id", s.id);
  put("schemaId", s.schemaId);
  put("baseManifestList", s.baseManifestList);
  put("baseManifestListSize", s.baseManifestListSize);
  put("deltaManifestList", s.deltaManifestList);
  put("deltaManifestListSize", s.deltaManifestListSize);
  put("changelogManifestList", s.changelogManifestList);
  put("changelogManifestListSize", s.changelogManifestListSize);
  put("indexManifest", s.indexManifest);
  put("commitUser", s.commitUser);
  put("commitIdentifier", s.commitIdentifier);
  put("commitKind", s.commitKind);
  put("timeMillis", s.timeMillis);
  // Writers before 1.4 put logOffsets here; keep its place so such files round-trip.
  put("logOffsets", s.extra["logOffsets"]);
  put("totalRecordCount", s.totalRecordCount);
  put("deltaRecordCount", s.deltaRecordCount);
  put("changelogRecordCount", s.changelogRecordCount);
  put("watermark", s.watermark);
  put("statistics", s.statistics);
  put("properties", s.properties);
  put("nextRowId", s.nextRowId);
  for (const [k, v] of Object.entries(s.extra)) if (k !== "logOffsets") put(k, v);
  return out;
}

export function decodeSnapshot(text: string, file?: string): Snapshot {
  return withErrorContext({ file }, () => snapshotFromJsonValue(parseJson(text, file)));
}

export function encodeSnapshot(s: Snapshot): string {
  return stringifyJackson(snapshotToJsonValue(s));
}
