// The writer's fast paths against the generic code they replace: the integer-key sort
// against a comparator sort, type-bound comparators against compareValues, one-pass stats
// against a model, and the dictionary choice. Random cases use a seeded generator; the
// seed is in the test name.
import { CoreOptions, type DataType, DataTypes, FileSource, RowKind, SCHEMA_VERSION, type TableSchema, type Value } from "@streamhouse/format";
import { describe, expect, it } from "vitest";
import type { KeyValue } from "../src/kv/key-value.js";
import { compareNullsFirst, compareValues, valueComparator } from "../src/merge/compare-values.js";
import { createKeyComparator, createRecordComparator } from "../src/merge/record-comparator.js";
import { compareSequenceNumbers, createKeyValueComparator } from "../src/merge/version-order.js";
import { columnStats, columnStatsOf, FULL_STATS, parseStatsMode, storedColumnStats } from "../src/write/column-stats.js";
import { isIntegerKey, sortByIntegerKey } from "../src/write/integer-key-sort.js";
import { withFileSource } from "../src/write/file-source-encoder.js";
import { KeyValueFileEncoder } from "../src/write/key-value-file-writer.js";
import { dictionaryPaysOff, ParquetWriteOptions } from "../src/write/parquet-file-writer.js";
import { RowColumns } from "../src/write/row-columns.js";
import { allTypeFields, RandomValues } from "./write-random-rows.js";

function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function records(keys: readonly (Value | null)[]): KeyValue[] {
  return keys.map((k, i) => ({ key: [k], sequenceNumber: BigInt(i), valueKind: RowKind.INSERT, value: [k, `v${i}`], level: -1 }));
}

describe("sortByIntegerKey", () => {
  const bigintOrder = createKeyValueComparator(createKeyComparator([DataTypes.BIGINT(false)]), compareSequenceNumbers);
  const intOrder = createKeyValueComparator(createKeyComparator([DataTypes.INT(false)]), compareSequenceNumbers);

  for (const seed of [1, 2, 3]) {
    it(`orders BIGINT keys like the key-then-sequence comparator, duplicates in write order (seed ${seed})`, () => {
      const next = mulberry32(seed);
      const keys = Array.from({ length: 5000 }, () => BigInt(next() % 700) - 350n);
      const input = records(keys);
      const sorted = sortByIntegerKey(input);
      expect(sorted).not.toBeNull();
      expect(sorted).toEqual([...input].sort(bigintOrder));
    });
  }

  it("orders INT keys across the whole int range, including negatives", () => {
    const next = mulberry32(7);
    const keys = Array.from({ length: 2000 }, (_, i) => (i % 3 === 0 ? -2147483648 : i % 3 === 1 ? 2147483647 : (next() | 0)));
    const input = records(keys);
    expect(sortByIntegerKey(input)).toEqual([...input].sort(intOrder));
  });

  it("declines keys whose range times the count would not pack exactly", () => {
    expect(sortByIntegerKey(records([0n, 2n ** 52n, 1n]))).toBeNull();
    expect(sortByIntegerKey(records([0n, 2n ** 62n]))).toBeNull();
    expect(sortByIntegerKey(records([-(2n ** 63n), 5n]))).toBeNull();
  });

  it("declines null keys and non-integer values instead of misplacing them", () => {
    expect(sortByIntegerKey(records([1, null, 0]))).toBeNull();
    expect(sortByIntegerKey(records([1.5, 0]))).toBeNull();
  });

  it("keeps a single record and an empty buffer", () => {
    const one = records([42n]);
    expect(sortByIntegerKey(one)).toEqual(one);
    expect(sortByIntegerKey([])).toEqual([]);
  });

  it("is offered for one integral key column only", () => {
    expect(isIntegerKey([DataTypes.BIGINT(false)])).toBe(true);
    expect(isIntegerKey([DataTypes.INT(false)])).toBe(true);
    expect(isIntegerKey([DataTypes.STRING()])).toBe(false);
    expect(isIntegerKey([DataTypes.DOUBLE()])).toBe(false);
    expect(isIntegerKey([DataTypes.INT(false), DataTypes.INT(false)])).toBe(false);
  });
});

