/**
 * The service over real sockets, called by the Thrift client generated from the same
 * IDL (FRAMED + BINARY, as Trino's connector calls it): listings, metadata, splits
 * with pushdown, pages decoded by the generated reader, paging, and errors.
 */
import { rm } from "node:fs/promises";
import { TableRead } from "@streamhouse/table";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trinoTypes } from "../src/generated.js";
import { startTrinoService, type TrinoServiceHandle } from "../src/trino-service.js";
import { Bounds } from "../src/tuple-domain.js";
import { commitRows, connect, type ServiceClient, tempWarehouse, type Warehouse } from "./support/tables.js";

let wh: Warehouse;
let service: TrinoServiceHandle;
let conn: ServiceClient;
const calls: { method: string; durationMs: number; ok: boolean }[] = [];

type Block = Record<string, { nulls?: boolean[] | null; [k: string]: unknown } | null>;

function i64(v: unknown): bigint {
  const x = v as { buffer: Buffer; offset: number };
  return x.buffer.readBigInt64BE(x.offset);
}

/** Decoded page blocks → rows of JS values (bigint for bigint columns, strings for varchar). */
function rowsOf(page: { columnBlocks: Block[]; rowCount: number }): unknown[][] {
  const out: unknown[][] = [];
  for (let r = 0; r < page.rowCount; r++) {
    out.push(
      page.columnBlocks.map((b) => {
        const [kind, data] = Object.entries(b).find(([, v]) => v !== null && v !== undefined)!;
        if (data!.nulls?.[r] === true) return null;
        switch (kind) {
          case "integerData":
            return (data!.ints as number[])[r];
          case "bigintData":
            return i64((data!.longs as unknown[])[r]);
          case "doubleData":
            return (data!.doubles as number[])[r];
          case "dateData":
            return (data!.dates as number[])[r];
          case "varcharData":
          case "jsonData": {
            const sizes = data!.sizes as number[];
            const start = sizes.slice(0, r).reduce((a, b) => a + b, 0);
            return (data!.bytes as Buffer).subarray(start, start + sizes[r]!).toString("utf8");
          }
          default:
            throw new Error(`unexpected block ${kind}`);
        }
      }),
    );
  }
  return out;
}

const name = (schemaName: string, tableName: string) => new trinoTypes.TrinoThriftSchemaTableName({ schemaName, tableName });
const noToken = () => new trinoTypes.TrinoThriftNullableToken({});
const all = () => new trinoTypes.TrinoThriftTupleDomain({ domains: {} as never });

function bigintBlock(v: bigint) {
  return new trinoTypes.TrinoThriftBlock({ bigintData: new trinoTypes.TrinoThriftBigint({ longs: [Number(v)] as never }) });
}

function varcharBlock(s: string) {
  const bytes = Buffer.from(s, "utf8");
  return new trinoTypes.TrinoThriftBlock({ varcharData: new trinoTypes.TrinoThriftVarchar({ sizes: [bytes.length], bytes }) });
}

/** `column = value` as Trino sends it: a range set with one single-value range. */
function equals(column: string, value: ReturnType<typeof bigintBlock>) {
  const marker = (bound: number) => new trinoTypes.TrinoThriftMarker({ value, bound });
  const range = new trinoTypes.TrinoThriftRange({ low: marker(Bounds.EXACTLY), high: marker(Bounds.EXACTLY) });
  const domain = new trinoTypes.TrinoThriftDomain({
    valueSet: new trinoTypes.TrinoThriftValueSet({ rangeValueSet: new trinoTypes.TrinoThriftRangeValueSet({ ranges: [range] }) }),
    nullAllowed: false,
  });
  return new trinoTypes.TrinoThriftTupleDomain({ domains: { [column]: domain } as never });
}

