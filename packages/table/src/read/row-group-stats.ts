/**
 * Row-group pruning from Parquet column statistics. The footer's min/max are
 * plain-encoded values of the physical type; they are decoded to Streamhouse values
 * of the field's type as the FILE wrote it, and offered to a caller's predicate by
 * field id. Only statistics that are certainly right are offered:
 *   - top-level primitive columns only (nested leaves have no per-row meaning);
 *   - not for fields whose type changed since the file was written;
 *   - binary/string bounds only from `min_value`/`max_value` (the deprecated
 *     `min`/`max` of old parquet-mr compare bytes as signed, which is wrong for them);
 *   - no INT96 timestamps (writers do not order them) and no NaN float bounds.
 * A predicate answers "may this row group hold a matching row?": false skips it.
 */
import type { DataType, Decimal, Timestamp, Value } from "@streamhouse/format";
import { sameTypeIgnoringNullability } from "./cast-executors.js";
import type { ColumnMapping } from "./field-id-mapping.js";
import { type ColumnStatistics, type ParquetFooter, PhysicalType } from "./parquet-footer.js";

export interface ColumnRangeStats {
  readonly min: Value | null;
  readonly max: Value | null;
  readonly nullCount: bigint | null;
}

export interface RowGroupStats {
  readonly rowGroup: number;
  readonly rowCount: bigint;
  /** By read-schema field id; fields without usable statistics are absent. */
  readonly columns: ReadonlyMap<number, ColumnRangeStats>;
}

export type RowGroupPredicate = (stats: RowGroupStats) => boolean;

export function rowGroupStats(footer: ParquetFooter, mappings: readonly ColumnMapping[]): RowGroupStats[] {
  return footer.rowGroups.map((rg, rowGroup) => {
    const columns = new Map<number, ColumnRangeStats>();
    for (const m of mappings) {
      if (m.column === null || m.fileField === null) continue;
      if (!sameTypeIgnoringNullability(m.fileField.type, m.readField.type)) continue;
      const chunk = rg.columns.find((c) => c.path.length === 1 && c.path[0] === m.column!.name);
      if (chunk === undefined || chunk.statistics === null) continue;
      const decoded = decodeStats(chunk.statistics, chunk.physicalType, m.fileField.type);
      if (decoded !== null) columns.set(m.readField.id, decoded);
    }
    return { rowGroup, rowCount: rg.numRows, columns };
  });
}

export function selectRowGroups(stats: readonly RowGroupStats[], predicate: RowGroupPredicate): number[] {
  return stats.filter((s) => predicate(s)).map((s) => s.rowGroup);
}

function decodeStats(s: ColumnStatistics, physical: number, type: DataType): ColumnRangeStats | null {
  const decode = boundDecoder(physical, type, s.legacyOrder);
  if (decode === null) return s.nullCount === null ? null : { min: null, max: null, nullCount: s.nullCount };
  const min = s.min === null ? null : decode(s.min);
  const max = s.max === null ? null : decode(s.max);
  if ((min === null) !== (max === null)) return { min: null, max: null, nullCount: s.nullCount };
  return { min, max, nullCount: s.nullCount };
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function boundDecoder(physical: number, type: DataType, legacyOrder: boolean): ((b: Uint8Array) => Value | null) | null {
  const int32 = (b: Uint8Array) => (b.length === 4 ? view(b).getInt32(0, true) : null);
  const int64 = (b: Uint8Array) => (b.length === 8 ? view(b).getBigInt64(0, true) : null);
  switch (type.root) {
    case "BOOLEAN":
      return physical === PhysicalType.BOOLEAN ? (b) => (b.length === 1 ? b[0] !== 0 : null) : null;
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "DATE":
    case "TIME":
      return physical === PhysicalType.INT32 ? int32 : null;
    case "BIGINT":
      return physical === PhysicalType.INT64 ? int64 : null;
    case "FLOAT":
    case "DOUBLE":
      if (physical === PhysicalType.FLOAT) return (b) => finite(b.length === 4 ? view(b).getFloat32(0, true) : null);
      if (physical === PhysicalType.DOUBLE) return (b) => finite(b.length === 8 ? view(b).getFloat64(0, true) : null);
      return null;
    case "DECIMAL": {
      const { precision, scale } = type;
      const of = (u: bigint | null): Decimal | null => (u === null ? null : { unscaled: u, precision, scale });
      if (physical === PhysicalType.INT32) return (b) => of(((x) => (x === null ? null : BigInt(x)))(int32(b)));
      if (physical === PhysicalType.INT64) return (b) => of(int64(b));
      if (physical === PhysicalType.FIXED_LEN_BYTE_ARRAY && !legacyOrder) return (b) => of(bigEndianSigned(b));
      return null;
    }
    case "TIMESTAMP":
    case "TIMESTAMP_LTZ": {
      if (physical !== PhysicalType.INT64 || type.precision > 6) return null;
      const micros = type.precision > 3;
      return (b) => {
        const v = int64(b);
        if (v === null) return null;
        if (!micros) return { millis: Number(v), nanoOfMillis: 0 } satisfies Timestamp;
        const us = Number(v);
        const millis = Math.floor(us / 1000);
        return { millis, nanoOfMillis: (us - millis * 1000) * 1000 } satisfies Timestamp;
      };
    }
    case "CHAR":
    case "VARCHAR":
      if (physical !== PhysicalType.BYTE_ARRAY || legacyOrder) return null;
      return (b) => {
        try {
          return new TextDecoder("utf-8", { fatal: true }).decode(b);
        } catch {
          return null; // a truncated bound may cut a character: unusable
        }
      };
    case "BINARY":
    case "VARBINARY":
      return physical === PhysicalType.BYTE_ARRAY && !legacyOrder ? (b) => b.slice() : null;
    default:
      return null;
  }
}

function finite(x: number | null): number | null {
  return x === null || Number.isNaN(x) ? null : x;
}

function bigEndianSigned(b: Uint8Array): bigint | null {
  if (b.length === 0) return null;
  let x = 0n;
  for (const byte of b) x = (x << 8n) | BigInt(byte);
  return BigInt.asIntN(b.length * 8, x);
}
