import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Field, Int32, makeData, RecordBatch, Schema, Struct, Utf8, vectorFromArray } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { bucketForKey, DataTypes, ErrorKind, isStreamhouseError, type Row } from "@streamhouse/format";
import { TableRead } from "../src/read/table-read.js";
import { planSnapshot } from "../src/scan/table-scan.js";
import { TableWrite } from "../src/write/table-write.js";
import { commitForTest, createTable } from "./write-test-commit.js";

const io = new LocalFileIO();
const tmp = mkdtempSync(join(tmpdir(), "streamhouse-write-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const dir = () => join(tmp, `t${n++}`);
const F = DataTypes.FIELD;

const pkFields = [F(0, "id", DataTypes.INT(false)), F(1, "p", DataTypes.STRING(false)), F(2, "name", DataTypes.STRING()), F(3, "v", DataTypes.BIGINT())];

function dataFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".parquet"));
}

async function expectMismatch(p: Promise<unknown>, column: string | undefined, row: number): Promise<void> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(isStreamhouseError(e, ErrorKind.SchemaMismatch), String(e)).toBe(true);
  if (isStreamhouseError(e)) {
    expect(e.context["row"]).toBe(row);
    expect(e.context["column"]).toBe(column);
  }
}

describe("TableWrite", () => {
  it("rejects bad rows before any file exists", async () => {
    const path = dir();
    const table = await createTable(io, path, pkFields, { primaryKeys: ["id", "p"], partitionKeys: ["p"], options: { bucket: "2" } });
    const w = await TableWrite.open(table);
    const good = { id: 1, p: "a", name: "x", v: 1n };
    await expectMismatch(w.write([good, { ...good, id: "2" }]), "id", 1);
    await expectMismatch(w.write([good, { ...good, name: null }, { ...good, v: null, extra: 1 }]), "extra", 2);
    await expectMismatch(w.write([{ p: "a", name: "no id" }]), "id", 0);
    await expectMismatch(w.write([[1, "a", "x"]]), undefined, 0);
    await expectMismatch(w.write([{ ...good, v: 2n ** 64n }]), "v", 0);
    await expectMismatch(w.writeChanges([{ kind: "+X" as "+I", row: good }]), undefined, 0);
    // Nothing buffered: the commit is empty and no file was written.
    expect((await w.prepareCommit(1n)).messages).toEqual([]);
    expect(dataFiles(path)).toEqual([]);
    await w.close();
  });

  it("routes rows to partitions and Java's buckets, reads back merged", async () => {
    const path = dir();
    const table = await createTable(io, path, pkFields, { primaryKeys: ["id", "p"], partitionKeys: ["p"], options: { bucket: "3" } });
    const w = await TableWrite.open(table);
    await w.write(Array.from({ length: 60 }, (_, i) => ({ id: i, p: i % 2 === 0 ? "even" : "odd", name: `n${i}`, v: BigInt(i) })));
    await w.writeChanges([
      { kind: "-D", row: { id: 0, p: "even" } },
      { kind: "-U", row: { id: 1, p: "odd", name: "n1", v: 1n } },
      { kind: "+U", row: { id: 1, p: "odd", name: "changed", v: 100n } },
    ]);
    const c = await w.prepareCommit(7n);
    expect(c.commitIdentifier).toBe(7n);
    for (const m of c.messages) {
      expect(m.totalBuckets).toBe(3);
      for (const f of m.dataIncrement.newFiles) {
        expect(f.fileName).toMatch(/^data-[0-9a-f-]{36}-0\.parquet$/);
      }
    }
    await commitForTest(table, c);
    const plan = await planSnapshot(table);
    // Every file's bucket is the one Java's bucket function gives its keys.
    const rows = await new TableRead(table).toArray();
    expect(rows.length).toBe(59);
    expect(rows.find((r) => r[0] === 1)).toEqual([1, "odd", "changed", 100n]);
    expect(rows.find((r) => r[0] === 0)).toBeUndefined();
    const idType = [DataTypes.INT(false)];
    for (const e of plan!.files) {
      const { DataFileReader, DataFileColumns } = await import("../src/read/data-file-reader.js");
      const data = await DataFileReader.of(table).read(e);
      for (const kv of DataFileColumns.keyValues(data)) expect(bucketForKey(idType, kv.key, 3)).toBe(e.bucket);
      expect(data.path).toContain(`p=${(DataFileColumns.keyValues(data)[0]!.value[1] as string)}/bucket-${e.bucket}/`);
    }
    await w.close();
  });

  it("spills to disk with a tiny write buffer and still merges every version", async () => {
    const path = dir();
    const table = await createTable(io, path, pkFields, { primaryKeys: ["id", "p"], options: { bucket: "1", "write-buffer-size": "4 kb" } });
    const spillParent = mkdtempSync(join(tmp, "spill-"));
    const w = await TableWrite.open(table, { tempDir: spillParent });
    const expected = new Map<number, Row>();
    for (let round = 0; round < 5; round++) {
      const rows = Array.from({ length: 400 }, (_, i) => ({ id: (i * 37 + round) % 500, p: "x", name: `r${round}-${i}`, v: BigInt(round) }));
      for (const r of rows) expected.set(r.id, [r.id, r.p, r.name, r.v]);
      await w.write(rows);
    }
    const writers = (w as unknown as { writers: Map<string, { buffer: { spillCount: number } }> }).writers;
    const spills = [...writers.values()].reduce((s, x) => s + x.buffer.spillCount, 0);
    expect(spills).toBeGreaterThan(10);
    const c = await w.prepareCommit(1n);
    const files = c.messages.flatMap((m) => m.dataIncrement.newFiles);
    expect(files).toHaveLength(1);
    expect(files[0]!.rowCount).toBe(BigInt(expected.size));
    expect(readdirSync(spillParent)).toEqual([]);
    await commitForTest(table, c);
    const rows = await new TableRead(table).toArray();
    expect(new Map(rows.map((r) => [r[0] as number, r]))).toEqual(expected);
    await w.close();
  });

  it("continues sequence numbers across writer restarts", async () => {
    const path = dir();
    const table = await createTable(io, path, pkFields, { primaryKeys: ["id", "p"], options: { bucket: "1" } });
    let w = await TableWrite.open(table);
    await w.write([{ id: 1, p: "a", name: "first", v: 1n }, { id: 2, p: "a", name: "first", v: 2n }]);
    let c = await w.prepareCommit(1n);
    expect(c.messages[0]!.dataIncrement.newFiles[0]!.maxSequenceNumber).toBe(1n);
    await commitForTest(table, c);
    await w.close();
    w = await TableWrite.open(table);
    await w.write([{ id: 1, p: "a", name: "second", v: 10n }]);
    c = await w.prepareCommit(2n);
    const f = c.messages[0]!.dataIncrement.newFiles[0]!;
    expect([f.minSequenceNumber, f.maxSequenceNumber]).toEqual([2n, 2n]);
    await commitForTest(table, c);
    expect(await new TableRead(table).toArray()).toEqual([
      [1, "a", "second", 10n],
      [2, "a", "first", 2n],
    ]);
    // Append tables continue too.
    const app = await createTable(io, dir(), pkFields, { options: { bucket: "-1" } });
    let aw = await TableWrite.open(app);
    await aw.write([{ id: 1, p: "a" }, { id: 2, p: "a" }]);
    const ac = await aw.prepareCommit(1n);
    expect(ac.messages[0]!.totalBuckets).toBe(-1);
    await commitForTest(app, ac);
    aw = await TableWrite.open(app);
    await aw.write([{ id: 3, p: "a" }]);
    const f2 = (await aw.prepareCommit(2n)).messages[0]!.dataIncrement.newFiles[0]!;
    expect([f2.minSequenceNumber, f2.maxSequenceNumber]).toEqual([2n, 2n]);
  });

  it("rolls append files at target-file-size and takes Arrow batches", async () => {
    const path = dir();
    const fields = [F(0, "id", DataTypes.INT()), F(1, "s", DataTypes.STRING())];
    const table = await createTable(io, path, fields, { options: { bucket: "-1", "target-file-size": "16 kb" } });
    const w = await TableWrite.open(table);
    const ids = Array.from({ length: 2000 }, (_, i) => i);
    const schema = new Schema([new Field("id", new Int32(), true), new Field("s", new Utf8(), true)]);
    const idData = vectorFromArray(ids, new Int32()).data[0]!;
    const sData = vectorFromArray(ids.map((i) => `value-${i}`), new Utf8()).data[0]!;
    await w.writeArrow(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: ids.length, nullCount: 0, children: [idData, sData] })));
    const c = await w.prepareCommit(1n);
    const files = c.messages.flatMap((m) => m.dataIncrement.newFiles);
    expect(files.length).toBeGreaterThan(3);
    expect(files.reduce((s, f) => s + Number(f.rowCount), 0)).toBe(2000);
    await commitForTest(table, c);
    const rows = await new TableRead(table).toArray();
    expect(rows.map((r) => r[0]).sort((a, b) => (a as number) - (b as number))).toEqual(ids);
  });
});