async function readAll(table: string, columns: string[], constraint = all(), maxBytes = 1 << 20): Promise<{ rows: unknown[][]; pages: number }> {
  const rows: unknown[][] = [];
  let pages = 0;
  const batch = await conn.client.trinoGetSplits(name("db", table), new trinoTypes.TrinoThriftNullableColumnSet({}), constraint, 1000, noToken());
  for (const split of batch.splits) {
    let token: unknown = null;
    do {
      const page = await conn.client.trinoGetRows(split.splitId, columns, maxBytes as never, new trinoTypes.TrinoThriftNullableToken(token === null ? {} : { token: token as never }));
      pages++;
      rows.push(...rowsOf(page as never));
      token = page.nextToken ?? null;
    } while (token !== null);
  }
  return { rows, pages };
}

const sortRows = (rows: unknown[][]) => [...rows].sort((a, b) => JSON.stringify(a, (_, v) => (typeof v === "bigint" ? v.toString() : v)).localeCompare(JSON.stringify(b, (_, v) => (typeof v === "bigint" ? v.toString() : v))));

beforeAll(async () => {
  wh = await tempWarehouse();
  const orders = await wh.create("db", "orders", {
    fields: "id BIGINT NOT NULL, day STRING NOT NULL, customer STRING, amount DECIMAL(10, 2), qty INT",
    primaryKeys: ["id", "day"],
    partitionKeys: ["day"],
    options: { bucket: "2" },
  });
  await commitRows(orders, [
    { id: 1, day: "2025-11-20", customer: "ada", amount: "12.50", qty: 1 },
    { id: 2, day: "2025-11-20", customer: "bob", amount: "7.00", qty: 2 },
    { id: 3, day: "2025-11-21", customer: "cy", amount: null, qty: null },
  ]);
  await commitRows(orders, [{ id: 1, day: "2025-11-20", customer: "ada", amount: "15.00", qty: 3 }], "+U");
  await commitRows(orders, [{ id: 2, day: "2025-11-20", customer: "bob", amount: "7.00", qty: 2 }], "-D");
  const events = await wh.create("db", "events", { fields: "id BIGINT NOT NULL, kind STRING", options: { bucket: "-1" } });
  await commitRows(
    events,
    Array.from({ length: 5000 }, (_, i) => ({ id: i, kind: `kind-${i % 7}` })),
  );
  await wh.create("db", "weird", { fields: "id BIGINT NOT NULL, v VARIANT" });
  service = await startTrinoService({ catalog: wh.catalog, port: 0, onCall: (method, durationMs, ok) => calls.push({ method, durationMs, ok }) });
  conn = await connect(service.port);
});

afterAll(async () => {
  conn?.close();
  await service?.close();
  await wh?.dispose();
});

