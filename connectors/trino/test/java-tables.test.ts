/**
 * Every golden table Java Paimon wrote (../shared/vectors/paimon-java/tables: append,
 * merge-on-read, deletion vectors, first-row, nested types, schema changes, empty
 * partitions) served through the handler — all splits, every column, small pages —
 * gives exactly the rows our reader returns. Tables with a type the connector cannot
 * carry must fail with Unsupported instead.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { FilesystemCatalog } from "@streamhouse/catalog";
import { LocalFileIO } from "@streamhouse/fileio";
import { isStreamhouseError, type Row } from "@streamhouse/format";
import { TableRead } from "@streamhouse/table";
import thrift from "thrift";
import { afterAll, describe, expect, it } from "vitest";
import { VECTORS_DIR } from "../../../packages/format/test/vectors.js";
import { trinoTypes } from "../src/generated.js";
import { isRowChunk, type PageChunk } from "../src/page-chunk.js";
import { encodePage, type PageColumn } from "../src/page-encoder.js";
import { encodeSelectionPage, type SelectionSlice } from "../src/selection-page-encoder.js";
import { TrinoThriftHandler } from "../src/trino-handler.js";
import { trinoColumnType } from "../src/type-mapping.js";

const warehouse = join(VECTORS_DIR, "tables");
const catalog = new FilesystemCatalog(new LocalFileIO(), warehouse);
const tables = readdirSync(warehouse)
  .filter((d) => d.endsWith(".db"))
  .map((d) => ({ database: d.slice(0, -3), table: readdirSync(join(warehouse, d))[0]! }));

interface Page {
  rowCount: number;
  nextToken: { id: Buffer } | null;
}

function decode(bytes: Buffer): Page {
  const page = new trinoTypes.TrinoThriftPageResult() as unknown as Page & { read(p: thrift.TProtocol): void };
  page.read(new thrift.TBinaryProtocol(new thrift.TFramedTransport(bytes) as unknown as thrift.TTransport));
  return page;
}

/** The rows the handler's row source yields (what pages are encoded from), by reaching into one read. */
async function servedRows(h: TrinoThriftHandler, database: string, table: string, columns: string[]): Promise<{ rows: number; pages: number }> {
  const batch = await h.trinoGetSplits({ schemaName: database, tableName: table }, null, { domains: {} }, 1000, null);
  let rows = 0;
  let pages = 0;
  for (const s of batch.splits) {
    let token: { id: Buffer } | null = null;
    do {
      const page = decode(await h.trinoGetRows(s.splitId, columns, 512, token === null ? null : { token }));
      rows += page.rowCount;
      pages++;
      token = page.nextToken ?? null;
    } while (token !== null);
  }
  return { rows, pages };
}

/** The rows of a selection slice, value by value. */
function selectedRows(c: SelectionSlice, width: number): Row[] {
  const out: Row[] = [];
  const { segments, segment, row } = c.selection;
  for (let j = c.from; j < c.to; j++) {
    const s = segments[segment[j]!]!;
    out.push(Array.from({ length: width }, (_, k) => s.file.columns[k]!.get(s.start + row[j]!)));
  }
  return out;
}

const key = (r: Row) => JSON.stringify(r, (_, v) => (typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? [...v] : v));

let selectionsCompared = 0;

describe("Java Paimon's golden tables through the handler", () => {
  afterAll(() => {
    // The Arrow path must have been exercised, not only the row path.
    expect(selectionsCompared).toBeGreaterThan(5);
  });

  for (const { database, table } of tables) {
    it(`${database}.${table}`, async () => {
      const h = new TrinoThriftHandler({ catalog });
      let meta: Awaited<ReturnType<TrinoThriftHandler["trinoGetTableMetadata"]>>;
      try {
        meta = await h.trinoGetTableMetadata({ schemaName: database, tableName: table });
      } catch (e) {
        expect(isStreamhouseError(e, "Unsupported"), String(e)).toBe(true);
        return;
      }
      const columns = meta.tableMetadata!.columns.map((c) => c.name);
      const t = await catalog.getTable({ database, table });
      const expected = await new TableRead(t).toArray();
      const served = await servedRows(h, database, table, columns);
      expect(served.rows).toBe(expected.length);
      // The rows themselves: the handler's own row source, compared as multisets; and
      // every selection encoded straight from Arrow gives the bytes the row encoder gives.
      const got: Row[] = [];
      const internals = h as unknown as { dataRows(t: unknown, s: unknown, p: readonly string[]): AsyncIterable<PageChunk> };
      const pageColumns: PageColumn[] = t.schema.fields.map((f, i) => ({ name: columns[i]!, type: f.type, block: trinoColumnType(f.type, f.name).block }));
      const batch = await h.trinoGetSplits({ schemaName: database, tableName: table }, null, { domains: {} }, 1000, null);
      for (const s of batch.splits) {
        const split = JSON.parse(s.splitId.id.toString("utf8"));
        for await (const c of internals.dataRows(t, split, t.schema.fields.map((f) => f.name))) {
          if (isRowChunk(c)) {
            got.push(...c);
            continue;
          }
          const rows = selectedRows(c, pageColumns.length);
          got.push(...rows);
          expect(encodeSelectionPage(pageColumns, [c], null).equals(encodePage(pageColumns, rows, null))).toBe(true);
          selectionsCompared++;
        }
      }
      expect(got.map(key).sort()).toEqual(expected.map(key).sort());
    });
  }
});
