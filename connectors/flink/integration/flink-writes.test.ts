/**
 * Flink writes, Streamhouse reads: PyFlink with Paimon's Flink connector and a Paimon
 * Hive catalog on our metastore creates a primary-key table with
 * `changelog-producer = lookup` and runs three streaming jobs of upserts into it (each a
 * bounded changelog source: inserts, updates of the same keys, a delete, a re-insert;
 * each ends with its final checkpoint, which commits). Our StreamScan from the earliest
 * snapshot must see every change in order, exactly as the lookup changelog holds it —
 * and exactly what Flink's own streaming read of the same table sees.
 */
import { identifier } from "@streamhouse/catalog";
import { StreamScan } from "@streamhouse/table";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type FlinkJob, startFlinkJob } from "./flink-job.js";
import { changeLabel, type FlinkTestEnv, startFlinkTestEnv } from "./flink-support.js";

const COLUMNS = [
  ["id", "BIGINT"],
  ["name", "STRING"],
  ["qty", "INT"],
] as const;

/** One streaming job each. Keys repeat across batches, never within one. */
const BATCHES: readonly (readonly [string, readonly [number, string, number]])[][] = [
  [
    ["+I", [1, "apple", 10]],
    ["+I", [2, "pear", 20]],
    ["+I", [3, "plum", 30]],
  ],
  [
    ["+U", [1, "apple", 11]],
    ["-D", [2, "pear", 20]],
    ["+I", [4, "fig", 40]],
  ],
  [
    ["+U", [1, "apple", 12]],
    ["+I", [2, "pear", 21]],
    ["+U", [3, "plum", 33]],
  ],
];

/** The lookup changelog of each commit: before and after images, by key. */
const EXPECTED = [
  ["+I [1,\"apple\",10]", "+I [2,\"pear\",20]", "+I [3,\"plum\",30]"],
  ["-U [1,\"apple\",10]", "+U [1,\"apple\",11]", "-D [2,\"pear\",20]", "+I [4,\"fig\",40]"],
  ["-U [1,\"apple\",11]", "+U [1,\"apple\",12]", "+I [2,\"pear\",21]", "-U [3,\"plum\",30]", "+U [3,\"plum\",33]"],
];

let env: FlinkTestEnv;
let job: FlinkJob;

function progress(line: string): void {
  process.stderr.write(`[flink-writes] ${line}\n`);
}

beforeAll(async () => {
  env = await startFlinkTestEnv("flink-writes");
}, 20 * 60_000);

afterAll(async () => {
  await job?.stop();
  await env?.close();
});

describe("Flink 2.0 writes upserts through Paimon's connector, Streamhouse reads the change log", () => {
  test("our streaming scan, tailing while Flink writes, sees every change in order", { timeout: 10 * 60_000 }, async () => {
    const started = Date.now();
    const expectedCount = EXPECTED.flat().length;
    job = await startFlinkJob(
      [
        { sql: env.catalogDdl("sh") },
        { sql: "CREATE DATABASE sh.shop" },
        {
          sql: "CREATE TABLE sh.shop.fruit (id BIGINT NOT NULL, name STRING, qty INT, PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket' = '1', 'changelog-producer' = 'lookup')",
        },
        { await: "our reader" },
        ...BATCHES.map((rows) => ({ changelog: { table: "sh.shop.fruit", columns: COLUMNS, rows } })),
        // Flink's own streaming read of the change log, for comparison.
        { select: "SELECT * FROM sh.shop.fruit /*+ OPTIONS('scan.mode' = 'from-snapshot', 'scan.snapshot-id' = '1') */", limit: expectedCount },
      ],
      {
        log: progress,
        config: {
          "execution.checkpointing.interval": "1s",
          // The changelog source has no key: without this Flink would put an upsert
          // materializer before the sink, whose empty state drops the delete of a key
          // inserted by an earlier job.
          "table.exec.sink.upsert-materialize": "NONE",
        },
      },
    );
    await job.waitFor((l) => l.event === "waiting", 5 * 60_000, "Flink to create the table");

    // Paimon's Hive catalog registered the table in our metastore; our catalog finds it there.
    expect(await env.catalog.listTables("shop")).toEqual(["fruit"]);
    expect(await env.catalog.tableLocation(identifier("shop", "fruit"))).toMatch(/\/shop\.db\/fruit$/);
    const table = await env.catalog.getTable(identifier("shop", "fruit"));
    expect(table.options.get("changelog-producer")).toBe("lookup");
    expect(await table.snapshots.latestSnapshotId()).toBe(null);

    // Tail the empty table from the start, then let Flink write.
    const stop = new AbortController();
    const seen: { snapshotId: number; label: string }[] = [];
    const tail = (async () => {
      for await (const c of new StreamScan(table).changes({ start: { from: "earliest" }, pollIntervalMs: 200, signal: stop.signal })) {
        seen.push({ snapshotId: c.snapshotId, label: changeLabel(c.kind, c.row as unknown[]) });
        if (seen.length >= expectedCount) return;
      }
    })();
    // Its error, if any, surfaces at `await tail` below.
    tail.catch(() => {});
    try {
      job.send("go");
      await Promise.race([
        tail,
        job.waitFor((l) => l.event === "done", 8 * 60_000, "the jobs and Flink's streaming read").then(
          // Flink is done, so everything is committed: give our reader a bounded moment more.
          () => new Promise<void>((resolve) => setTimeout(resolve, 10_000)),
        ),
      ]);
    } finally {
      stop.abort();
    }
    await tail;
    progress(`Flink wrote ${BATCHES.length} batches; our reader saw ${seen.length} changes in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // One changelog-carrying COMPACT snapshot per Flink commit, in commit order.
    const snapshotIds = [...new Set(seen.map((c) => c.snapshotId))];
    progress(`our stream: ${JSON.stringify(snapshotIds.map((id) => [id, seen.filter((c) => c.snapshotId === id).map((c) => c.label)]))}`);
    expect(snapshotIds.map((id) => seen.filter((c) => c.snapshotId === id).map((c) => c.label))).toEqual(EXPECTED);
    for (const id of snapshotIds) expect((await table.snapshots.snapshot(id)).commitKind).toBe("COMPACT");

    await job.waitFor((l) => l.event === "done", 5 * 60_000, "Flink's streaming read");
    expect(job.changes().map((c) => changeLabel(c.kind, c.row))).toEqual(EXPECTED.flat());
  });
});
