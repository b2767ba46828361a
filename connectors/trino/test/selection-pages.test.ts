/**
 * Pages encoded straight from Arrow buffers (selection-page-encoder.ts) against pages
 * encoded from the same rows as values (page-encoder.ts): byte for byte, for every
 * block kind, with nulls in every nullable column, over merged and unmerged splits, a
 * file that predates a column, and pages cut across and inside selections. Then the
 * handler's paging by `maxBytes` over selections.
 */
import { parseDataType, type Row } from "@streamhouse/format";
import { alterTable, type FileStoreTable, SchemaChanges } from "@streamhouse/table";
import thrift from "thrift";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trinoTypes } from "../src/generated.js";
import { isRowChunk, type PageChunk } from "../src/page-chunk.js";
import { encodePage, type PageColumn } from "../src/page-encoder.js";
import { encodeSelectionPage, type SelectionSlice, selectionRowsWithin } from "../src/selection-page-encoder.js";
import { TrinoThriftHandler } from "../src/trino-handler.js";
import { trinoColumnType } from "../src/type-mapping.js";
import { commitRows, tempWarehouse, type Warehouse } from "./support/tables.js";

const FIELDS =
  "id BIGINT NOT NULL, t TINYINT, s SMALLINT, i INT, f FLOAT, d DOUBLE, b BOOLEAN, dt DATE, c CHAR(3), v STRING, dec DECIMAL(10, 2), ts TIMESTAMP(3)";

let wh: Warehouse;

/** Row `n` of the test data; every nullable column is null on its own residue. */
function row(n: number, version: number): Record<string, unknown> {
  const nullAt = (k: number) => n % 11 === k;
  return {
    id: n,
    t: nullAt(1) ? null : ((n * 7 + version) % 256) - 128,
    s: nullAt(2) ? null : ((n * 131) % 65536) - 32768,
    i: nullAt(3) ? null : n * 1000 - 500_000 + version,
    f: nullAt(4) ? null : n / 8 - 3,
    d: nullAt(5) ? null : n * 1.25 - 17.5 + version,
    b: nullAt(6) ? null : (n + version) % 3 === 0,
    dt: nullAt(7) ? null : `2025-${String((n % 12) + 1).padStart(2, "0")}-1${n % 10}`,
    c: nullAt(8) ? null : n % 5 === 0 ? "" : `c${n % 10}`,
    v: nullAt(9) ? null : n % 13 === 0 ? "" : `välue ${n} ✓ v${version}${"x".repeat(n % 40)}`,
    dec: nullAt(10) ? null : `${n}.${String(n % 100).padStart(2, "0")}`,
    ts: nullAt(0) ? null : new Date(Date.UTC(2025, 0, 1) + n * 1000 + version),
  };
}

beforeAll(async () => {
  wh = await tempWarehouse();
  // Merged: three overlapping versions in one bucket, deletes included.
  const pk = await wh.create("db", "pk", { fields: FIELDS, primaryKeys: ["id"], options: { bucket: "1" } });
  await commitRows(pk, Array.from({ length: 700 }, (_, n) => row(n, 0)));
  await commitRows(pk, Array.from({ length: 300 }, (_, n) => row(n * 2, 1)));
  await commitRows(
    pk,
    Array.from({ length: 50 }, (_, n) => row(n * 9, 2)),
    "-D",
  );
  // Unmerged: appends, the first file written before column `extra` existed.
  const ap = await wh.create("db", "ap", { fields: FIELDS, options: { bucket: "-1" } });
  await commitRows(ap, Array.from({ length: 400 }, (_, n) => row(n, 0)));
  await alterTable(ap, [SchemaChanges.addColumn("extra", parseDataType("STRING"))]);
  const evolved = await wh.catalog.getTable({ database: "db", table: "ap" });
  await commitRows(
    evolved,
    Array.from({ length: 300 }, (_, n) => ({ ...row(n + 400, 0), extra: n % 4 === 0 ? null : `e${n}` })),
  );
});

afterAll(async () => {
  await wh?.dispose();
});

interface Source {
  readonly table: FileStoreTable;
  readonly columns: PageColumn[];
  readonly chunks: PageChunk[];
}

async function source(name: string): Promise<Source> {
  const h = new TrinoThriftHandler({ catalog: wh.catalog });
  const table = await wh.catalog.getTable({ database: "db", table: name });
  const fields = table.schema.fields;
  const columns = fields.map((f) => ({ name: f.name, type: f.type, block: trinoColumnType(f.type, f.name).block }));
  const internals = h as unknown as { dataRows(t: unknown, s: unknown, p: readonly string[]): AsyncIterable<PageChunk> };
  const batch = await h.trinoGetSplits({ schemaName: "db", tableName: name }, null, { domains: {} }, 1000, null);
  const chunks: PageChunk[] = [];
  for (const s of batch.splits) {
    for await (const c of internals.dataRows(table, JSON.parse(s.splitId.id.toString("utf8")), fields.map((f) => f.name))) chunks.push(c);
  }
  return { table, columns, chunks };
}

function rowsOf(c: SelectionSlice, width: number): Row[] {
  const out: Row[] = [];
  const { segments, segment, row: at } = c.selection;
  for (let j = c.from; j < c.to; j++) {
    const s = segments[segment[j]!]!;
    out.push(Array.from({ length: width }, (_, k) => s.file.columns[k]!.get(s.start + at[j]!)));
  }
  return out;
}

