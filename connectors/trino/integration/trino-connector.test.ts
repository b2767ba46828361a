/**
 * Stock Trino 476 querying Streamhouse tables through its `trino_thrift` connector and
 * our service: tables written by our writer and by Java Paimon; SELECT *, projections,
 * WHERE on partition and non-partition columns, GROUP BY, a join — each result equal,
 * row for row, to what our own reader returns. Pushdown is checked by the files the
 * service opens; bad input must fail only its query; a commit must be visible to the
 * next query.
 *
 * One Trino and one service serve every test (Trino takes 15-30 s to start here).
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { rowKindToShortString } from "@streamhouse/format";
import { type Predicate, StreamScan, TableRead } from "@streamhouse/table";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensurePaimonJava, type PaimonJava } from "../../../integration/paimon-java/paimon-java.js";
import { trinoThriftCatalog } from "../../../integration/trino/thrift-catalog.js";
import { startTrino, type TrinoServer } from "../../../integration/trino/trino.js";
import { startTrinoService, type TrinoServiceHandle } from "../src/trino-service.js";
import { commitRows, tempWarehouse, type Warehouse } from "../test/support/tables.js";
import { sorted, trinoRows } from "./support/expected.js";

let wh: Warehouse;
let service: TrinoServiceHandle;
let trino: TrinoServer;
let java: PaimonJava;
const serviceLog: string[] = [];

function progress(line: string): void {
  process.stderr.write(`[trino-connector] ${line}\n`);
}

const DAYS = ["2025-11-20", "2025-11-21", "2025-11-22"];

beforeAll(async () => {
  wh = await tempWarehouse();
  // Ours: a partitioned primary-key table with upserts and deletes across commits.
  const orders = await wh.create("db", "orders", {
    fields: "id BIGINT NOT NULL, day STRING NOT NULL, customer STRING, amount DECIMAL(10, 2), qty INT",
    primaryKeys: ["id", "day"],
    partitionKeys: ["day"],
    options: { bucket: "2" },
  });
  const customers = ["ada", "bob", "cy", "dee", "eve"];
  await commitRows(
    orders,
    Array.from({ length: 300 }, (_, i) => ({ id: i, day: DAYS[i % 3], customer: customers[i % 5], amount: `${i}.25`, qty: i % 11 })),
  );
  await commitRows(
    orders,
    Array.from({ length: 50 }, (_, i) => ({ id: i * 3, day: DAYS[0], customer: customers[(i + 1) % 5], amount: `${i}.50`, qty: 20 + i })),
    "+U",
  );
  await commitRows(
    orders,
    Array.from({ length: 20 }, (_, i) => ({ id: i * 3 + 1, day: DAYS[1], customer: null, amount: null, qty: null })),
    "-D",
  );
  const people = await wh.create("db", "customers", { fields: "name STRING NOT NULL, region STRING", options: { bucket: "-1" } });
  await commitRows(people, customers.map((name, i) => ({ name, region: i % 2 === 0 ? "north" : "south" })));
  const types = await wh.create("db", "types", {
    fields:
      "id INT NOT NULL, b BOOLEAN, ti TINYINT, si SMALLINT, bi BIGINT, f FLOAT, d DOUBLE, dec DECIMAL(20, 4), c CHAR(3), vc VARCHAR(10), s STRING, " +
      "bin BYTES, dt DATE, tm TIME, ts3 TIMESTAMP(3), ts6 TIMESTAMP(6), ltz TIMESTAMP_LTZ(3), longs ARRAY<BIGINT>, strs ARRAY<STRING>, m MAP<STRING, INT>, r ROW<a INT, b STRING>",
    primaryKeys: ["id"],
    options: { bucket: "1" },
  });
  await commitRows(types, [
    {
      id: 1,
      b: true,
      ti: -5,
      si: 300,
      bi: 900719925474099n,
      f: 1.5,
      d: -2.25,
      dec: "12345678901234.5678",
      c: "abc",
      vc: "héllo",
      s: "some text",
      bin: new Uint8Array([0, 1, 2, 255]),
      dt: "2025-11-20",
      tm: 45_296_000,
      ts3: "2025-11-20T10:11:12.345",
      ts6: "2025-11-20T10:11:12.345678",
      ltz: "2025-11-20T10:11:12.345Z",
      longs: [1, 2, 3],
      strs: ["x", null, "z"],
      m: new Map([["k", 1]]),
      r: { a: 7, b: "seven" },
    },
    { id: 2 },
  ]);
  await wh.create("db", "weird", { fields: "id BIGINT NOT NULL, v VARIANT" });
  const fragile = await wh.create("db", "fragile", { fields: "id BIGINT NOT NULL", options: { bucket: "-1" } });
  await commitRows(fragile, [{ id: 1 }, { id: 2 }]);

  // Java Paimon's: a partitioned primary-key table with a delete and a compaction.
  java = await ensurePaimonJava({ log: progress });
  await java.run({
    warehouse: join(wh.dir, "warehouse"),
    database: "db",
    table: "jorders",
    ops: [
      {
        op: "create",
        schema: {
          fields: [
            { name: "id", type: "BIGINT NOT NULL" },
            { name: "p", type: "STRING NOT NULL" },
            { name: "v", type: "STRING" },
            { name: "n", type: "INT" },
          ],
          primaryKeys: ["id", "p"],
          partitionKeys: ["p"],
          options: { bucket: "2" },
        },
      },
      { op: "write", rows: Array.from({ length: 60 }, (_, i) => ({ id: i, p: i % 2 === 0 ? "even" : "odd", v: `v${i}`, n: i })) },
      { op: "write", rows: Array.from({ length: 10 }, (_, i) => ({ id: i, p: i % 2 === 0 ? "even" : "odd", v: `w${i}`, n: 100 + i })) },
      { op: "delete", rows: [{ id: 5, p: "odd", v: null, n: null }] },
      { op: "compact", full: true },
      { op: "write", rows: [{ id: 7, p: "odd", v: "after-compaction", n: 7 }] },
    ],
  });

  service = await startTrinoService({ catalog: wh.catalog, port: 0, log: (m) => serviceLog.push(m) });
  trino = await startTrino({ catalogs: { sh: trinoThriftCatalog(service.port) }, maxHeap: "1G", log: progress });
  progress(`service on ${service.port}, Trino at ${trino.url}`);
}, 20 * 60_000);

afterAll(async () => {
  await trino?.stop();
  await service?.close();
  await java?.close();
  await wh?.dispose();
});

async function q(sql: string): Promise<unknown[][]> {
  const started = Date.now();
  try {
    const r = await trino.query(sql, { catalog: "sh", schema: "db" });
    progress(`${((Date.now() - started) / 1000).toFixed(2)} s  ${sql.replace(/\s+/g, " ").slice(0, 110)}`);
    return r.rows as unknown[][];
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- service log: ${serviceLog.slice(-5).join("\n")}\n--- Trino log (tail) ---\n${trino.logTail(6000)}`);
  }
}

async function failure(sql: string): Promise<string> {
  try {
    await trino.query(sql, { catalog: "sh", schema: "db" });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`expected ${sql} to fail`);
}

/** Our reader's rows of db.<table> as Trino shows them. */
async function ours(table: string, options: { readonly projection?: readonly string[]; readonly filter?: Predicate } = {}): Promise<unknown[][]> {
  const t = await wh.catalog.getTable({ database: "db", table });
  const read = new TableRead(t);
  const plan = await read.plan(options);
  return trinoRows(plan.fields, await read.toArray(options));
}

