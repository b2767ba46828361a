import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Field, Int32, Int64, makeData, RecordBatch, Schema, Struct, Table, tableToIPC } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import {
  BitmapDeletionVector,
  type DataType,
  decodeDeletionVectorAt,
  isStreamhouseError,
  type ManifestEntry,
  parseDataType,
  type Row,
  type TableSchema,
  valueToJson,
} from "@streamhouse/format";
import { FileStoreTable, planSnapshot } from "@streamhouse/table";
import { Table as WasmTable, WriterPropertiesBuilder, writeParquet } from "parquet-wasm";
import { javaDoubleString } from "../src/read/cast-executors.js";
import { DataFileColumns, DataFileReader } from "../src/read/data-file-reader.js";
import { dropDeleted, liveIndexes } from "../src/read/deletion-vector-filter.js";
import { vectorTables } from "../../format/test/vectors.js";

const io = new LocalFileIO();
const tables = new Map(vectorTables().map((t) => [t.name, t.dir]));
const tmp = mkdtempSync(join(tmpdir(), "streamhouse-read-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function open(name: string): Promise<FileStoreTable> {
  return FileStoreTable.open(io, tables.get(name)!);
}

/** Rows as JSON (decimals and timestamps as strings, bytes as base64) for readable comparisons. */
function json(fields: readonly { type: DataType }[], rows: readonly Row[]): unknown[] {
  return rows.map((r) => r.map((v, i) => valueToJson(fields[i]!.type, v)));
}

async function rowsAt(name: string, snapshotId?: number): Promise<{ table: FileStoreTable; rows: Row[] }> {
  const table = await open(name);
  const plan = (await planSnapshot(table, snapshotId))!;
  const reader = DataFileReader.of(table);
  const rows: Row[] = [];
  for (const e of plan.files) rows.push(...DataFileColumns.rows(await reader.read(e)));
  return { table, rows };
}

const byJson = (a: unknown, b: unknown) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);

describe("every data file of every Java vector table", () => {
  for (const [name] of tables) {
    it(`${name}: reads every file of every snapshot, rows = manifest _ROW_COUNT`, async () => {
      const table = await open(name);
      const reader = DataFileReader.of(table);
      const latest = (await table.snapshots.latestSnapshotId())!;
      const seen = new Set<string>();
      for (let id = 1; id <= latest; id++) {
        for (const e of (await planSnapshot(table, id))!.files) {
          if (seen.has(e.file.fileName)) continue;
          seen.add(e.file.fileName);
          const data = await reader.read(e);
          expect(data.rowCount).toBe(Number(e.file.rowCount));
          expect(data.level).toBe(e.file.level);
          for (const c of data.columns) for (let i = 0; i < data.rowCount; i++) c.get(i);
          if (table.schema.primaryKeys.length > 0) {
            const kvs = DataFileColumns.keyValues(data);
            const seqs = kvs.map((kv) => kv.sequenceNumber);
            expect(seqs.every((s) => s >= e.file.minSequenceNumber && s <= e.file.maxSequenceNumber)).toBe(true);
          }
        }
      }
      expect(seen.size).toBeGreaterThan(0);
    });
  }
});

