/**
 * System tables through a real Trino 476: its `trino_thrift` connector queries our
 * service, which serves `t$changes` and friends. Trino's Thrift connector accepts only
 * names matching `[a-z][a-z0-9_]*`, so the service names them `t__changes` and serves
 * `_row_kind` / `_snapshot_id` as `row_kind` / `snapshot_id` (src/names.ts).
 *
 * Tables are written by our own writer, one checkpoint per step of a sequence of
 * upserts and deletes, with and without a changelog producer; the change log Trino
 * returns must be exactly that row-kind sequence. The catalog reads through a logging
 * FileIO, so a query with a `snapshot_id` range shows which snapshot files it opened.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FilesystemCatalog } from "@streamhouse/catalog";
import { FaultInjectingFileIO, LocalFileIO } from "@streamhouse/fileio";
import { FileStoreCommit, type FileStoreTable, inspectTable, TableWrite, type WriteChange } from "@streamhouse/table";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTrino, type TrinoServer } from "../../../integration/trino/trino.js";
import { startTrinoService, type TrinoServiceHandle } from "../src/trino-service.js";

const DB = "sys";
/** One checkpoint each: two inserts, an upsert, a delete, insert+update of one key, a delete. */
const CHECKPOINTS: readonly (readonly WriteChange[])[] = [
  [
    { kind: "+I", row: { id: 1, v: "a" } },
    { kind: "+I", row: { id: 2, v: "b" } },
  ],
  [{ kind: "+U", row: { id: 1, v: "a2" } }],
  [{ kind: "-D", row: { id: 2, v: null } }],
  [
    { kind: "+I", row: { id: 3, v: "c" } },
    { kind: "+U", row: { id: 3, v: "c2" } },
  ],
  [{ kind: "-D", row: { id: 1, v: null } }],
];

/** `snapshot_id row_kind id,v` per change, in change-log order (see the unit tests for why each). */
const EXPECTED: Record<string, string[]> = {
  none: ["1 +I 1,a", "1 +I 2,b", "2 +U 1,a2", "3 -D 2,null", "4 +U 3,c2", "5 -D 1,null"],
  input: ["1 +I 1,a", "1 +I 2,b", "2 +U 1,a2", "3 -D 2,null", "4 +I 3,c", "4 +U 3,c2", "5 -D 1,null"],
  lookup: ["2 +I 1,a", "2 +I 2,b", "4 -U 1,a", "4 +U 1,a2", "6 -D 2,b", "8 +I 3,c2", "10 -D 1,a2"],
};

// Within a snapshot the log is ordered per key, a retraction before its replacement.
const LOG_ORDER = "ORDER BY snapshot_id, id, CASE row_kind WHEN '+I' THEN 0 WHEN '-U' THEN 1 WHEN '+U' THEN 2 ELSE 3 END";

let work: string;
let io: FaultInjectingFileIO;
let catalog: FilesystemCatalog;
let service: TrinoServiceHandle;
let trino: TrinoServer;
const tables = new Map<string, FileStoreTable>();

function progress(line: string): void {
  process.stderr.write(`[trino-system-tables] ${line}\n`);
}

async function writeTable(name: string, producer: string): Promise<FileStoreTable> {
  const table = await catalog.createTable(
    { database: DB, table: name },
    {
      fields: "id INT NOT NULL, v STRING",
      primaryKeys: ["id"],
      options: { bucket: "1", ...(producer === "none" ? {} : { "changelog-producer": producer }) },
    },
  );
  const write = await TableWrite.open(table);
  const commit = new FileStoreCommit(table, "trino-system-tables");
  try {
    let checkpoint = 0n;
    for (const changes of CHECKPOINTS) {
      await write.writeChanges(changes);
      await commit.commit([await write.prepareCommit(++checkpoint)]);
    }
  } finally {
    await write.close();
  }
  return catalog.getTable({ database: DB, table: name });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "streamhouse-trino-system-"));
  io = new FaultInjectingFileIO(new LocalFileIO(), { seed: 1, logEntriesMax: 1_000_000 });
  catalog = new FilesystemCatalog(io, join(work, "warehouse"));
  await catalog.createDatabase(DB, { ignoreIfExists: true });
  for (const producer of ["none", "input", "lookup"]) tables.set(producer, await writeTable(`t_${producer}`, producer));
  service = await startTrinoService({ catalog, port: 0, log: (m) => progress(`service: ${m}`) });
  trino = await startTrino({
    catalogs: { streamhouse: { "connector.name": "trino_thrift", "trino.thrift.client.addresses": `127.0.0.1:${service.port}` } },
    log: progress,
  });
  progress(`service on ${service.port}, Trino ${trino.version} at ${trino.url}`);
}, 15 * 60_000);

