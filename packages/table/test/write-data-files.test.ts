import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import {
  CoreOptions,
  type DataField,
  DataTypes,
  decodeBinaryRow,
  FileKind,
  type ManifestEntry,
  type Row,
  TableSchemas,
  type Value,
} from "@streamhouse/format";
import { DataFileColumns, DataFileReader } from "../src/read/data-file-reader.js";
import { ParquetFileReader } from "../src/read/parquet-file-reader.js";
import { PhysicalType } from "../src/read/parquet-footer.js";
import { compareNullsFirst } from "../src/merge/compare-values.js";
import { columnStats, parseStatsMode, truncateMax } from "../src/write/column-stats.js";
import { TableWrite } from "../src/write/table-write.js";
import { allTypeFields, RandomValues } from "./write-random-rows.js";
import { commitForTest, createTable } from "./write-test-commit.js";
import { TableRead } from "../src/read/table-read.js";

const io = new LocalFileIO();
const tmp = mkdtempSync(join(tmpdir(), "streamhouse-write-files-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const dir = () => join(tmp, `t${n++}`);

/** Runs `fn` with a seed and names the seed when it fails. */
async function seeded(seed: number, fn: (r: RandomValues) => Promise<void>): Promise<void> {
  try {
    await fn(new RandomValues(seed));
  } catch (e) {
    throw new Error(`failed with seed ${seed}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

function entries(messages: Awaited<ReturnType<TableWrite["prepareCommit"]>>["messages"]): ManifestEntry[] {
  return messages.flatMap((m) => m.dataIncrement.newFiles.map((file) => ({ kind: FileKind.ADD, partition: m.partition, bucket: m.bucket, totalBuckets: m.totalBuckets, file })));
}

describe("data files: every type round-trips", () => {
  const fields = allTypeFields();

  for (const seed of [1, 2, 3]) {
    it(`append table, seed ${seed}`, () =>
      seeded(seed, async (r) => {
        const table = await createTable(io, dir(), fields, { options: { bucket: "-1" } });
        const rows: Row[] = Array.from({ length: 300 }, (_, i) => r.row(fields, i));
        const write = await TableWrite.open(table);
        await write.write(rows);
        const c = await write.prepareCommit(1n);
        const files = entries(c.messages);
        expect(files).toHaveLength(1);
        const data = await DataFileReader.of(table).read(files[0]!);
        expect(DataFileColumns.rows(data)).toEqual(rows);
        // And through a snapshot with TableRead.
        await commitForTest(table, c);
        const read = await new TableRead(table).toArray();
        expect(read).toEqual(rows);
      }));
  }

  it("primary-key table with every type as a value, keys of several types", () =>
    seeded(7, async (r) => {
      const keyed: DataField[] = [
        DataTypes.FIELD(100, "k1", DataTypes.STRING(false)),
        DataTypes.FIELD(101, "k2", DataTypes.DECIMAL(20, 2, false)),
        DataTypes.FIELD(102, "k3", DataTypes.TIMESTAMP(9, false)),
        ...fields,
      ];
      const table = await createTable(io, dir(), keyed, { primaryKeys: ["k1", "k2", "k3"], options: { bucket: "2" } });
      const rows: Row[] = Array.from({ length: 200 }, (_, i) => [`key-${i % 150}`, { unscaled: BigInt(i % 7), precision: 20, scale: 2 }, { millis: 1000 * (i % 3), nanoOfMillis: i % 2 }, ...r.row(fields, i)]);
      const write = await TableWrite.open(table);
      await write.write(rows);
      const c = await write.prepareCommit(1n);
      await commitForTest(table, c);
      const read = await new TableRead(table).toArray();
      // Last write wins per key (deduplicate).
      const expected = new Map<string, Row>();
      for (const row of rows) expected.set(JSON.stringify([row[0], String((row[1] as { unscaled: bigint }).unscaled), row[2]]), row);
      expect(read.length).toBe(expected.size);
      for (const row of read) expect(row).toEqual(expected.get(JSON.stringify([row[0], String((row[1] as { unscaled: bigint }).unscaled), row[2]])));
    }));
});

describe("data files: Parquet layout", () => {
  it("writes field ids (nested ids as Java's SpecialFields), INT96 for TIMESTAMP(9), the key-value column order", async () => {
    const fields = [
      DataTypes.FIELD(0, "k", DataTypes.INT(false)),
      DataTypes.FIELD(1, "ts9", DataTypes.TIMESTAMP(9)),
      DataTypes.FIELD(2, "col1", DataTypes.ROW([DataTypes.FIELD(3, "f0", DataTypes.STRING()), DataTypes.FIELD(4, "f2", DataTypes.ARRAY(DataTypes.INT()))])),
      DataTypes.FIELD(5, "col2", DataTypes.MAP(DataTypes.INT(), DataTypes.INT())),
    ];
    const table = await createTable(io, dir(), fields, { primaryKeys: ["k"], options: { bucket: "1" } });
    const write = await TableWrite.open(table);
    await write.write([{ k: 1, ts9: "2024-01-02T03:04:05.123456789", col1: { f0: "x", f2: [1, null] }, col2: [[1, 2]] }]);
    const [file] = entries((await write.prepareCommit(1n)).messages);
    const reader = await ParquetFileReader.open(io, new DataFileReader(io, table.path, table.schema, async () => table.schema).pathOf(file!));
    const schema = reader.footer.schema.map((e) => [e.name, e.fieldId, e.physicalType]);
    reader.close();
    expect(schema).toEqual([
      [expect.any(String), null, null],
      ["_KEY_k", 1073741823, PhysicalType.INT32],
      ["_SEQUENCE_NUMBER", 2147483646, PhysicalType.INT64],
      ["_VALUE_KIND", 2147483645, PhysicalType.INT32],
      ["k", 0, PhysicalType.INT32],
      ["ts9", 1, PhysicalType.INT96],
      ["col1", 2, null],
      ["f0", 3, PhysicalType.BYTE_ARRAY],
      ["f2", 4, null],
      ["list", null, null],
      ["element", 536870911 + 4 * 1024 + 1, PhysicalType.INT32],
      ["col2", 5, null],
      // arrow-rs names the repeated map group "entries" (Java: "key_value"); readers go by structure.
      ["entries", null, null],
      ["key", 536870911 - 5 * 1024 - 1, PhysicalType.INT32],
      ["value", 536870911 + 5 * 1024 + 1, PhysicalType.INT32],
    ]);
    const data = await DataFileReader.of(table).read(file!);
    expect(DataFileColumns.rows(data)).toEqual([[1, { millis: 1704164645123, nanoOfMillis: 456789 }, ["x", [1, null]], [[1, 2]]]]);
  });

  it("stats, min/max keys and metadata equal what the rows say", () =>
    seeded(11, async (r) => {
      const fields = allTypeFields();
      const table = await createTable(io, dir(), fields, { primaryKeys: ["id"], options: { bucket: "1", "fields.str.stats-mode": "full", "fields.b.stats-mode": "counts" } });
      const rows: Row[] = Array.from({ length: 500 }, (_, i) => r.row(fields, (i * 7919) % 1000));
      const before = Date.now();
      const write = await TableWrite.open(table, { clock: () => 1_700_000_000_000 });
      await write.writeChanges(rows.map((row, i) => ({ kind: i % 10 === 0 ? "-D" : "+I", row })));
      const [file] = entries((await write.prepareCommit(1n)).messages);
      const meta = file!.file;
      const data = await DataFileReader.of(table).read(file!);
      const kvs = DataFileColumns.keyValues(data);
      // One record per key, sorted, last version wins.
      expect(kvs.map((kv) => kv.key[0])).toEqual([...new Set(rows.map((x) => x[0] as bigint))].sort((a, b) => (a < b ? -1 : 1)));
      expect(meta.rowCount).toBe(BigInt(kvs.length));
      expect(meta.deleteRowCount).toBe(BigInt(kvs.filter((kv) => kv.valueKind === 3).length));
      expect(meta.minSequenceNumber).toBe(kvs.map((kv) => kv.sequenceNumber).sort((a, b) => (a < b ? -1 : 1))[0]);
      expect(meta.maxSequenceNumber).toBe(499n);
      expect(meta.level).toBe(0);
      expect(meta.fileSource).toBe(0);
      expect(meta.schemaId).toBe(0n);
      expect(meta.creationTime).toBe(BigInt(1_700_000_000_000 - new Date(1_700_000_000_000).getTimezoneOffset() * 60_000));
      expect(Number(meta.fileSize)).toBe((await io.stat(data.path))!.size);
      expect(before).toBeGreaterThan(0);
      // Min/max key bytes are the BinaryRows of the first and last key.
      const { encodeBinaryRow } = await import("@streamhouse/format");
      const keyTypes = [fields[0]!.type];
      expect(meta.minKey).toEqual(encodeBinaryRow(keyTypes, kvs[0]!.key));
      expect(meta.maxKey).toEqual(encodeBinaryRow(keyTypes, kvs[kvs.length - 1]!.key));
      // Value stats: nested columns left out, the rest recomputed from the file's rows.
      const options = new CoreOptions(table.schema.options);
      const statFields = fields.filter((f) => !["ARRAY", "MAP", "ROW", "MULTISET"].includes(f.type.root));
      expect(meta.valueStatsCols).toEqual(statFields.map((f) => f.name));
      const values = kvs.map((kv) => kv.value);
      const mins = decodeBinaryRow(statFields.map((f) => f.type), meta.valueStats.minValues);
      const maxs = decodeBinaryRow(statFields.map((f) => f.type), meta.valueStats.maxValues);
      statFields.forEach((f, j) => {
        const col = fields.indexOf(f);
        const column = values.map((v) => v[col] ?? null);
        const nonNull = column.filter((v): v is Value => v !== null).sort((a, b) => compareNullsFirst(f.type, a, b));
        expect(meta.valueStats.nullCounts![j], f.name).toBe(BigInt(column.length - nonNull.length));
        const mode = parseStatsMode(options.fieldStatsMode(f.name), "");
        if (mode.kind === "counts" || (f.type.root.startsWith("TIMESTAMP") && (f.type as { precision: number }).precision > 6)) {
          expect([mins[j], maxs[j]], f.name).toEqual([null, null]);
        } else if (f.type.root === "VARCHAR" && f.name !== "str") {
          const s = columnStats(f.type, mode, column.length, (i) => column[i] ?? null);
          expect([mins[j], maxs[j]], f.name).toEqual([s.min, s.max]);
        } else {
          expect([mins[j], maxs[j]], f.name).toEqual([nonNull[0] ?? null, nonNull[nonNull.length - 1] ?? null]);
        }
      });
      // Key stats are full.
      expect(decodeBinaryRow(keyTypes, meta.keyStats.minValues)).toEqual(kvs[0]!.key);
      expect(meta.keyStats.nullCounts).toEqual([0n]);
      expect(TableSchemas.trimmedPrimaryKeys(table.schema)).toEqual(["id"]);
    }));

  it("truncate(16) cuts strings and keeps the max an upper bound", () => {
    const t = DataTypes.STRING();
    const s = columnStats(t, parseStatsMode("truncate(16)", ""), 2, (i) => ["abcdefghijklmnopqrstuvwxyz", "zzzzzzzzzzzzzzzzzzzzzzz"][i]!);
    expect(s).toEqual({ min: "abcdefghijklmnop", max: "zzzzzzzzzzzzzzz{", nullCount: 0n });
    expect(truncateMax("\uffff".repeat(17), 16)).toBe("\uffff".repeat(15) + "\u{10000}");
    expect(truncateMax("\u{10ffff}".repeat(3), 2)).toBeNull();
    expect(columnStats(DataTypes.DOUBLE(), parseStatsMode("full", ""), 3, (i) => [1.5, null, Number.NaN][i]!)).toEqual({ min: 1.5, max: null, nullCount: 1n });
  });
});