describe("values agree with the READMEs", () => {
  it("append_09: all rows of snapshot 5 (written by Paimon 0.9, no Parquet field ids: matched by name)", async () => {
    const { table, rows } = await rowsAt("append_09");
    expect(json(table.schema.fields, rows).sort(byJson)).toEqual(
      [
        ["Alice", 10, 1, 11.1],
        ["Bob", 10, 0, 12.1],
        ["Emily", 10, 0, 13.1],
        ["Tony", 10, 0, 14.1],
        ["Lucy", 20, 1, 14.1],
        ["Emily", 10, 0, 15.1],
        ["Bob", 10, 0, 12.1],
        ["Alex", 10, 0, 16.1],
        ["Paul", 20, 1, null],
        ["David", 10, 0, 17.1],
        ["Lily", 10, 0, 17.1],
      ].sort(byJson),
    );
  });

  it("pk_table_scan_and_read_mor: the level-0 files of snapshot 1 as KeyValues", async () => {
    const table = await open("pk_table_scan_and_read_mor");
    const reader = DataFileReader.of(table);
    const kvs = [];
    for (const e of (await planSnapshot(table, 1))!.files) {
      expect(e.file.level).toBe(0);
      kvs.push(...DataFileColumns.keyValues(await reader.read(e)));
    }
    const two = "Two roads diverged in a wood, and I took the one less traveled by, And that has made all the difference.";
    // Key = trimmed primary key (f0, f2): f1 is the partition key. Sequence numbers count per bucket.
    const got = kvs.map((kv) => [kv.key, Number(kv.sequenceNumber), kv.valueKind, kv.value, kv.level]).sort(byJson);
    expect(got).toEqual(
      [
        [[two, 1], 0, 0, [two, 10, 1, 11.0], 0],
        [["Alice", 1], 1, 0, ["Alice", 10, 1, 11.1], 0],
        [["Bob", 0], 0, 0, ["Bob", 10, 0, 12.1], 0],
        [["Emily", 0], 1, 0, ["Emily", 10, 0, 13.1], 0],
        [["Tony", 0], 2, 0, ["Tony", 10, 0, 14.1], 0],
        [["Alex", 0], 3, 0, ["Alex", 10, 0, 16.1], 0],
        [["David", 0], 4, 0, ["David", 10, 0, 17.1], 0],
        [["Lucy", 1], 0, 0, ["Lucy", 20, 1, 14.1], 0],
        [["Paul", 1], 1, 0, ["Paul", 20, 1, 18.1], 0],
      ].sort(byJson),
    );
  });

  it("pk_table_nested_type: ROW / ARRAY / MAP values and the row kinds of snapshot 2", async () => {
    const table = await open("pk_table_nested_type");
    const reader = DataFileReader.of(table);
    const out: unknown[] = [];
    for (const e of (await planSnapshot(table, 2))!.files) {
      const data = await reader.read(e);
      for (const kv of DataFileColumns.keyValues(data)) out.push([kv.valueKind, ...json(table.schema.fields, [kv.value])]);
    }
    const row = (id: number, n: number, arr: number) => [
      1000 + id,
      "2025-04-14",
      10,
      id * 10,
      { f0: `str-${id}`, f1: id * 100, f2: [arr, null, arr + 1] },
      [
        [arr, arr],
        [100 + arr, 100 + arr],
      ],
    ].slice(0, n);
    // The README lists [4, null, 5] / {4: 4, 104: 104} for shops 1005–1007; the file holds 5/6/7 (like 1000–1004).
    const inserts = [0, 1, 2, 3, 4, 5, 6, 7].map((id) => [0, row(id, 6, id)]);
    const changes = [
      [3, row(0, 6, 0)],
      [2, row(1, 6, 1)],
      [3, row(2, 6, 2)],
      [1, row(3, 6, 3)],
    ];
    expect(out.sort(byJson)).toEqual([...inserts, ...changes].sort(byJson));
  });

  it("append_complex_data: DATE, TIMESTAMP(9) via INT96, DECIMAL(23, 5), BINARY", async () => {
    const { table, rows } = await rowsAt("append_complex_data");
    expect(table.schema.fields.map((f) => f.type.root)).toEqual(["INT", "INT", "DATE", "TIMESTAMP", "DECIMAL", "VARBINARY"]);
    const got = json(table.schema.fields, rows).map((r) => {
      const x = r as unknown[];
      return [x[0], x[1], x[2], x[3], x[4], x[5] === null ? null : Buffer.from(x[5] as string, "base64").toString()];
    });
    expect(got.sort(byJson)).toEqual(
      [
        [10, 1, "1973-05-19", "2033-05-18T03:33:20.000000000", "123456789987654321.45678", "add"],
        [20, 1, "1966-08-16", "1899-01-01T00:59:20.001001001", "-123456789987654321.45678", "bad"],
        [10, 1, "2024-07-05", "2033-05-18T03:33:20.000001001", "12.30000", "cat"],
        [10, 1, "1970-01-01", "2008-12-28T00:00:00.000123456", null, "dad"],
        [10, 1, "1970-04-11", "2008-12-28T00:00:00.000123450", "-123.45000", "eat"],
        [10, 1, null, "1899-01-01T00:59:20.001001001", "0.00000", "fat"],
        [20, 0, "1969-09-23", null, "0.00000", "get"],
        [10, 1, "2024-10-10", "2024-10-10T10:10:10.100100100", "1728551410100.10010", null],
      ].sort(byJson),
    );
    // Exact in-memory values, not only their JSON form.
    const fat = rows.find((r) => r[2] === null)!;
    expect(fat[3]).toEqual({ millis: -2240521239999, nanoOfMillis: 1001 });
    const add = rows.find((r) => r[2] === 1234)!;
    expect(add[4]).toEqual({ unscaled: 12345678998765432145678n, precision: 23, scale: 5 });
  });

  it("parquet_append_table: every primitive, MAP<ARRAY<FLOAT>, ROW<BOOLEAN, BIGINT>>, TIMESTAMP(9)", async () => {
    const { table, rows } = await rowsAt("parquet_append_table");
    expect(rows).toHaveLength(9);
    const r34 = rows.find((r) => r[1] === 34)!;
    const f = Math.fround;
    expect(r34).toEqual([
      false,
      34,
      304,
      300004,
      3000000004n,
      f(3.4),
      300.000000004,
      "s34",
      new TextEncoder().encode("a34"),
      [
        [[f(5.141), f(5.241)], [false, 641n]],
        [[f(5.14), f(5.24)], [false, 64n]],
      ],
      // The README's 71000…79000: raw INT96 nanoseconds since the epoch.
      { millis: 0, nanoOfMillis: 74000 },
      84,
      { unscaled: 94n, precision: 2, scale: 2 },
    ]);
    expect(rows.find((r) => r[1] === 31)![2]).toBeNull();
    expect(rows.find((r) => r[1] === 33)![9]).toBeNull();
    expect(rows.find((r) => r[1] === 36)![9]).toEqual([[[f(5.16), f(5.26)], null]]);
    expect(rows.find((r) => r[1] === 37)![9]).toEqual([[[f(5.17), f(5.27), f(5.37)], [true, 67n]]]);
    expect(table.schema.fields[10]!.type).toEqual(parseDataType("TIMESTAMP(9)"));
  });
});