describe("Trino Thrift service", () => {
  it("lists schemas and tables", async () => {
    expect(await conn.client.trinoListSchemaNames()).toEqual(["db"]);
    const tables = await conn.client.trinoListTables(new trinoTypes.TrinoThriftNullableSchemaName({ schemaName: "db" }));
    expect(tables.map((t) => t.tableName)).toEqual(["events", "orders", "weird"]);
  });

  it("describes a table with the documented type mapping", async () => {
    const m = await conn.client.trinoGetTableMetadata(name("db", "orders"));
    expect(m.tableMetadata!.columns.map((c) => [c.name, c.type])).toEqual([
      ["id", "bigint"],
      ["day", "varchar"],
      ["customer", "varchar"],
      ["amount", "varchar(12)"],
      ["qty", "integer"],
    ]);
    const missing = await conn.client.trinoGetTableMetadata(name("db", "nope"));
    expect(missing.tableMetadata ?? null).toBeNull();
  });

  it("serves merged rows equal to our reader's", async () => {
    const { rows } = await readAll("orders", ["id", "day", "customer", "amount", "qty"]);
    const table = await wh.catalog.getTable({ database: "db", table: "orders" });
    const expected = (await new TableRead(table).toArray()).map((r) => [r[0], r[1], r[2], r[3] === null ? null : "15.00", r[4]]);
    expect(sortRows(rows)).toEqual(sortRows(expected));
    expect(sortRows(rows)).toEqual([
      [1n, "2025-11-20", "ada", "15.00", 3],
      [3n, "2025-11-21", "cy", null, null],
    ]);
  });

  it("prunes partitions: a query on one partition opens only its files", async () => {
    const before = service.stats().filesOpened;
    const { rows } = await readAll("orders", ["id"], equals("day", varcharBlock("2025-11-21")));
    expect(rows).toEqual([[3n]]);
    const table = await wh.catalog.getTable({ database: "db", table: "orders" });
    const plan = await new TableRead(table).plan({ filter: { kind: "compare", field: "day", op: "=", literal: "2025-11-21" } });
    const partitionFiles = plan.splits.reduce((n, s) => n + s.runs.reduce((m, r) => m + r.files.length, 0), 0);
    expect(partitionFiles).toBeGreaterThan(0);
    expect(service.stats().filesOpened - before).toBe(partitionFiles);
  });

  it("pages by maxBytes with tokens, losing and repeating no row", async () => {
    const { rows, pages } = await readAll("events", ["id", "kind"], all(), 4096);
    expect(pages).toBeGreaterThan(10);
    expect(rows.length).toBe(5000);
    expect(new Set(rows.map((r) => r[0])).size).toBe(5000);
  });

  it("counts rows with no columns requested", async () => {
    const { rows } = await readAll("events", []);
    expect(rows.length).toBe(5000);
  });

  it("pushes min/max bounds down to append files", async () => {
    const { rows } = await readAll("events", ["id"], equals("id", bigintBlock(4321n)));
    expect(rows.filter((r) => r[0] === 4321n)).toHaveLength(1);
  });

  it("reports every call, its duration and outcome, to onCall", async () => {
    calls.length = 0;
    await conn.client.trinoListSchemaNames();
    await expect(conn.client.trinoGetRows(new trinoTypes.TrinoThriftId({ id: Buffer.from("garbage") }), [], 1000 as never, noToken())).rejects.toThrow();
    await readAll("events", ["id"]);
    expect(calls.slice(0, 2).map((c) => [c.method, c.ok])).toEqual([
      ["trinoListSchemaNames", true],
      ["trinoGetRows", false],
    ]);
    expect(calls.filter((c) => c.method === "trinoGetSplits" && c.ok).length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.method === "trinoGetRows" && c.ok).length).toBeGreaterThan(0);
    for (const c of calls) expect(c.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("answers bad input with TrinoThriftServiceException and keeps serving", async () => {
    await expect(conn.client.trinoGetTableMetadata(name("db", "weird"))).rejects.toThrow(/VARIANT.*cannot carry/);
    await expect(conn.client.trinoGetSplits(name("db", "nope"), new trinoTypes.TrinoThriftNullableColumnSet({}), all(), 10, noToken())).rejects.toThrow(/does not exist/);
    await expect(conn.client.trinoGetRows(new trinoTypes.TrinoThriftId({ id: Buffer.from("garbage") }), [], 1000 as never, noToken())).rejects.toThrow(/not a split id/);
    // A data file deleted underneath a planned split.
    const batch = await conn.client.trinoGetSplits(name("db", "events"), new trinoTypes.TrinoThriftNullableColumnSet({}), all(), 10, noToken());
    const split = JSON.parse(batch.splits[0]!.splitId.id.toString("utf8")) as { files: string[] };
    const table = await wh.catalog.getTable({ database: "db", table: "events" });
    await rm(`${table.path}/bucket-0/${split.files[0]}`);
    await expect(conn.client.trinoGetRows(batch.splits[0]!.splitId, ["id"], 1_000_000 as never, noToken())).rejects.toThrow(/not (exist|found)|ENOENT|no such file/i);
    expect(await conn.client.trinoListSchemaNames()).toEqual(["db"]);
    expect(service.stats().errors).toBeGreaterThanOrEqual(4);
  });
});
