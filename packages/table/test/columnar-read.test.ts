/**
 * TableRead's columnar paths on the Java-written vector tables (every merge engine the
 * vectors have, deletion vectors, partitions, schema changes, nested types): at every
 * snapshot, rows() returns exactly what the general KeyValue merge returns, in the same
 * order, and arrowBatches() — where a table qualifies — the same rows again, read back
 * from the Arrow batches with our own value accessors. Decoding on worker threads
 * changes nothing.
 */
import { describe, expect, it } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { ErrorKind, isStreamhouseError, type Row } from "@streamhouse/format";
import { FileStoreTable, TableRead } from "@streamhouse/table";
import type { ArrowReadOptions } from "../src/read/table-read.js";
import { vectorTables } from "../../format/test/vectors.js";
import { columnVector } from "../src/read/column-vector.js";

const io = new LocalFileIO();

async function collect(it: AsyncIterable<Row>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const r of it) out.push(r);
  return out;
}

const NESTED = new Set(["ROW", "ARRAY", "MAP", "MULTISET", "VECTOR", "VARIANT", "BLOB"]);

/** The rows of arrowBatches(options) read back with our value accessors; null when the read is Unsupported. */
async function arrowRows(read: TableRead, options: ArrowReadOptions): Promise<Row[] | null> {
  const plan = await read.plan(options);
  const out: Row[] = [];
  try {
    for await (const batch of read.arrowBatches({ ...options, batchRows: 7 })) {
      expect(batch.numRows).toBeLessThanOrEqual(7);
      expect(batch.schema.fields.map((f) => f.name)).toEqual(plan.fields.map((f) => f.name));
      const columns = plan.fields.map((f, c) => columnVector(batch.getChildAt(c)!.data, f.type, f.type, { file: "batch", column: f.name }));
      for (let i = 0; i < batch.numRows; i++) out.push(columns.map((v) => v.get(i)));
    }
  } catch (e) {
    if (isStreamhouseError(e, ErrorKind.Unsupported)) return null;
    throw e;
  }
  return out;
}

describe("columnar reads = general reads on the vector tables", () => {
  for (const { name, dir } of vectorTables()) {
    it(name, async () => {
      const table = await FileStoreTable.open(io, dir);
      const read = new TableRead(table);
      const latest = await table.snapshots.latestSnapshotId();
      // Nested columns are not gathered: their values come through rows() only.
      const flatColumns = table.schema.fields.filter((f) => !NESTED.has(f.type.root)).map((f) => f.name);
      let arrowChecked = 0;
      for (let id = 1; id <= (latest ?? 0); id++) {
        if ((await table.snapshots.snapshot(id).catch(() => null)) === null) continue;
        const general = await collect(read.rows({ snapshotId: id, columnar: false }));
        expect(await collect(read.rows({ snapshotId: id })), `snapshot ${id}`).toEqual(general);

        for (const projection of [undefined, flatColumns]) {
          const options = { snapshotId: id, ...(projection === undefined ? {} : { projection }) };
          const expected = projection === undefined ? general : await collect(read.rows({ ...options, columnar: false }));
          const fromArrow = await arrowRows(read, options);
          if (fromArrow === null) continue;
          expect(fromArrow, `snapshot ${id} as Arrow, columns ${projection ?? "all"}`).toEqual(expected);
          arrowChecked++;
        }
      }
      // Every table qualifies at least with its flat columns, except pk_table_with_mor, whose
      // schema changes column types (old files need casts).
      if (name !== "pk_table_with_mor") expect(arrowChecked).toBeGreaterThan(0);
    });
  }
});

describe("decode workers", () => {
  it("give the same rows and Arrow batches as decoding on the calling thread", async () => {
    for (const { name, dir } of vectorTables()) {
      if (!name.startsWith("pk_table_scan_and_read") && name !== "append_09") continue;
      const table = await FileStoreTable.open(io, dir);
      const plain = new TableRead(table);
      const workers = new TableRead(table, { decodeThreads: 2 });
      expect(await collect(workers.rows()), name).toEqual(await collect(plain.rows()));
      expect(await arrowRows(workers, {}), name).toEqual(await arrowRows(plain, {}));
    }
  });
});