describe("schema evolution by field id", () => {
  it("append_table_with_alter_table: 'Recall with schema-1' (dropped, renamed, reordered and added columns)", async () => {
    const { table, rows } = await rowsAt("append_table_with_alter_table");
    expect(table.schema.fields.map((f) => `${f.name}:${f.id}`)).toEqual(["key0:0", "key1:1", "k:6", "c:3", "d:7", "a:5", "e:8"]);
    expect([...rows].sort(byJson)).toEqual(
      [
        [0, 1, 16, 13, null, 15, null],
        [0, 1, 26, 23, null, 25, null],
        [0, 1, 36, 33, null, 35, null],
        [0, 1, 66, 63, 517, 65, 618],
        [0, 1, 76, 73, 527, 75, 628],
        [0, 1, 86, 83, 537, 85, 638],
        [1, 1, 46, 43, null, 45, null],
        [1, 1, 56, 53, null, 55, null],
        [1, 1, 96, 93, 547, 95, 648],
        [1, 1, 106, 103, 557, 105, 658],
      ].sort(byJson),
    );
  });

  it("pk_table_with_mor: schema-0 files read with the latest schema (renames, STRING→BYTES, DOUBLE→INT, BOOLEAN→STRING, added v2)", async () => {
    const table = await open("pk_table_with_mor");
    expect(table.schema.fields.map((f) => `${f.name}:${f.id}:${f.type.root}`)).toEqual([
      "k1:0:INT",
      "k0:1:INT",
      "p0:2:INT",
      "p1:3:INT",
      "s1:4:VARCHAR",
      "s0:5:VARBINARY",
      "v0:6:INT",
      "v1:7:VARCHAR",
      "v2:8:INT",
    ]);
    const reader = DataFileReader.of(table);
    const got: unknown[] = [];
    for (const e of (await planSnapshot(table))!.files) {
      expect(Number(e.file.schemaId)).toBe(0);
      for (const kv of DataFileColumns.keyValues(await reader.read(e))) {
        const v = kv.value;
        got.push([kv.key, Number(kv.sequenceNumber), v[0], v[1], v[2], v[3], v[4], new TextDecoder().decode(v[5] as Uint8Array), v[6], v[7], v[8]]);
      }
    }
    // Key = trimmed primary key of the latest schema: (k1, k0) by field id, from the _KEY_k0/_KEY_k1 columns.
    expect(got.sort(byJson)).toEqual(
      [
        [[0, 0], 0, 0, 0, 0, 0, "apple", "see", 10, "true", null],
        [[0, 1], 1, 0, 1, 0, 0, "banana", "you", 11, "false", null],
        [[1, 0], 2, 1, 0, 0, 0, "car", "later", 12, "true", null],
        [[1, 1], 3, 1, 1, 0, 0, "driver", "!", 13, "false", null],
        [[0, 0], 4, 0, 0, 0, 0, "apple", "see", 110, "false", null],
        [[0, 1], 5, 0, 1, 0, 0, "abandon", "new_you", 111, "true", null],
        [[1, 0], 6, 1, 0, 0, 0, "car", "again", 112, "true", null],
        [[1, 2], 7, 1, 2, 0, 0, "driver", "!", 13, "false", null],
        [[100, 200], 8, 100, 200, 0, 0, "max", "number", 140, "false", null],
        [[0, 0], 0, 0, 0, 1, 0, "elephant", "hi", 20, "true", null],
        [[0, 0], 1, 0, 0, 1, 0, "elephant", "hi", 120, "false", null],
        [[0, 1], 0, 0, 1, 0, 1, "mouse", "you", 30, "false", null],
        [[0, 1], 1, 0, 1, 0, 1, "zoo", "you", 130, "false", null],
      ].sort(byJson),
    );
  });

  it("projection reads only the asked fields, in the asked order", async () => {
    const table = await open("pk_table_with_mor");
    const reader = DataFileReader.of(table);
    const e = (await planSnapshot(table))!.files[0]!;
    const data = await reader.read(e, { projection: ["v2", "v0", "s1"] });
    expect(data.fields.map((f) => f.name)).toEqual(["v2", "v0", "s1"]);
    expect(DataFileColumns.row(data, 0)).toEqual([null, 10, "apple"]);
    expect(data.keyColumns!.map((c) => c.get(0))).toEqual([0, 0]);
  });
});

