/**
 * Decodes the values of one ORC column within one stripe into generic values.
 *
 * A column with `count` slots first reads its PRESENT stream (boolean RLE, one
 * bit per slot, absent when nothing is null); the other streams hold values for
 * the present slots only. Children of a struct have one slot per present
 * struct; the single child of a list (two of a map) has one slot per element,
 * the sum of the present lists' lengths. So each column is decoded once per
 * stripe, top-down, with counts that come from the parent.
 *
 * Values: boolean → boolean; byte/short/int/date → number; long → bigint;
 * float/double → number; string/char/varchar → string; binary → Uint8Array;
 * timestamp → bigint epoch millis; decimal → Decimal; struct → plain object by
 * field name; list → array; map → array of [key, value]; null where absent.
 */
import { dataInvalid, ErrorKind, StreamhouseError } from "../errors.js";
import type { Decimal } from "../types/values.js";
import { ByteCursor } from "./byte-cursor.js";
import { type OrcColumnEncoding, OrcEncodingKind, OrcStreamKind } from "./orc-metadata.js";
import { decodeBooleanRle, decodeByteRle, decodeIntRle } from "./orc-rle.js";
import { timestampMillis } from "./orc-timestamp.js";
import type { OrcType } from "./orc-type.js";
import { decodeUtf8 } from "./utf8.js";

/** Where a column decoder gets its streams; the reader adds file offsets to any failure inside `decode`. */
export interface OrcColumnSource {
  /** Runs `decode` over a stream's logical (decompressed) bytes; undefined if the stripe has no such stream. */
  optional<T>(column: number, kind: number, decode: (bytes: Uint8Array) => T): T | undefined;
  /**
   * As `optional`, for a stream the encoding requires. Writers may leave out a
   * stream with no bytes, so an absent stream is decoded as empty; it is only
   * corrupt if values were expected from it.
   */
  required<T>(column: number, kind: number, decode: (bytes: Uint8Array) => T): T;
  encoding(column: number): OrcColumnEncoding;
  readonly writerTimezone: string | undefined;
}

/** Lists and maps index their children with JS arrays; Java's column vectors use int offsets too. */
const CHILD_VALUES_MAX = 2 ** 31 - 1;

export function readColumn(src: OrcColumnSource, type: OrcType, count: number): unknown[] {
  const present = src.optional(type.id, OrcStreamKind.Present, (b) => decodeBooleanRle(b, count));
  let nonNull = count;
  if (present !== undefined) {
    nonNull = 0;
    for (let i = 0; i < count; i++) nonNull += present[i]!;
  }
  const values = readValues(src, type, nonNull);
  if (present === undefined || nonNull === count) return values;
  const out: unknown[] = new Array(count);
  let v = 0;
  for (let i = 0; i < count; i++) out[i] = present[i] === 1 ? values[v++] : null;
  return out;
}

function readValues(src: OrcColumnSource, type: OrcType, n: number): unknown[] {
  const id = type.id;
  switch (type.kind) {
    case "boolean":
      return Array.from(src.required(id, OrcStreamKind.Data, (b) => decodeBooleanRle(b, n)), (bit) => bit === 1);
    case "byte":
      return Array.from(src.required(id, OrcStreamKind.Data, (b) => decodeByteRle(b, n)), (u) => (u << 24) >> 24);
    case "short":
      return integers(src, type, n, -0x8000, 0x7fff);
    case "int":
    case "date":
      return integers(src, type, n, -0x8000_0000, 0x7fff_ffff);
    case "long":
      return Array.from(src.required(id, OrcStreamKind.Data, (b) => decodeIntRle(b, n, true, rleVersion(src, type))));
    case "float":
      return src.required(id, OrcStreamKind.Data, (b) => floats(b, n, 4));
    case "double":
      return src.required(id, OrcStreamKind.Data, (b) => floats(b, n, 8));
    case "string":
    case "varchar":
    case "char":
      return byteStrings(src, type, n, true);
    case "binary":
      return byteStrings(src, type, n, false);
    case "timestamp":
    case "timestamp_instant":
      return timestamps(src, type, n);
    case "decimal":
      return decimals(src, type, n);
    case "struct":
      return structs(src, type, n);
    case "list":
    case "map":
      return collections(src, type, n);
    case "union":
      throw new StreamhouseError(ErrorKind.Unsupported, "ORC union columns are not supported", { context: { column: id } });
  }
}

