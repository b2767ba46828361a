/**
 * Paging at the handler: pages decoded by the generated reader, a token whose cursor was
 * dropped (evicted, or the service restarted) rebuilt by re-reading and skipping, and a
 * split planned before a commit still reading its own snapshot.
 */
import thrift from "thrift";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trinoTypes } from "../src/generated.js";
import { TrinoThriftHandler } from "../src/trino-handler.js";
import { commitRows, tempWarehouse, type Warehouse } from "./support/tables.js";

let wh: Warehouse;

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

const ids = (p: Page) => (p.columnBlocks[0]?.bigintData.longs ?? []).map((l) => Number(l.buffer.readBigInt64BE(l.offset)));

beforeAll(async () => {
  wh = await tempWarehouse();
  const t = await wh.create("db", "t", { fields: "id BIGINT NOT NULL, s STRING", primaryKeys: ["id"], options: { bucket: "1" } });
  await commitRows(t, Array.from({ length: 3000 }, (_, i) => ({ id: i, s: `row ${i}` })));
});

afterAll(async () => {
  await wh?.dispose();
});

describe("paging", () => {
  it("continues after its cursor is gone, and keeps the planned snapshot", async () => {
    const h = new TrinoThriftHandler({ catalog: wh.catalog });
    const batch = await h.trinoGetSplits({ schemaName: "db", tableName: "t" }, null, { domains: {} }, 10, null);
    expect(batch.splits).toHaveLength(1);
    const split = batch.splits[0]!.splitId;
    // A commit after planning: the query must not see it.
    await commitRows(await wh.catalog.getTable({ database: "db", table: "t" }), [{ id: 5000, s: "late" }]);
    const seen: number[] = [];
    let token: { id: Buffer } | null = null;
    let pages = 0;
    do {
      const page = decode(await h.trinoGetRows(split, ["id"], 2000, token === null ? null : { token }));
      seen.push(...ids(page));
      expect(page.rowCount).toBe(ids(page).length);
      token = page.nextToken ?? null;
      pages++;
      // Drop every open cursor after each page: the next page is rebuilt from the token.
      if (pages % 2 === 1) h.close();
    } while (token !== null);
    expect(pages).toBeGreaterThan(5);
    expect(seen).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(h.stats().openCursors).toBe(0);
  });

  for (const evict of [false, true]) {
    it(`pages rows of the general merge (partial-update)${evict ? ", its cursor dropped after every page" : ""}`, async () => {
      const name = `partial_${evict ? "evicted" : "kept"}`;
      const t = await wh.create("db", name, {
        fields: "id BIGINT NOT NULL, a STRING, b STRING",
        primaryKeys: ["id"],
        options: { bucket: "1", "merge-engine": "partial-update" },
      });
      await commitRows(t, Array.from({ length: 2000 }, (_, i) => ({ id: i, a: `a${i}`, b: null })));
      await commitRows(t, Array.from({ length: 1000 }, (_, i) => ({ id: 2 * i, a: null, b: `b${i}` })));
      const h = new TrinoThriftHandler({ catalog: wh.catalog });
      const batch = await h.trinoGetSplits({ schemaName: "db", tableName: name }, null, { domains: {} }, 10, null);
      const seen: number[] = [];
      let token: { id: Buffer } | null = null;
      let pages = 0;
      do {
        const page = decode(await h.trinoGetRows(batch.splits[0]!.splitId, ["id"], 3000, token === null ? null : { token }));
        seen.push(...ids(page));
        expect(page.rowCount).toBe(ids(page).length);
        token = page.nextToken ?? null;
        pages++;
        if (evict) h.close();
      } while (token !== null);
      expect(pages).toBeGreaterThan(5);
      expect(seen).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    });
  }

  it("lists splits in batches of maxSplitCount, all of one snapshot", async () => {
    const t = await wh.create("db", "buckets", { fields: "id BIGINT NOT NULL", primaryKeys: ["id"], options: { bucket: "4" } });
    await commitRows(t, Array.from({ length: 400 }, (_, i) => ({ id: i })));
    const h = new TrinoThriftHandler({ catalog: wh.catalog });
    const all = await h.trinoGetSplits({ schemaName: "db", tableName: "buckets" }, null, { domains: {} }, 100, null);
    expect(all.splits).toHaveLength(4);
    const ids: string[] = [];
    let token: { id: Buffer } | null = null;
    do {
      const batch = await h.trinoGetSplits({ schemaName: "db", tableName: "buckets" }, null, { domains: {} }, 1, token === null ? null : { token });
      expect(batch.splits).toHaveLength(1);
      ids.push(batch.splits[0]!.splitId.id.toString("utf8"));
      if (ids.length === 2) await commitRows(t, [{ id: 1000 }]);
      token = batch.nextToken;
    } while (token !== null);
    expect(ids).toEqual(all.splits.map((s) => s.splitId.id.toString("utf8")));
    await expect(h.trinoGetSplits({ schemaName: "db", tableName: "buckets" }, null, { domains: {} }, 1, { token: { id: Buffer.from("[") } })).rejects.toThrow(
      /split-listing token/,
    );
  });

  it("rejects a token that is not ours", async () => {
    const h = new TrinoThriftHandler({ catalog: wh.catalog });
    const batch = await h.trinoGetSplits({ schemaName: "db", tableName: "t" }, null, { domains: {} }, 10, null);
    await expect(h.trinoGetRows(batch.splits[0]!.splitId, ["id"], 2000, { token: { id: Buffer.from("{}") } })).rejects.toThrow(/page token/);
  });
});