describe("deletion vectors", () => {
  it("pk_table_scan_and_read_dv: the index file's vectors drop the rows later snapshots replaced", async () => {
    const table = await open("pk_table_scan_and_read_dv");
    const plan = (await planSnapshot(table))!;
    const reader = DataFileReader.of(table);
    const vectors = new Map<string, ReturnType<typeof decodeDeletionVectorAt>>();
    for (const ix of plan.indexFiles) {
      if (ix.indexFile.indexType !== "DELETION_VECTORS") continue;
      const bytes = await io.read(join(table.path, "index", ix.indexFile.fileName));
      for (const r of ix.indexFile.deletionVectorRanges ?? []) vectors.set(r.dataFileName, decodeDeletionVectorAt(bytes, r.offset, r.length));
    }
    expect(vectors.size).toBeGreaterThan(0);
    const live: string[] = [];
    const deleted: string[] = [];
    for (const e of plan.files) {
      if (e.file.level === 0) continue; // level-0 files are invisible until compacted
      const data = await reader.read(e);
      const kvs = DataFileColumns.keyValues(data);
      const dv = vectors.get(e.file.fileName) ?? null;
      const kept = dropDeleted(kvs, dv);
      expect(liveIndexes(kvs.length, dv).length).toBe(kept.length);
      for (const kv of kvs) (kept.includes(kv) ? live : deleted).push(`${kv.value[0]}=${kv.value[3]}`);
    }
    expect(deleted.sort()).toEqual(["Alice=11.1", "Tony=14.1"]);
    expect(live).toContain("Alice=19.1");
    expect(live).toHaveLength(8);
  });

  it("positions survive skipped row groups", () => {
    const dv = BitmapDeletionVector.of([1, 5]);
    // Two row groups read: file rows 0–2 and 4–6 (row group of 3 at position 3 skipped).
    const positions = [0, 1, 2, 4, 5, 6];
    expect(dropDeleted(["a", "b", "c", "e", "f", "g"], dv, (i) => positions[i]!)).toEqual(["a", "c", "e", "g"]);
  });
});

