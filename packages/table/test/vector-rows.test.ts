/**
 * Our reader against Java Paimon's, on the Java-written vector tables, without Java: the
 * fixtures in fixtures/vector-rows/ are Java Paimon 2.0.0's rows (written and re-checked
 * by integration/paimon-java/vector-fixtures.test.ts). For every table and snapshot,
 * TableRead returns exactly Java's rows, and StreamScan exactly Java's change stream —
 * compared as multisets of canonical JSON, per snapshot for changes, row kinds included.
 *
 * Both sides read in the table's latest schema (see generate-vector-fixtures.ts for how
 * Java is asked to); the fixture's `snapshotsInOwnSchema` is Java's time-travel view and
 * not compared here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { FileStoreTable, StreamScan, TableRead } from "@streamhouse/table";
import { vectorTables } from "../../format/test/vectors.js";
import { changesBySnapshot, changeToJson, type JsonRow, multiset, rowToJson } from "./support/rows-json.js";

interface VectorRowsFixture {
  source: string;
  table: string;
  schemaId: number;
  columns: string[];
  snapshots: Record<string, JsonRow[]>;
  changes: JsonRow[];
}

const FIXTURES = new URL("./fixtures/vector-rows/", import.meta.url);
const fixtures: VectorRowsFixture[] = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(new URL(f, FIXTURES), "utf8")) as VectorRowsFixture);
const io = new LocalFileIO();

describe("vector tables: our reader returns Java Paimon's rows", () => {
  const tables = vectorTables();

  it("has a fixture from Java for every vector table", () => {
    expect(fixtures.map((f) => f.table)).toEqual(tables.map((t) => t.name));
    for (const f of fixtures) expect(f.source).toBe("Java Paimon 2.0.0 via integration/paimon-java");
  });

  for (const { name, dir } of tables) {
    const fixture = fixtures.find((f) => f.table === name);
    if (fixture === undefined) continue;

    describe(name, () => {
      it("reads every snapshot as Java does (latest schema)", async () => {
        const table = await FileStoreTable.open(io, dir);
        expect(table.schema.id).toBe(fixture.schemaId);
        expect(table.schema.fields.map((f) => f.name)).toEqual(fixture.columns);
        const ids = await table.snapshots.listSnapshotIds();
        expect(Object.keys(fixture.snapshots).map(Number)).toEqual(ids);
        const read = new TableRead(table);
        for (const id of ids) {
          const ours = (await read.toArray({ snapshotId: id })).map((r) => rowToJson(table.schema.fields, r));
          expect(multiset(ours), `${name} snapshot ${id}`).toEqual(multiset(fixture.snapshots[String(id)]!));
        }
      });

      it("streams the same changes as Java, snapshot by snapshot", async () => {
        const table = await FileStoreTable.open(io, dir);
        const earliest = (await table.snapshots.earliestSnapshotId()) ?? 1;
        const ours: JsonRow[] = [];
        for await (const c of new StreamScan(table).changes({ start: { from: "snapshot", snapshotId: earliest }, stopAtLatest: true })) {
          ours.push(changeToJson(table.schema.fields, c));
        }
        expect(changesBySnapshot(ours)).toEqual(changesBySnapshot(fixture.changes));
      });
    });
  }
});