function slices(chunks: readonly PageChunk[]): SelectionSlice[] {
  const out: SelectionSlice[] = [];
  for (const c of chunks) {
    expect(isRowChunk(c)).toBe(false);
    if (!isRowChunk(c)) out.push(c);
  }
  return out;
}

function sameBytes(columns: readonly PageColumn[], parts: readonly SelectionSlice[]): void {
  const rows = parts.flatMap((p) => rowsOf(p, columns.length));
  const token = Buffer.from("next");
  expect(encodeSelectionPage(columns, parts, token).equals(encodePage(columns, rows, token))).toBe(true);
}

describe("pages from selections", () => {
  for (const name of ["pk", "ap"]) {
    it(`${name}: equal the row encoder's bytes, whole and cut anywhere`, async () => {
      const { columns, chunks } = await source(name);
      const parts = slices(chunks);
      const total = parts.reduce((n, p) => n + p.to - p.from, 0);
      expect(total).toBeGreaterThan(500);
      sameBytes(columns, parts);
      for (const p of parts) {
        const n = p.to - p.from;
        for (const cut of [1, Math.floor(n / 3), n - 1]) {
          if (cut <= 0 || cut >= n) continue;
          sameBytes(columns, [
            { selection: p.selection, from: p.from + cut, to: p.to },
            { selection: p.selection, from: p.from, to: p.from + cut },
          ]);
        }
      }
    });
  }

  it("the merged split holds the latest version of every live key", async () => {
    const { columns, chunks } = await source("pk");
    const rows = slices(chunks).flatMap((p) => rowsOf(p, columns.length));
    const ids = rows.map((r) => Number(r[0] as bigint));
    const deleted = new Set(Array.from({ length: 50 }, (_, n) => n * 9));
    expect(ids).toEqual(Array.from({ length: 700 }, (_, n) => n).filter((n) => !deleted.has(n)));
    const i = columns.findIndex((c) => c.name === "i");
    for (const r of rows) {
      const n = Number(r[0] as bigint);
      const version = n % 2 === 0 && n < 600 ? 1 : 0;
      expect(r[i]).toBe(n % 11 === 3 ? null : n * 1000 - 500_000 + version);
    }
  });

  it("measures pages exactly for fixed-width and varchar columns", async () => {
    const { columns, chunks } = await source("ap");
    const fast = columns.filter((c) => c.name !== "dec" && c.name !== "extra");
    const p = slices(chunks)[0]!;
    const all = selectionRowsWithin(fast, p.selection, p.from, p.to, Number.MAX_SAFE_INTEGER, 1 << 30, true);
    expect(all.rows).toBe(p.to - p.from);
    const half = selectionRowsWithin(fast, p.selection, p.from, p.to, all.bytes / 2, 1 << 30, true);
    expect(half.rows).toBeGreaterThan(0);
    expect(half.rows).toBeLessThan(all.rows);
    expect(half.bytes).toBeLessThanOrEqual(all.bytes / 2);
    const next = selectionRowsWithin(fast, p.selection, p.from, p.from + half.rows + 1, Number.MAX_SAFE_INTEGER, 1 << 30, true);
    expect(next.bytes).toBeGreaterThan(all.bytes / 2);
    expect(selectionRowsWithin(fast, p.selection, p.from, p.to, 0, 1 << 30, false).rows).toBe(0);
    expect(selectionRowsWithin(fast, p.selection, p.from, p.to, 0, 1 << 30, true).rows).toBe(1);
    expect(selectionRowsWithin(fast, p.selection, p.from, p.to, Number.MAX_SAFE_INTEGER, 7, true).rows).toBe(7);
  });
});

interface Page {
  rowCount: number;
  nextToken: { id: Buffer } | null;
  columnBlocks: { bigintData: { longs: { buffer: Buffer; offset: number }[] } }[];
}

function decode(bytes: Buffer): Page {
  const page = new trinoTypes.TrinoThriftPageResult() as unknown as Page & { read(p: thrift.TProtocol): void };
  page.read(new thrift.TBinaryProtocol(new thrift.TFramedTransport(bytes) as unknown as thrift.TTransport));
  return page;
}

describe("paging over selections", () => {
  for (const maxBytes of [200, 5_000, 1 << 20]) {
    it(`keeps pages within ${maxBytes} bytes and sends every row once`, async () => {
      const h = new TrinoThriftHandler({ catalog: wh.catalog, maxPageRows: 1000 });
      const batch = await h.trinoGetSplits({ schemaName: "db", tableName: "ap" }, null, { domains: {} }, 1000, null);
      const ids: number[] = [];
      let pages = 0;
      for (const s of batch.splits) {
        let token: { id: Buffer } | null = null;
        do {
          const bytes = await h.trinoGetRows(s.splitId, ["id", "v", "dec", "extra"], maxBytes, token === null ? null : { token });
          const page = decode(bytes);
          if (page.rowCount > 1) expect(bytes.length).toBeLessThanOrEqual(maxBytes);
          expect(page.rowCount).toBeLessThanOrEqual(1000);
          ids.push(...page.columnBlocks[0]!.bigintData.longs.map((l) => Number(l.buffer.readBigInt64BE(l.offset))));
          token = page.nextToken ?? null;
          pages++;
        } while (token !== null);
      }
      expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: 700 }, (_, n) => n));
      if (maxBytes < 1 << 20) expect(pages).toBeGreaterThan(3);
      expect(h.stats().openCursors).toBe(0);
    });
  }
});