/** A one-file table written here with parquet-wasm: several row groups, Parquet field ids, and an entry pointing at it. */
function writeMultiRowGroupFile(dir: string, rows: number, perGroup: number): { schema: TableSchema; entry: ManifestEntry; path: string } {
  const ids = Int32Array.from({ length: rows }, (_, i) => i);
  const vals = BigInt64Array.from({ length: rows }, (_, i) => BigInt(i) * 10n);
  const idField = new Field("id", new Int32(), false, new Map([["PARQUET:field_id", "0"]]));
  const vField = new Field("v", new Int64(), true, new Map([["PARQUET:field_id", "1"]]));
  const struct = makeData({
    type: new Struct([idField, vField]),
    length: rows,
    children: [makeData({ type: new Int32(), data: ids }), makeData({ type: new Int64(), data: vals })],
  });
  const batch = new RecordBatch(new Schema([idField, vField]), struct);
  const bytes = writeParquet(WasmTable.fromIPCStream(tableToIPC(new Table([batch]), "stream")), new WriterPropertiesBuilder().setMaxRowGroupSize(perGroup).build());
  const path = join(dir, "bucket-0", "data-x-0.parquet");
  rmSync(join(dir, "bucket-0"), { recursive: true, force: true });
  mkdirSync(join(dir, "bucket-0"), { recursive: true });
  writeFileSync(path, bytes);
  const schema: TableSchema = {
    version: 3,
    id: 0,
    fields: [
      { id: 0, name: "id", type: parseDataType("INT NOT NULL") },
      { id: 1, name: "v", type: parseDataType("BIGINT") },
    ],
    highestFieldId: 1,
    partitionKeys: [],
    primaryKeys: [],
    options: {},
    comment: null,
    timeMillis: 0,
  };
  return { schema, entry: fakeEntry("data-x-0.parquet", bytes.length, rows), path };
}

function fakeEntry(fileName: string, fileSize: number, rowCount: number): ManifestEntry {
  return {
    kind: 0,
    partition: new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    bucket: 0,
    totalBuckets: 1,
    file: {
      fileName,
      fileSize: BigInt(fileSize),
      rowCount: BigInt(rowCount),
      schemaId: 0n,
      level: 0,
      externalPath: null,
    },
  } as unknown as ManifestEntry;
}