describe("type-bound comparators", () => {
  const cases: [DataType, (Value | null)[]][] = [
    [DataTypes.INT(), [3, -1, 0, null, 2147483647, -2147483648, 3]],
    [DataTypes.BIGINT(), [5n, -(2n ** 63n), null, 2n ** 63n - 1n, 0n, 5n]],
    [DataTypes.DOUBLE(), [0, -0, Number.NaN, Number.POSITIVE_INFINITY, -1.5, null, Number.NEGATIVE_INFINITY]],
    [DataTypes.STRING(), ["b", "a", "", "\uFFFF", "😀", null, "ab", "\uD800"]],
    [DataTypes.BYTES(), [new Uint8Array([1, 2]), new Uint8Array([1]), new Uint8Array([255]), null, new Uint8Array([])]],
  ];

  for (const [type, values] of cases) {
    it(`agree with compareValues and the null-first row order for ${type.root}`, () => {
      const bound = valueComparator(type);
      const rowOrder = createRecordComparator([type], [0]);
      const descending = createRecordComparator([type], [0], false);
      for (const a of values) {
        for (const b of values) {
          const expected = compareNullsFirst(type, a, b);
          if (a !== null && b !== null) {
            expect(Math.sign(bound(a, b))).toBe(Math.sign(compareValues(type, a, b)));
          }
          expect(Math.sign(rowOrder([a], [b]))).toBe(Math.sign(expected));
          // Descending flips only non-null comparisons: nulls stay first.
          const flipped = a === null || b === null ? expected : 0 - expected;
          expect(Math.sign(descending([a], [b])) + 0).toBe(Math.sign(flipped) + 0);
        }
      }
    });
  }

  it("returns a plain 0 (not -0) for equal keys in descending order", () => {
    expect(Object.is(createRecordComparator([DataTypes.INT()], [0], false)([1], [1]), 0)).toBe(true);
  });
});

describe("columnStatsOf", () => {
  it("matches columnStats over a ValueAt for every mode and the common types", () => {
    const next = mulberry32(11);
    const columns: [DataType, (Value | null)[]][] = [
      [DataTypes.INT(), Array.from({ length: 300 }, (_, i) => (i % 17 === 0 ? null : (next() | 0)))],
      [DataTypes.BIGINT(), Array.from({ length: 300 }, (_, i) => (i % 13 === 0 ? null : BigInt(next()) - 2n ** 31n))],
      [DataTypes.DOUBLE(), Array.from({ length: 300 }, (_, i) => (i % 11 === 0 ? null : next() / 7 - 1e8))],
      [DataTypes.STRING(), Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? null : `s-${next() % 1000}-é`))],
    ];
    for (const mode of ["full", "counts", "none", "truncate(3)"]) {
      for (const [type, values] of columns) {
        const m = parseStatsMode(mode, "");
        expect(columnStatsOf(type, m, values)).toEqual(columnStats(type, m, values.length, (i) => values[i] ?? null));
      }
    }
  });

  it("computes min and max of BIGINT columns exactly, beyond 2^53", () => {
    const values = [2n ** 62n + 1n, null, 2n ** 62n, -(2n ** 63n)];
    expect(columnStatsOf(DataTypes.BIGINT(), FULL_STATS, values)).toEqual({ min: -(2n ** 63n), max: 2n ** 62n + 1n, nullCount: 1n });
  });

  it("keeps Java's order for doubles: -0.0 below 0.0", () => {
    expect(columnStatsOf(DataTypes.DOUBLE(), FULL_STATS, [0, -0])).toEqual({ min: -0, max: 0, nullCount: 0n });
  });
});

describe("dictionaryPaysOff", () => {
  it("keeps the dictionary for repetitive columns and drops it for mostly distinct ones", () => {
    const repeated = Array.from({ length: 10_000 }, (_, i) => `tag-${i % 10}`);
    const distinct = Array.from({ length: 10_000 }, (_, i) => BigInt(i));
    expect(dictionaryPaysOff(DataTypes.STRING(), repeated)).toBe(true);
    expect(dictionaryPaysOff(DataTypes.BIGINT(), distinct)).toBe(false);
    expect(dictionaryPaysOff(DataTypes.TINYINT(), Array.from({ length: 10_000 }, () => 0))).toBe(true);
  });

  it("judges by the non-null values and leaves other types alone", () => {
    expect(dictionaryPaysOff(DataTypes.INT(), [null, null, null, 1, 2])).toBe(false);
    expect(dictionaryPaysOff(DataTypes.INT(), [null, null, null, 1, 1])).toBe(true);
    expect(dictionaryPaysOff(DataTypes.BYTES(), [new Uint8Array([1]), new Uint8Array([2])])).toBe(true);
  });
});

