/**
 * Two writers on one table: our writer and a Flink job take turns upserting the same
 * keys of a partitioned primary-key table with two buckets and
 * `changelog-producer = lookup`. Each writer's lookup must find the rows the other one
 * wrote — same partition, same bucket (the bucket hash must agree), readable files — or
 * the changelog would show a second `+I` where a `-U`/`+U` pair belongs. Both our
 * streaming scan and Flink's streaming read must see, key by key, every change in order.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { identifier } from "@streamhouse/catalog";
import { rowKindToShortString } from "@streamhouse/format";
import { FileStoreCommit, type FileStoreTable, StreamingSink, StreamScan, TableWrite, type WriteChange } from "@streamhouse/table";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type FlinkJob, startFlinkJob } from "./flink-job.js";
import { changeLabel, type FlinkTestEnv, startFlinkTestEnv } from "./flink-support.js";

type Values = readonly [string, number, string, number];

const ours = (kind: "+I" | "+U" | "-D", [region, id, name, qty]: Values): WriteChange => ({ kind, row: { region, id, name, qty } });

/** Commit 1 (ours), commit 2 (Flink), commit 3 (ours). */
const FIRST: readonly WriteChange[] = [
  ours("+I", ["eu", 1, "a", 1]),
  ours("+I", ["eu", 2, "b", 2]),
  ours("+I", ["us", 1, "c", 3]),
  ours("+I", ["us", 2, "d", 4]),
  ours("+I", ["us", 3, "e", 5]),
];
const FLINK: readonly (readonly [string, Values])[] = [
  ["+U", ["eu", 1, "a", 10]],
  ["-D", ["us", 2, "d", 4]],
  ["+I", ["eu", 3, "f", 6]],
  ["+U", ["us", 3, "e", 50]],
];
const THIRD: readonly WriteChange[] = [ours("+U", ["eu", 1, "a", 100]), ours("+I", ["us", 2, "d", 40]), ours("-D", ["eu", 2, "b", 2])];

/** The lookup changelog, key by key, in commit order. */
const EXPECTED_BY_KEY: Record<string, string[]> = {
  "eu/1": ['+I ["eu",1,"a",1]', '-U ["eu",1,"a",1]', '+U ["eu",1,"a",10]', '-U ["eu",1,"a",10]', '+U ["eu",1,"a",100]'],
  "eu/2": ['+I ["eu",2,"b",2]', '-D ["eu",2,"b",2]'],
  "eu/3": ['+I ["eu",3,"f",6]'],
  "us/1": ['+I ["us",1,"c",3]'],
  "us/2": ['+I ["us",2,"d",4]', '-D ["us",2,"d",4]', '+I ["us",2,"d",40]'],
  "us/3": ['+I ["us",3,"e",5]', '-U ["us",3,"e",5]', '+U ["us",3,"e",50]'],
};
const TOTAL = Object.values(EXPECTED_BY_KEY).flat().length;

/** Changes grouped by primary key (region, id), each key's changes in arrival order. */
function byKey(changes: readonly { kind: string; row: readonly unknown[] }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of changes) {
    const key = `${String(c.row[0])}/${String(c.row[1])}`;
    out[key] = [...(out[key] ?? []), changeLabel(c.kind, [...c.row])];
  }
  return out;
}

let env: FlinkTestEnv;
let job: FlinkJob;

function progress(line: string): void {
  process.stderr.write(`[flink-mixed] ${line}\n`);
}

beforeAll(async () => {
  env = await startFlinkTestEnv("flink-mixed");
}, 20 * 60_000);

afterAll(async () => {
  await job?.stop();
  await env?.close();
});

async function commitOurs(table: FileStoreTable, checkpointId: bigint, changes: readonly WriteChange[]): Promise<void> {
  // A fresh writer each time: it restores the table as the last commit (maybe Flink's) left it.
  const write = await TableWrite.open(table);
  try {
    await write.writeChanges(changes);
    await new StreamingSink(new FileStoreCommit(table, "streamhouse-mixed"), write).checkpoint(checkpointId);
  } finally {
    await write.close();
  }
}

describe("Streamhouse and Flink 2.0 take turns writing one lookup-changelog table", () => {
  test("each writer's changelog carries the other's before images", { timeout: 10 * 60_000 }, async () => {
    job = await startFlinkJob(
      [
        { sql: env.catalogDdl("sh") },
        { await: "our first commit" },
        {
          changelog: {
            table: "sh.shop.mixed",
            columns: [
              ["region", "STRING"],
              ["id", "BIGINT"],
              ["name", "STRING"],
              ["qty", "INT"],
            ],
            rows: FLINK,
          },
        },
        { await: "our second commit" },
        { select: "SELECT * FROM sh.shop.mixed /*+ OPTIONS('scan.mode' = 'from-snapshot', 'scan.snapshot-id' = '1') */", limit: TOTAL },
      ],
      { log: progress, config: { "execution.checkpointing.interval": "1s", "table.exec.sink.upsert-materialize": "NONE" } },
    );
    await job.waitFor((l) => l.event === "waiting" && l.index === 1, 5 * 60_000, "Flink to open its catalog");
    await env.catalog.createDatabase("shop");
    const id = identifier("shop", "mixed");
    await env.catalog.createTable(id, {
      fields: "region STRING NOT NULL, id BIGINT NOT NULL, name STRING, qty INT",
      primaryKeys: ["region", "id"],
      partitionKeys: ["region"],
      options: { bucket: "2", "changelog-producer": "lookup" },
    });
    await commitOurs(await env.catalog.getTable(id), 1n, FIRST);
    job.send("go");
    await job.waitFor((l) => l.event === "waiting" && l.index === 3, 5 * 60_000, "Flink's upserts");
    await commitOurs(await env.catalog.getTable(id), 2n, THIRD);
    job.send("go");
    await job.waitFor((l) => l.event === "done", 5 * 60_000, "Flink's streaming read");

    const flinks = byKey(job.changes());
    progress(`Flink saw: ${JSON.stringify(flinks)}`);
    expect(flinks).toEqual(EXPECTED_BY_KEY);

    const table = await env.catalog.getTable(id);
    const seen: { kind: string; row: readonly unknown[] }[] = [];
    for await (const c of new StreamScan(table).changes({ start: { from: "earliest" }, stopAtLatest: true })) {
      seen.push({ kind: rowKindToShortString(c.kind), row: c.row as unknown[] });
    }
    const mine = byKey(seen);
    progress(`our stream: ${JSON.stringify(mine)}`);
    expect(mine).toEqual(EXPECTED_BY_KEY);

    // Both buckets hold data, so the writers had to agree on the bucket of each key.
    const buckets = new Set<string>();
    for (const part of ["region=eu", "region=us"]) for (const b of await readdir(join(table.path, part))) buckets.add(b);
    expect([...buckets].sort()).toEqual(["bucket-0", "bucket-1"]);
  });
});