function rleVersion(src: OrcColumnSource, type: OrcType, dictionaryAllowed = false): 1 | 2 {
  const kind = src.encoding(type.id).kind;
  if (kind === OrcEncodingKind.Direct || (dictionaryAllowed && kind === OrcEncodingKind.Dictionary)) return 1;
  if (kind === OrcEncodingKind.DirectV2 || (dictionaryAllowed && kind === OrcEncodingKind.DictionaryV2)) return 2;
  throw dataInvalid(`column encoding ${kind} is not valid for an ORC ${type.kind} column`, { column: type.id });
}

function integers(src: OrcColumnSource, type: OrcType, n: number, min: number, max: number): number[] {
  const raw = src.required(type.id, OrcStreamKind.Data, (b) => decodeIntRle(b, n, true, rleVersion(src, type)));
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = raw[i]!;
    if (v < BigInt(min) || v > BigInt(max)) throw dataInvalid(`${type.kind} value ${v} out of range`, { column: type.id });
    out[i] = Number(v);
  }
  return out;
}

/** Non-negative counts (lengths, dictionary ids) from an unsigned integer stream. */
function counts(src: OrcColumnSource, type: OrcType, kind: number, n: number, dictionaryAllowed: boolean): number[] {
  const raw = src.required(type.id, kind, (b) => decodeIntRle(b, n, false, rleVersion(src, type, dictionaryAllowed)));
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = raw[i]!;
    if (v < 0n || v > BigInt(CHILD_VALUES_MAX)) throw dataInvalid(`length or index ${v} out of range`, { column: type.id });
    out[i] = Number(v);
  }
  return out;
}