describe("Trino through the Thrift connector", () => {
  it("lists and describes tables with the documented types", async () => {
    expect(sorted(await q("SHOW TABLES"))).toEqual([["customers"], ["fragile"], ["jorders"], ["orders"], ["types"], ["weird"]]);
    const columns = await q("DESCRIBE types");
    expect(columns.map((c) => [c[0], c[1]])).toEqual([
      ["id", "integer"],
      ["b", "boolean"],
      ["ti", "integer"],
      ["si", "integer"],
      ["bi", "bigint"],
      ["f", "double"],
      ["d", "double"],
      ["dec", "varchar(22)"],
      ["c", "varchar(3)"],
      ["vc", "varchar(10)"],
      ["s", "varchar"],
      ["bin", "varchar"],
      ["dt", "date"],
      ["tm", "varchar(12)"],
      ["ts3", "timestamp(3)"],
      ["ts6", "varchar(29)"],
      ["ltz", "timestamp(3)"],
      ["longs", "array(bigint)"],
      ["strs", "json"],
      ["m", "json"],
      ["r", "json"],
    ]);
  });

  it("SELECT * of every type equals our reader", async () => {
    const rows = await q("SELECT * FROM types");
    expect(sorted(rows)).toEqual(sorted(await ours("types")));
    expect(sorted(rows)[0]).toContain("2025-11-20 10:11:12.345678");
  });

  it("SELECT *, projections and filters on our primary-key table equal our reader", async () => {
    expect(sorted(await q("SELECT * FROM orders"))).toEqual(sorted(await ours("orders")));
    expect(sorted(await q("SELECT amount, id FROM orders"))).toEqual(sorted(await ours("orders", { projection: ["amount", "id"] })));
    expect(sorted(await q("SELECT id, customer FROM orders WHERE qty > 25"))).toEqual(
      sorted(await ours("orders", { projection: ["id", "customer"], filter: { kind: "compare", field: "qty", op: ">", literal: 25 } })),
    );
    expect(sorted(await q("SELECT id FROM orders WHERE customer = 'ada' AND id < 100"))).toEqual(
      sorted(
        await ours("orders", {
          projection: ["id"],
          filter: {
            kind: "and",
            children: [
              { kind: "compare", field: "customer", op: "=", literal: "ada" },
              { kind: "compare", field: "id", op: "<", literal: 100n },
            ],
          },
        }),
      ),
    );
  });

  it("a query on one partition opens only that partition's files", async () => {
    const table = await wh.catalog.getTable({ database: "db", table: "orders" });
    const filter: Predicate = { kind: "compare", field: "day", op: "=", literal: DAYS[2]! };
    const plan = await new TableRead(table).plan({ filter });
    const partitionFiles = plan.splits.reduce((n, s) => n + s.runs.reduce((m, r) => m + r.files.length, 0), 0);
    const all = (await new TableRead(table).plan()).splits.reduce((n, s) => n + s.runs.reduce((m, r) => m + r.files.length, 0), 0);
    expect(partitionFiles).toBeLessThan(all);
    const before = service.stats().filesOpened;
    const rows = await q(`SELECT * FROM orders WHERE day = '${DAYS[2]}'`);
    expect(service.stats().filesOpened - before).toBe(partitionFiles);
    expect(sorted(rows)).toEqual(sorted(await ours("orders", { filter })));
  });

  it("GROUP BY aggregates and a join of two tables equal our reader", async () => {
    const mine = await ours("orders", { projection: ["day", "qty", "customer", "id"] });
    const byDay = new Map<string, { n: number; qty: number }>();
    for (const [day, qty] of mine) {
      const g = byDay.get(day as string) ?? { n: 0, qty: 0 };
      g.n++;
      g.qty += (qty as number | null) ?? 0;
      byDay.set(day as string, g);
    }
    expect(sorted(await q("SELECT day, count(*), sum(qty) FROM orders GROUP BY day"))).toEqual(sorted([...byDay].map(([d, g]) => [d, g.n, g.qty])));
    const regions = new Map((await ours("customers")).map(([name, region]) => [name, region]));
    const joined = mine.filter(([, , c]) => c !== null && regions.has(c)).map(([, , c, id]) => [id, c, regions.get(c)]);
    expect(sorted(await q("SELECT o.id, o.customer, c.region FROM orders o JOIN customers c ON o.customer = c.name"))).toEqual(sorted(joined));
  });

  it("reads Java Paimon's table like our reader does", async () => {
    expect(sorted(await q("SELECT * FROM jorders"))).toEqual(sorted(await ours("jorders")));
    expect(sorted(await q("SELECT id, v FROM jorders WHERE p = 'odd'"))).toEqual(
      sorted(await ours("jorders", { projection: ["id", "v"], filter: { kind: "compare", field: "p", op: "=", literal: "odd" } })),
    );
    const rows = await ours("jorders", { projection: ["p", "n"] });
    const sums = new Map<string, number>();
    for (const [p, n] of rows) sums.set(p as string, (sums.get(p as string) ?? 0) + ((n as number | null) ?? 0));
    expect(sorted(await q("SELECT p, sum(n) FROM jorders GROUP BY p"))).toEqual(sorted([...sums]));
    expect(await q("SELECT v FROM jorders WHERE id = 7")).toEqual([["after-compaction"]]);
  });

  it("serves the change log as orders__changes with its row kinds", async () => {
    const kinds = await wh.create("db", "kinds", { fields: "k BIGINT NOT NULL, v STRING", primaryKeys: ["k"], options: { bucket: "1" } });
    const first = await commitRows(kinds, [{ k: 1, v: "a" }]);
    await commitRows(kinds, [{ k: 1, v: "b" }], "+U");
    await commitRows(kinds, [{ k: 1, v: "b" }], "-D");
    const rows = await q(`SELECT row_kind, k, v, snapshot_id FROM kinds__changes WHERE snapshot_id >= ${first} ORDER BY snapshot_id`);
    const expected: unknown[][] = [];
    const scan = new StreamScan(kinds);
    for (let s = first; s < first + 3; s++) for await (const c of scan.snapshotChanges(s)) expected.push([rowKindToShortString(c.kind), Number(c.row[0]), c.row[1], s]);
    expect(rows).toEqual(expected);
    expect(rows.map((r) => r[0])).toEqual(["+I", "+U", "-D"]);
    expect(rows.map((r) => [r[1], r[2], r[3]])).toEqual([
      [1, "a", first],
      [1, "b", first + 1],
      [1, "b", first + 2],
    ]);
  });

  it("bad input fails its query with a clear message and the service keeps serving", async () => {
    expect(await failure("SELECT * FROM no_such_table")).toMatch(/no_such_table.*(does not exist|not found)/i);
    expect(await failure("SELECT * FROM weird")).toMatch(/VARIANT.*cannot carry/);
    const table = await wh.catalog.getTable({ database: "db", table: "fragile" });
    const plan = await new TableRead(table).plan();
    await rm(join(table.path, "bucket-0", plan.splits[0]!.runs[0]!.files[0]!.file.fileName));
    expect(await failure("SELECT * FROM fragile")).toMatch(/not exist|not found|no such file/i);
    expect(sorted(await q("SELECT name FROM customers WHERE region = 'north'"))).toEqual([["ada"], ["cy"], ["eve"]]);
  });

  it("a committed snapshot is visible to the next query", async () => {
    const t = await wh.create("db", "fresh", { fields: "id BIGINT NOT NULL", primaryKeys: ["id"], options: { bucket: "1" } });
    const lags: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const committed = Date.now();
      await commitRows(t, [{ id: i }]);
      const visible = Number((await q("SELECT count(*) FROM fresh"))[0]![0]);
      lags.push(Date.now() - committed);
      expect(visible).toBe(i);
    }
    progress(`commit → visible through Trino (one query each): ${lags.join(", ")} ms`);
  });
});
