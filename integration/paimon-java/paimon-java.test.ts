import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensurePaimonJava, type JsonRow, type PaimonJava, PaimonJavaError } from "./paimon-java.js";

const VECTOR_TABLE = join(
  import.meta.dirname,
  "../../../shared/vectors/paimon-java/tables/pk_table_scan_and_read_mor.db/pk_table_scan_and_read_mor",
);
const VECTOR_EXPECTED = join(import.meta.dirname, "expected", "pk_table_scan_and_read_mor.json");

let peer: PaimonJava;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "streamhouse-paimon-java-"));
  peer = await ensurePaimonJava();
});

afterAll(async () => {
  await peer?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

function snapshotKinds(tableDir: string): string[] {
  const dir = join(tableDir, "snapshot");
  const ids = readdirSync(dir)
    .filter((f) => f.startsWith("snapshot-"))
    .map((f) => Number(f.slice("snapshot-".length)))
    .sort((a, b) => a - b);
  return ids.map((id) => (JSON.parse(readFileSync(join(dir, `snapshot-${id}`), "utf8")) as { commitKind: string }).commitKind);
}

/** Every file under `dir` with its size and modification time, to prove a read wrote nothing. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const s = statSync(p);
        out.push(`${p} ${s.size} ${s.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out.sort();
}

describe("Java Paimon peer", () => {
  test("primary-key table: partitioned, 2 buckets, upserts, deletes, full compaction, schema changes, tag", async () => {
    const warehouse = join(work, "wh-pk");
    const table = join(warehouse, "db.db", "orders");
    const log = await peer.run({
      warehouse,
      database: "db",
      table: "orders",
      ops: [
        {
          op: "create",
          schema: {
            fields: [
              { name: "id", type: "BIGINT NOT NULL" },
              { name: "p", type: "STRING NOT NULL" },
              { name: "name", type: "STRING" },
              { name: "amount", type: "DECIMAL(10, 2)" },
              { name: "ts", type: "TIMESTAMP(6)" },
            ],
            primaryKeys: ["id", "p"],
            partitionKeys: ["p"],
            options: { bucket: "2", "merge-engine": "deduplicate" },
          },
        },
        {
          op: "write",
          rows: [
            { id: 1, p: "a", name: "alice", amount: "1.50", ts: "2024-01-02T03:04:05.123456" },
            { id: 2, p: "a", name: "bob", amount: "2.00" },
            { id: 3, p: "b", name: "carol", amount: "3.25" },
            { id: 4, p: "b", name: "dave", amount: "4.00" },
            { id: 5, p: "a", name: "erin" },
          ],
        },
        {
          op: "write",
          rows: [
            { _row_kind: "+U", id: 1, p: "a", name: "alice2", amount: "10.00" },
            { id: 3, p: "b", name: "carol2" },
            { id: 6, p: "b", name: "frank" },
          ],
        },
        { op: "delete", rows: [{ id: 2, p: "a" }, { id: 4, p: "b" }] },
        { op: "compact", full: true },
        {
          op: "alter",
          changes: [
            { addColumn: { name: "score", type: "INT" } },
            { renameColumn: { from: "name", to: "label" } },
            { updateColumnType: { name: "amount", type: "DECIMAL(12, 2)" } },
            { setOption: { key: "write-buffer-size", value: "64 mb" } },
          ],
        },
        {
          op: "write",
          rows: [
            { id: 5, p: "a", label: "erin2", amount: "5.55", ts: "2024-05-06T07:08:09.123456", score: 9 },
            { id: 7, p: "b", label: "gina", score: 1 },
          ],
        },
        { op: "tag", name: "v5" },
        { op: "alter", changes: [{ dropColumn: "ts" }] },
        { op: "write", rows: [{ id: 8, p: "a", label: "hank", score: 3 }] },
      ],
    });
    expect(log).toHaveLength(10);

    // One snapshot per write/delete op, a COMPACT-only snapshot for the compaction.
    expect(snapshotKinds(table)).toEqual(["APPEND", "APPEND", "APPEND", "COMPACT", "APPEND", "APPEND"]);
    expect(readdirSync(join(table, "schema")).sort()).toEqual(["schema-0", "schema-1", "schema-2"]);
    expect(readdirSync(table).filter((f) => f.startsWith("p="))).toEqual(expect.arrayContaining(["p=a", "p=b"]));

    expect(await peer.dump(table)).toEqual([
      { id: 1, p: "a", label: "alice2", amount: "10.00", score: null },
      { id: 3, p: "b", label: "carol2", amount: null, score: null },
      { id: 5, p: "a", label: "erin2", amount: "5.55", score: 9 },
      { id: 6, p: "b", label: "frank", amount: null, score: null },
      { id: 7, p: "b", label: "gina", amount: null, score: 1 },
      { id: 8, p: "a", label: "hank", amount: null, score: 3 },
    ]);

    // Time travel reads with the snapshot's own schema.
    expect(await peer.dump(table, { snapshot: 1 })).toEqual([
      { id: 1, p: "a", name: "alice", amount: "1.50", ts: "2024-01-02T03:04:05.123456" },
      { id: 2, p: "a", name: "bob", amount: "2.00", ts: null },
      { id: 3, p: "b", name: "carol", amount: "3.25", ts: null },
      { id: 4, p: "b", name: "dave", amount: "4.00", ts: null },
      { id: 5, p: "a", name: "erin", amount: null, ts: null },
    ]);
    const afterDelete = [
      { id: 1, p: "a", name: "alice2", amount: "10.00", ts: null },
      { id: 3, p: "b", name: "carol2", amount: null, ts: null },
      { id: 5, p: "a", name: "erin", amount: null, ts: null },
      { id: 6, p: "b", name: "frank", amount: null, ts: null },
    ];
    expect(await peer.dump(table, { snapshot: 3 })).toEqual(afterDelete);
    expect(await peer.dump(table, { snapshot: 4 })).toEqual(afterDelete);
    const atV5 = [
      { id: 1, p: "a", label: "alice2", amount: "10.00", ts: null, score: null },
      { id: 3, p: "b", label: "carol2", amount: null, ts: null, score: null },
      { id: 5, p: "a", label: "erin2", amount: "5.55", ts: "2024-05-06T07:08:09.123456", score: 9 },
      { id: 6, p: "b", label: "frank", amount: null, ts: null, score: null },
      { id: 7, p: "b", label: "gina", amount: null, ts: null, score: 1 },
    ];
    expect(await peer.dump(table, { snapshot: 5 })).toEqual(atV5);
    expect(await peer.dump(table, { tag: "v5" })).toEqual(atV5);

    // The change stream, as a streaming reader sees it, in the latest schema.
    const c = (snapshot: number, kind: string, id: number, p: string, label: string | null, amount: string | null, score: number | null): JsonRow => ({
      _snapshot: snapshot,
      _row_kind: kind,
      id,
      p,
      label,
      amount,
      score,
    });
    expect(await peer.dump(table, { changesFrom: 1, changesTo: 6 })).toEqual([
      c(1, "+I", 1, "a", "alice", "1.50", null),
      c(1, "+I", 2, "a", "bob", "2.00", null),
      c(1, "+I", 3, "b", "carol", "3.25", null),
      c(1, "+I", 4, "b", "dave", "4.00", null),
      c(1, "+I", 5, "a", "erin", null, null),
      c(2, "+U", 1, "a", "alice2", "10.00", null),
      c(2, "+I", 3, "b", "carol2", null, null),
      c(2, "+I", 6, "b", "frank", null, null),
      c(3, "-D", 2, "a", null, null, null),
      c(3, "-D", 4, "b", null, null, null),
      c(5, "+I", 5, "a", "erin2", "5.55", 9),
      c(5, "+I", 7, "b", "gina", null, 1),
      c(6, "+I", 8, "a", "hank", null, 3),
    ]);
    expect(await peer.dump(table, { changesFrom: 5 })).toHaveLength(3);
  });

  test("append table: every JSON value convention round-trips through Java", async () => {
    const warehouse = join(work, "wh-append");
    const rows: JsonRow[] = [
      {
        id: 1,
        big: "9007199254740993",
        dec: "12345678901234.5678",
        d: "2024-02-29",
        t: "12:34:56",
        ts: "2024-01-02T03:04:05.678",
        ltz: "2024-01-02T03:04:05.123456",
        bin: "AAEC/w==",
        tags: ["a", null, "c"],
        attrs: [
          ["k1", 1],
          ["k2", null],
        ],
        nested: { x: 1.5, y: "q" },
        f: 0.5,
        flag: true,
      },
      { id: 2, big: -5, dec: "-0.0001", d: "1969-12-31", t: null, ts: "1960-06-30T23:59:59.999", ltz: null, bin: "", tags: [], attrs: [], nested: { x: null, y: null }, f: -2.25, flag: false },
      { id: 3, big: null, dec: null, d: null, t: null, ts: null, ltz: null, bin: null, tags: null, attrs: null, nested: null, f: null, flag: null },
    ];
    await peer.run({
      warehouse,
      database: "db",
      table: "events",
      ops: [
        {
          op: "create",
          schema: {
            fields: [
              { name: "id", type: "INT NOT NULL" },
              { name: "big", type: "BIGINT" },
              { name: "dec", type: "DECIMAL(20, 4)" },
              { name: "d", type: "DATE" },
              { name: "t", type: "TIME" },
              { name: "ts", type: "TIMESTAMP(3)" },
              { name: "ltz", type: "TIMESTAMP(6) WITH LOCAL TIME ZONE" },
              { name: "bin", type: "BYTES" },
              { name: "tags", type: "ARRAY<STRING>" },
              { name: "attrs", type: "MAP<STRING NOT NULL, INT>" },
              { name: "nested", type: "ROW<x DOUBLE, y STRING>" },
              { name: "f", type: "FLOAT" },
              { name: "flag", type: "BOOLEAN" },
            ],
          },
        },
        { op: "write", rows: rows.slice(0, 2) },
        { op: "write", rows: rows.slice(2) },
      ],
    });
    const table = join(warehouse, "db.db", "events");
    expect(snapshotKinds(table)).toEqual(["APPEND", "APPEND"]);
    expect(readdirSync(join(table, "bucket-0")).filter((f) => f.endsWith(".parquet"))).toHaveLength(2);
    expect(await peer.dump(table)).toEqual(rows);
    expect(await peer.dump(table, { snapshot: 1 })).toEqual(rows.slice(0, 2));
  });

  test("dynamic bucket with the lookup changelog producer: changes carry -U/+U from COMPACT snapshots", async () => {
    const warehouse = join(work, "wh-lookup");
    await peer.run({
      warehouse,
      database: "db",
      table: "cl",
      ops: [
        {
          op: "create",
          schema: {
            fields: [
              { name: "k", type: "STRING NOT NULL" },
              { name: "n", type: "INT" },
            ],
            primaryKeys: ["k"],
            options: { bucket: "-1", "changelog-producer": "lookup" },
          },
        },
        { op: "write", rows: [{ k: "a", n: 1 }, { k: "b", n: 2 }] },
        { op: "write", rows: [{ k: "a", n: 10 }, { k: "c", n: 3 }] },
        { op: "delete", rows: [{ k: "b" }] },
      ],
    });
    const table = join(warehouse, "db.db", "cl");
    // Lookup compacts in every commit, and its changelog files belong to the COMPACT snapshot.
    expect(snapshotKinds(table)).toEqual(["APPEND", "COMPACT", "APPEND", "COMPACT", "APPEND", "COMPACT"]);
    expect(readdirSync(join(table, "index")).length).toBeGreaterThan(0);
    expect(await peer.dump(table)).toEqual([
      { k: "a", n: 10 },
      { k: "c", n: 3 },
    ]);
    expect(await peer.dump(table, { changesFrom: 1 })).toEqual([
      { _snapshot: 2, _row_kind: "+I", k: "a", n: 1 },
      { _snapshot: 2, _row_kind: "+I", k: "b", n: 2 },
      { _snapshot: 4, _row_kind: "-U", k: "a", n: 1 },
      { _snapshot: 4, _row_kind: "+U", k: "a", n: 10 },
      { _snapshot: 4, _row_kind: "+I", k: "c", n: 3 },
      { _snapshot: 6, _row_kind: "-D", k: "b", n: 2 },
    ]);
  });

  test("a failing op reports Java's error", async () => {
    const warehouse = join(work, "wh-error");
    const script = {
      warehouse,
      database: "db",
      table: "t",
      ops: [
        { op: "create" as const, schema: { fields: [{ name: "id", type: "INT NOT NULL" }], primaryKeys: ["id"], options: { bucket: "1" } } },
        { op: "write" as const, rows: [{ id: 1, nope: 2 }] },
      ],
    };
    const failure = peer.run(script);
    await expect(failure).rejects.toThrow(PaimonJavaError);
    await expect(failure).rejects.toThrow(/op #1 \(write\) failed.*'nope'/);
    // The peer survives a failed call.
    expect(await peer.dump(join(warehouse, "db.db", "t"))).toEqual([]);
  });

  test("reads the Java-written vector table pk_table_scan_and_read_mor at every snapshot, in place", async () => {
    const expected = JSON.parse(readFileSync(VECTOR_EXPECTED, "utf8")) as {
      snapshots: Record<string, JsonRow[]>;
      changes: JsonRow[];
    };
    const before = listing(VECTOR_TABLE);
    for (const [id, rows] of Object.entries(expected.snapshots)) {
      expect(await peer.dump(VECTOR_TABLE, { snapshot: Number(id) }), `snapshot ${id}`).toEqual(rows);
    }
    expect(await peer.dump(VECTOR_TABLE)).toEqual(expected.snapshots["5"]);
    expect(await peer.dump(VECTOR_TABLE, { changesFrom: 1, changesTo: 5 })).toEqual(expected.changes);
    expect(listing(VECTOR_TABLE)).toEqual(before);
  });

  test("per-call mode (a JVM per call) runs and dumps the same way", async () => {
    const once = await ensurePaimonJava({ mode: "per-call" });
    const expected = JSON.parse(readFileSync(VECTOR_EXPECTED, "utf8")) as { snapshots: Record<string, JsonRow[]> };
    expect(await once.dump(VECTOR_TABLE, { snapshot: 2 })).toEqual(expected.snapshots["2"]);
    const warehouse = join(work, "wh-per-call");
    const log = await once.run({
      warehouse,
      database: "db",
      table: "t",
      ops: [
        { op: "create", schema: { fields: [{ name: "id", type: "INT NOT NULL" }] } },
        { op: "write", rows: [{ id: 2 }, { id: 1 }] },
      ],
    });
    expect(log).toHaveLength(2);
    expect(await once.dump(join(warehouse, "db.db", "t"), { options: { "scan.snapshot-id": "1" } })).toEqual([{ id: 1 }, { id: 2 }]);
    await expect(once.dump(join(warehouse, "db.db", "missing"))).rejects.toThrow(/Schema file not found/);
    await once.close();
  });
});