describe("column batches (row-columns.ts) against the array path", () => {
  const fields = allTypeFields();
  const schema: TableSchema = {
    version: SCHEMA_VERSION,
    id: 0,
    fields,
    highestFieldId: 25,
    partitionKeys: [],
    primaryKeys: ["id"],
    options: {},
    comment: null,
    timeMillis: 0,
  };
  const options = new CoreOptions({ "fields.str.stats-mode": "truncate(4)", "fields.i.stats-mode": "counts" });
  const types = fields.map((f) => f.type);

  for (const seed of [3, 4]) {
    it(`stores every type exactly and gives the same file bytes and meta (seed ${seed})`, () => {
      const r = new RandomValues(seed);
      const rows = Array.from({ length: 400 }, (_, i) => {
        const row = types.map((t) => r.value(t));
        row[0] = BigInt(i * 3 - 500);
        return row;
      });
      // Edge values the random rows may miss.
      rows[1]![6] = -0;
      rows[2]![6] = Number.NaN;
      rows[3]![0] = 2n ** 63n - 1n;
      const records: KeyValue[] = rows.map((row, i) => ({
        key: [row[0]!],
        sequenceNumber: BigInt(i),
        valueKind: i % 5 === 0 ? RowKind.DELETE : RowKind.INSERT,
        value: row,
        level: -1,
      }));

      const stored = new RowColumns(types);
      for (const kv of records) stored.push(kv.valueKind, kv.sequenceNumber, kv.value);
      for (let i = 0; i < rows.length; i++) {
        expect(stored.row(i)).toEqual(rows[i]);
        expect(stored.sequenceAt(i)).toBe(BigInt(i));
      }
      expect(Object.is(stored.valueAt(6, 1), -0)).toBe(true);

      for (let j = 0; j < fields.length; j++) {
        const column = rows.map((row) => row[j] ?? null);
        for (const mode of ["full", "counts", "truncate(3)"]) {
          const m = parseStatsMode(mode, "");
          expect(storedColumnStats(types[j]!, m, stored.column(j))).toEqual(columnStatsOf(types[j]!, m, column));
        }
      }

      const clock = () => 1_700_000_000_000;
      const encoder = new KeyValueFileEncoder(schema, options, ParquetWriteOptions.of(options), 0, clock);
      const batch = encoder.newBatch();
      for (const kv of records) batch.add(kv);
      const fromArray = encoder.encode(records);
      expect(batch.encode()).toEqual(fromArray);
      expect(batch.meta("f.parquet", fromArray.length)).toEqual(encoder.meta(records, "f.parquet", fromArray.length));
    });
  }
});

describe("withFileSource", () => {
  it("marks the meta of both paths and keeps the inner encoder's column batches", () => {
    const fields = [DataTypes.FIELD(0, "id", DataTypes.INT(false)), DataTypes.FIELD(1, "v", DataTypes.STRING())];
    const schema: TableSchema = { version: SCHEMA_VERSION, id: 0, fields, highestFieldId: 1, partitionKeys: [], primaryKeys: ["id"], options: {}, comment: null, timeMillis: 0 };
    const options = new CoreOptions({});
    const inner = new KeyValueFileEncoder(schema, options, ParquetWriteOptions.of(options), 2, () => 0);
    const encoder = withFileSource(inner, FileSource.COMPACT);
    const records: KeyValue[] = [1, 2, 3].map((k) => ({ key: [k], sequenceNumber: BigInt(k), valueKind: RowKind.INSERT, value: [k, `v${k}`], level: 1 }));
    expect(encoder.newBatch).toBeDefined();
    const batch = encoder.newBatch!();
    for (const kv of records) batch.add(kv);
    expect(batch.length).toBe(3);
    const bytes = encoder.encode(records);
    expect(batch.encode()).toEqual(bytes);
    const meta = batch.meta("f", bytes.length);
    expect(meta.fileSource).toBe(FileSource.COMPACT);
    expect(meta).toEqual(encoder.meta(records, "f", bytes.length));
    expect(inner.meta(records, "f", bytes.length).fileSource).toBe(FileSource.APPEND);
  });
});