afterAll(async () => {
  await trino?.stop();
  await service?.close();
  await catalog?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

async function q(sql: string): Promise<unknown[][]> {
  try {
    return (await trino.query(sql, { catalog: "streamhouse", schema: DB })).rows as unknown[][];
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- Trino log (tail) ---\n${trino.logTail(8000)}`);
  }
}

const show = (r: readonly unknown[]): string => `${r[0]} ${r[1]} ${r[2]},${r[3]}`;

/** Snapshot ids whose files `io` opened from log position `from` on. */
function snapshotsOpenedSince(from: number, table: string): number[] {
  const ids = new Set<number>();
  for (const e of io.log.slice(from)) {
    const m = new RegExp(`/${table}/snapshot/snapshot-(\\d+)$`).exec(e.path);
    if (m !== null && (e.op === "read" || e.op === "exists")) ids.add(Number(m[1]));
  }
  return [...ids].sort((a, b) => a - b);
}

describe("system tables through Trino", () => {
  for (const producer of ["none", "input", "lookup"]) {
    test(`t__changes returns exactly the row-kind sequence (changelog-producer ${producer})`, async () => {
      const rows = await q(`SELECT snapshot_id, row_kind, id, v FROM "t_${producer}__changes" ${LOG_ORDER}`);
      expect(rows.map(show)).toEqual(EXPECTED[producer]);
    });
  }

  test("a snapshot_id range is pushed down: only its snapshots are opened", async () => {
    const from = io.log.length;
    const rows = await q(`SELECT snapshot_id, row_kind, id, v FROM "t_none__changes" WHERE snapshot_id BETWEEN 2 AND 4 ${LOG_ORDER}`);
    expect(rows.map(show)).toEqual(["2 +U 1,a2", "3 -D 2,null", "4 +U 3,c2"]);
    expect(snapshotsOpenedSince(from, "t_none")).toEqual([2, 3, 4]);
    const later = io.log.length;
    expect(await q(`SELECT count(*) FROM "t_lookup__changes" WHERE snapshot_id > 6`)).toEqual([[2]]);
    expect(snapshotsOpenedSince(later, "t_lookup")).toEqual([7, 8, 9, 10]);
  });

  test("t__snapshots, t__files, t__schemas and t__options", async () => {
    const snapshots = await q(`SELECT snapshot_id, commit_kind, commit_user FROM "t_lookup__snapshots" WHERE snapshot_id >= 9 ORDER BY 1`);
    expect(snapshots).toEqual([
      [9, "APPEND", "trino-system-tables"],
      [10, "COMPACT", "trino-system-tables"],
    ]);
    const lookup = tables.get("lookup")!;
    const files = await q(`SELECT bucket, level, record_count, min_key, max_key FROM "t_lookup__files" ORDER BY level, min_key`);
    const report = await inspectTable(lookup);
    expect(files).toEqual(
      [...report.files]
        .sort((a, b) => a.level - b.level || JSON.stringify(a.minKey).localeCompare(JSON.stringify(b.minKey)))
        .map((f) => [f.bucket, f.level, f.rowCount, JSON.stringify(f.minKey), JSON.stringify(f.maxKey)]),
    );
    const at4 = await q(`SELECT count(*), min(snapshot_id) FROM "t_lookup__files" WHERE snapshot_id = 4`);
    expect(at4).toEqual([[(await inspectTable(lookup, 4)).files.length, 4]]);
    const schemas = await q(`SELECT schema_id, primary_keys, json_extract_scalar(fields, '$[1].name') FROM "t_none__schemas"`);
    expect(schemas).toEqual([[0, '["id"]', "v"]]);
    const options = await q(`SELECT key, value FROM "t_input__options" ORDER BY key`);
    expect(options).toEqual([
      ["bucket", "1"],
      ["changelog-producer", "input"],
    ]);
  });
});