describe("row groups, ranged reads", () => {
  const dir = join(tmp, "multi");
  const { schema, entry } = writeMultiRowGroupFile(dir, 1000, 100);
  const reader = new DataFileReader(io, dir, schema, async () => schema);

  it("reads all row groups by byte ranges when the file is larger than the whole-read limit", async () => {
    const whole = await reader.read(entry);
    const ranged = await reader.read(entry, { wholeFileReadBytes: 256 });
    expect(whole.rowGroups).toHaveLength(10);
    expect(ranged.rowCount).toBe(1000);
    expect(DataFileColumns.rows(ranged)).toEqual(DataFileColumns.rows(whole));
    expect(ranged.columns[1]!.get(999)).toBe(9990n);
  });

  it("skips row groups whose min/max cannot match, keeping file positions", async () => {
    const data = await reader.read(entry, {
      projection: ["v"],
      rowGroupFilter: (s) => {
        const v = s.columns.get(1)!;
        return (v.max as bigint) >= 2500n && (v.min as bigint) <= 4100n; // v in [2500, 4100]
      },
    });
    expect(data.rowGroups.map((g) => g.index)).toEqual([2, 3, 4]);
    expect(data.rowCount).toBe(300);
    expect(data.columns[0]!.get(0)).toBe(2000n);
    expect(DataFileColumns.positionOf(data, 150)).toBe(350);
    const none = await reader.read(entry, { rowGroupFilter: () => false });
    expect(none.rowCount).toBe(0);
    expect(DataFileColumns.rows(none)).toEqual([]);
  });
});

describe("errors name the file", () => {
  it("a missing data file is NotFound", async () => {
    const table = await open("append_10");
    const e = (await planSnapshot(table))!.files[0]!;
    const missing = { ...e, file: { ...e.file, fileName: "data-missing-0.parquet" } };
    await expect(DataFileReader.of(table).read(missing)).rejects.toSatisfy(
      (err: unknown) => isStreamhouseError(err, "NotFound") && String(err).includes("data-missing-0.parquet"),
    );
  });

  it("a row count other than the manifest's is DataInvalid", async () => {
    const table = await open("append_10");
    const e = (await planSnapshot(table))!.files[0]!;
    const wrong = { ...e, file: { ...e.file, rowCount: e.file.rowCount + 1n } };
    await expect(DataFileReader.of(table).read(wrong)).rejects.toSatisfy(
      (err: unknown) => isStreamhouseError(err, "DataInvalid") && String(err).includes(e.file.fileName) && String(err).includes("rows"),
    );
  });

  it("truncated or corrupted copies are DataInvalid, never partial rows", async () => {
    const table = await open("parquet_append_table");
    const e = (await planSnapshot(table))!.files[0]!;
    const source = DataFileReader.of(table).pathOf(e);
    const dir = join(tmp, "corrupt");
    const size = Number(e.file.fileSize);
    const cases: [string, (p: string) => void, number][] = [
      ["truncated tail", (p) => truncateSync(p, size - 100), size - 100],
      ["truncated to the header", (p) => truncateSync(p, 4), 4],
      ["footer bytes overwritten", (p) => overwrite(p, size - 60, 40), size],
      ["column data overwritten", (p) => overwrite(p, 8, 200), size],
    ];
    for (const [label, damage, newSize] of cases) {
      mkdirSync(join(dir, "bucket-0"), { recursive: true });
      const target = join(dir, "bucket-0", e.file.fileName);
      copyFileSync(source, target);
      damage(target);
      const reader = new DataFileReader(io, dir, table.schema, async () => table.schema);
      for (const sized of [size, newSize]) {
        const entry = { ...e, file: { ...e.file, fileSize: BigInt(sized) } };
        const outcome = await reader.read(entry).then(
          () => "read",
          (err: unknown) => (isStreamhouseError(err, "DataInvalid") && String(err).includes(e.file.fileName) ? "DataInvalid" : String(err)),
        );
        expect(outcome, label).toBe("DataInvalid");
      }
    }
  });
});

function overwrite(path: string, offset: number, length: number): void {
  const bytes = new Uint8Array(length).fill(0xa5);
  const fd = openSync(path, "r+");
  writeSync(fd, bytes, 0, length, offset);
  closeSync(fd);
}

describe("casts follow Java", () => {
  it("formats doubles as Double.toString does", () => {
    expect([1, 0.1, 110, 1e7, 1.5e-4, -0, 123456.789].map(javaDoubleString)).toEqual(["1.0", "0.1", "110.0", "1.0E7", "1.5E-4", "-0.0", "123456.789"]);
  });
});