function floats(bytes: Uint8Array, n: number, width: 4 | 8): number[] {
  if (bytes.length !== n * width) {
    throw dataInvalid(`float stream holds ${bytes.length} bytes, expected ${n} values of ${width} bytes`, { position: 0 });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = width === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
  return out;
}

/**
 * Splits a DATA blob by a LENGTH stream; the lengths must cover the blob exactly.
 * Returns views into `blob` (callers copy binary values they hand out).
 */
function splitByLengths(blob: Uint8Array, lengths: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = new Array(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    const len = lengths[i]!;
    if (len > blob.length - at) throw dataInvalid(`value ${i} of ${len} bytes runs past its data stream`, { position: at });
    out[i] = blob.subarray(at, at + len);
    at += len;
  }
  if (at !== blob.length) throw dataInvalid(`data stream has ${blob.length - at} bytes after its last value`, { position: at });
  return out;
}

function byteStrings(src: OrcColumnSource, type: OrcType, n: number, text: boolean): unknown[] {
  const id = type.id;
  const encoding = src.encoding(id);
  const dictionary = encoding.kind === OrcEncodingKind.Dictionary || encoding.kind === OrcEncodingKind.DictionaryV2;
  const asValue = (bytes: Uint8Array, i: number): unknown => {
    if (!text) return bytes.slice();
    const s = decodeUtf8(bytes);
    if (s === undefined) throw dataInvalid(`malformed UTF-8 in ORC string ${i}`, { column: id });
    return s;
  };
  if (!dictionary || !text) {
    const lengths = counts(src, type, OrcStreamKind.Length, n, false);
    const parts = src.required(id, OrcStreamKind.Data, (b) => splitByLengths(b, lengths));
    return parts.map(asValue);
  }
  const size = encoding.dictionarySize;
  const lengths = counts(src, type, OrcStreamKind.Length, size, true);
  const words = src.required(id, OrcStreamKind.DictionaryData, (b) => splitByLengths(b, lengths)).map(asValue);
  const refs = counts(src, type, OrcStreamKind.Data, n, true);
  return refs.map((r) => {
    if (r >= size) throw dataInvalid(`dictionary reference ${r} beyond the ${size} entries`, { column: id });
    return words[r];
  });
}

function timestamps(src: OrcColumnSource, type: OrcType, n: number): bigint[] {
  const version = rleVersion(src, type);
  const seconds = src.required(type.id, OrcStreamKind.Data, (b) => decodeIntRle(b, n, true, version));
  const nanos = src.required(type.id, OrcStreamKind.Secondary, (b) => decodeIntRle(b, n, false, version));
  const utc = type.kind === "timestamp_instant";
  const out: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = timestampMillis(seconds[i]!, nanos[i]!, utc ? "UTC" : src.writerTimezone);
  return out;
}

/** ORC decimals are at most 38 digits (127 bits + sign): a zigzag varint of at most 19 bytes. */
const DECIMAL_VARINT_BYTES_MAX = 19;

function decimals(src: OrcColumnSource, type: OrcType, n: number): Decimal[] {
  const precision = type.precision ?? 38;
  const scale = type.scale ?? 10;
  const unscaled = src.required(type.id, OrcStreamKind.Data, (b) => decimalVarints(b, n));
  const scales = src.required(type.id, OrcStreamKind.Secondary, (b) => decodeIntRle(b, n, true, rleVersion(src, type)));
  const out: Decimal[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = { unscaled: rescale(unscaled[i]!, Number(scales[i]!), scale), precision, scale };
  return out;
}

function decimalVarints(bytes: Uint8Array, n: number): bigint[] {
  const c = new ByteCursor(bytes);
  const out: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const start = c.pos;
    let u = 0n;
    let shift = 0n;
    for (;;) {
      if (c.pos - start >= DECIMAL_VARINT_BYTES_MAX) throw c.fail("decimal varint longer than 38 digits allow", start);
      const b = c.u8();
      u |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) break;
    }
    out[i] = (u >> 1n) ^ -(u & 1n);
  }
  c.expectEnd("decimal");
  return out;
}

/** Brings `unscaled * 10^-from` to scale `to`, rounding half away from zero like Java's HiveDecimal. */
function rescale(unscaled: bigint, from: number, to: number): bigint {
  if (from === to) return unscaled;
  if (Math.abs(from - to) > 76) throw dataInvalid(`decimal scale ${from} cannot be brought to ${to}`);
  if (from < to) return unscaled * 10n ** BigInt(to - from);
  const div = 10n ** BigInt(from - to);
  const q = unscaled / div;
  const r = unscaled % div;
  const half = r < 0n ? -r * 2n >= div : r * 2n >= div;
  return half ? q + (unscaled < 0n ? -1n : 1n) : q;
}

function structs(src: OrcColumnSource, type: OrcType, n: number): Record<string, unknown>[] {
  const columns = type.fields.map((f) => readColumn(src, f.type, n));
  const out: Record<string, unknown>[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row: Record<string, unknown> = {};
    for (let f = 0; f < columns.length; f++) row[type.fields[f]!.name] = columns[f]![i];
    out[i] = row;
  }
  return out;
}

function collections(src: OrcColumnSource, type: OrcType, n: number): unknown[][] {
  const lengths = counts(src, type, OrcStreamKind.Length, n, false);
  let total = 0;
  for (const len of lengths) total += len;
  if (total > CHILD_VALUES_MAX) throw dataInvalid(`${type.kind} column holds ${total} elements`, { column: type.id });
  const keys = readColumn(src, type.children[0]!, total);
  const values = type.kind === "map" ? readColumn(src, type.children[1]!, total) : undefined;
  const out: unknown[][] = new Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const len = lengths[i]!;
    const items: unknown[] = new Array(len);
    for (let k = 0; k < len; k++) items[k] = values === undefined ? keys[at + k] : [keys[at + k], values[at + k]];
    out[i] = items;
    at += len;
  }
  return out;
}
