/**
 * Java Paimon 2.0 reads what Streamhouse's writers write: a primary-key table and an
 * append table are written with TableWrite (committed by the test-only commit helper),
 * then Java dumps them and its rows must equal ours. Java then fully compacts the
 * primary-key table — reading every file of ours in its merge path — and the result
 * must still match.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { type DataField, DataTypes, type Row, valueToJson } from "@streamhouse/format";
import { FileStoreTable, TableRead } from "@streamhouse/table";
import { FileStoreCommit } from "../../packages/table/src/write/file-store-commit.js";
import { TableWrite } from "../../packages/table/src/write/table-write.js";
import { RandomValues } from "../../packages/table/test/write-random-rows.js";
import { commitForTest, createTable } from "../../packages/table/test/write-test-commit.js";
import { ensurePaimonJava, type PaimonJava } from "./paimon-java.js";

const io = new LocalFileIO();
let peer: PaimonJava;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "streamhouse-write-interop-"));
  peer = await ensurePaimonJava();
});

afterAll(async () => {
  await peer?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

const F = DataTypes.FIELD;

function fieldsOf(): DataField[] {
  return [
    F(0, "id", DataTypes.BIGINT(false)),
    F(1, "p", DataTypes.STRING(false)),
    F(2, "b", DataTypes.BOOLEAN()),
    F(3, "t", DataTypes.TINYINT()),
    F(4, "s", DataTypes.SMALLINT()),
    F(5, "i", DataTypes.INT()),
    F(6, "f", DataTypes.FLOAT()),
    F(7, "d", DataTypes.DOUBLE()),
    F(8, "str", DataTypes.STRING()),
    F(9, "bin", DataTypes.BYTES()),
    F(10, "dec9", DataTypes.DECIMAL(9, 2)),
    F(11, "dec18", DataTypes.DECIMAL(18, 4)),
    F(12, "dec38", DataTypes.DECIMAL(38, 10)),
    F(13, "date", DataTypes.DATE()),
    F(14, "time", DataTypes.TIME(3)),
    F(15, "ts3", DataTypes.TIMESTAMP(3)),
    F(16, "ts6", DataTypes.TIMESTAMP(6)),
    F(17, "ts9", DataTypes.TIMESTAMP(9)),
    F(18, "ltz6", DataTypes.TIMESTAMP_LTZ(6)),
    F(19, "arr", DataTypes.ARRAY(DataTypes.INT())),
    F(20, "map", DataTypes.MAP(DataTypes.STRING(false), DataTypes.BIGINT())),
    F(21, "row", DataTypes.ROW([F(22, "x", DataTypes.INT()), F(23, "y", DataTypes.ARRAY(DataTypes.STRING()))])),
  ];
}

/** Rows as Java's dump prints them: objects by column name, Streamhouse JSON values. */
function asJson(fields: readonly DataField[], rows: readonly Row[]): string[] {
  return rows.map((r) => JSON.stringify(Object.fromEntries(fields.map((f, i) => [f.name, valueToJson(f.type, r[i] ?? null)])))).sort();
}

function sortedJson(rows: readonly object[]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

/** Keeps timestamps inside the years INT96 decoders agree on (arrow-rs: 1677–2262). */
function rowsFor(r: RandomValues, fields: readonly DataField[], from: number, count: number): Row[] {
  return Array.from({ length: count }, (_, k) => {
    const id = from + k;
    const row = r.row(fields, id) as (Row[number])[];
    row[1] = `p${id % 3}`;
    for (const i of [15, 16, 17, 18]) {
      const ts = row[i] as { millis: number; nanoOfMillis: number } | null;
      if (ts !== null) row[i] = { millis: ts.millis % 4_000_000_000_000, nanoOfMillis: ts.nanoOfMillis };
    }
    return row;
  });
}

describe("Java reads tables Streamhouse wrote", () => {
  test("primary-key table: partitions, 2 buckets, upserts and deletes over three commits, then a Java compaction", async () => {
    const seed = 20240601;
    const r = new RandomValues(seed);
    const fields = fieldsOf();
    const path = join(work, "wh", "db.db", "pk");
    const table = await createTable(io, path, fields, { primaryKeys: ["id", "p"], partitionKeys: ["p"], options: { bucket: "2" } });

    let w = await TableWrite.open(table);
    await w.write(rowsFor(r, fields, 0, 300));
    await commitForTest(table, await w.prepareCommit(1n));
    await w.write(rowsFor(r, fields, 200, 200));
    await w.writeChanges(rowsFor(r, fields, 0, 40).map((row) => ({ kind: "-D" as const, row })));
    await commitForTest(table, await w.prepareCommit(2n));
    await w.close();
    // A restarted writer continues the sequence numbers: its upserts must win in Java too.
    w = await TableWrite.open(table);
    await w.write(rowsFor(r, fields, 350, 100));
    await commitForTest(table, await w.prepareCommit(3n));
    await w.close();

    const ours = await new TableRead(await FileStoreTable.open(io, path)).toArray();
    expect(ours.length, `seed ${seed}`).toBe(410);
    const java = await peer.dump(path);
    expect(sortedJson(java), `seed ${seed}`).toEqual(asJson(fields, ours));

    await peer.run({ warehouse: join(work, "wh"), database: "db", table: "pk", ops: [{ op: "compact", full: true }] });
    expect(sortedJson(await peer.dump(path)), `seed ${seed}`).toEqual(asJson(fields, ours));
  });

  test("append table: bucket-unaware, partitioned, two commits", async () => {
    const seed = 777;
    const r = new RandomValues(seed);
    const fields = fieldsOf();
    const path = join(work, "wh", "db.db", "app");
    const table = await createTable(io, path, fields, { partitionKeys: ["p"], options: { bucket: "-1", "metadata.stats-mode": "full" } });
    const w = await TableWrite.open(table);
    const all: Row[] = [];
    for (const [i, from] of [0, 500].entries()) {
      const rows = rowsFor(r, fields, from, 250);
      all.push(...rows);
      await w.write(rows);
      await commitForTest(table, await w.prepareCommit(BigInt(i + 1)));
    }
    const java = await peer.dump(path);
    expect(sortedJson(java), `seed ${seed}`).toEqual(asJson(fields, all));
  });

  test("primary-key table committed by the real committer (FileStoreCommit)", async () => {
    const seed = 99;
    const r = new RandomValues(seed);
    const fields = fieldsOf();
    const path = join(work, "wh", "db.db", "pk_commit");
    const table = await createTable(io, path, fields, { primaryKeys: ["id", "p"], partitionKeys: ["p"], options: { bucket: "3" } });
    const committer = new FileStoreCommit(table, "streamhouse-writer");
    const w = await TableWrite.open(table);
    await w.write(rowsFor(r, fields, 0, 200));
    await committer.commit([await w.prepareCommit(1n)]);
    await w.write(rowsFor(r, fields, 100, 150));
    await w.writeChanges(rowsFor(r, fields, 0, 10).map((row) => ({ kind: "-D" as const, row })));
    await committer.commit([await w.prepareCommit(2n)]);
    await w.close();
    const ours = await new TableRead(await FileStoreTable.open(io, path)).toArray();
    expect(ours.length, `seed ${seed}`).toBe(240);
    expect(sortedJson(await peer.dump(path)), `seed ${seed}`).toEqual(asJson(fields, ours));
  });
});
