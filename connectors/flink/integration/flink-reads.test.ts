/**
 * Streamhouse writes, Flink reads: our Hive catalog creates a primary-key table in our
 * metastore; our TableWrite and StreamingSink commit snapshots of inserts, updates and
 * deletes into it, checkpoint by checkpoint; Flink (PyFlink, Paimon's Flink connector,
 * a Paimon Hive catalog on the same metastore) finds the table by name, and a streaming
 * query started from snapshot 1 must see each change, in order — two snapshots
 * committed before the query starts, two while it runs.
 *
 * The table has no changelog producer, so Paimon's source is an upsert source and Flink
 * puts its ChangelogNormalize behind it: updates come out as -U/+U pairs and deletes
 * with the deleted row, the before images taken from Flink's state.
 */
import { identifier } from "@streamhouse/catalog";
import { FileStoreCommit, StreamingSink, TableWrite } from "@streamhouse/table";
import type { WriteChange } from "@streamhouse/table";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type FlinkJob, startFlinkJob } from "./flink-job.js";
import { changeLabel, type FlinkTestEnv, startFlinkTestEnv } from "./flink-support.js";

/** What our writer commits, one checkpoint each. */
const CHECKPOINTS: readonly (readonly WriteChange[])[] = [
  [
    { kind: "+I", row: { id: 1, name: "apple", qty: 10 } },
    { kind: "+I", row: { id: 2, name: "pear", qty: 20 } },
    { kind: "+I", row: { id: 3, name: "plum", qty: 30 } },
  ],
  [
    { kind: "+U", row: { id: 1, name: "apple", qty: 11 } },
    { kind: "-D", row: { id: 2, name: "pear", qty: 20 } },
  ],
  [
    { kind: "+I", row: { id: 4, name: "fig", qty: 40 } },
    { kind: "+U", row: { id: 3, name: "plum", qty: 33 } },
  ],
  [
    { kind: "-D", row: { id: 1, name: "apple", qty: 11 } },
    { kind: "+I", row: { id: 2, name: "pear", qty: 21 } },
  ],
];

/** What Flink's streaming query prints for each snapshot (bucket 1: key order). */
const EXPECTED = [
  ["+I [1,\"apple\",10]", "+I [2,\"pear\",20]", "+I [3,\"plum\",30]"],
  ["-U [1,\"apple\",10]", "+U [1,\"apple\",11]", "-D [2,\"pear\",20]"],
  ["-U [3,\"plum\",30]", "+U [3,\"plum\",33]", "+I [4,\"fig\",40]"],
  ["-D [1,\"apple\",11]", "+I [2,\"pear\",21]"],
];

let env: FlinkTestEnv;
let job: FlinkJob;

function progress(line: string): void {
  process.stderr.write(`[flink-reads] ${line}\n`);
}

beforeAll(async () => {
  env = await startFlinkTestEnv("flink-reads");
}, 20 * 60_000);

afterAll(async () => {
  await job?.stop();
  await env?.close();
});

describe("Streamhouse writes, Flink 2.0 reads the change log through Paimon's connector", () => {
  test("a Flink streaming read sees each committed change in order", { timeout: 10 * 60_000 }, async () => {
    const started = Date.now();
    const total = EXPECTED.flat().length;
    job = await startFlinkJob(
      [
        { sql: env.catalogDdl("sh") },
        { await: "the table and its first commits" },
        { select: "SELECT * FROM sh.shop.stock /*+ OPTIONS('scan.mode' = 'from-snapshot', 'scan.snapshot-id' = '1') */", limit: total },
      ],
      { log: progress },
    );
    await job.waitFor((l) => l.event === "waiting", 5 * 60_000, "Flink to open its catalog");
    await env.catalog.createDatabase("shop");
    const table = await env.catalog.createTable(identifier("shop", "stock"), {
      fields: "id BIGINT NOT NULL, name STRING, qty INT",
      primaryKeys: ["id"],
      options: { bucket: "1" },
    });
    const write = await TableWrite.open(table);
    const sink = new StreamingSink(new FileStoreCommit(table, "streamhouse-flink-test"), write);
    const commit = async (index: number) => {
      const changes = CHECKPOINTS[index];
      if (changes === undefined) throw new Error(`no checkpoint ${index}`);
      await write.writeChanges(changes);
      const snapshots = await sink.checkpoint(BigInt(index + 1));
      expect(snapshots.map((s) => s.commitKind)).toEqual(["APPEND"]);
    };
    try {
      await commit(0);
      await commit(1);
      job.send("go");
      const firstTwo = EXPECTED[0]!.length + EXPECTED[1]!.length;
      await job.waitFor(() => job.changes().length >= firstTwo, 5 * 60_000, "the changes of the first two snapshots");
      progress(`Flink saw the first two snapshots ${((Date.now() - started) / 1000).toFixed(1)} s after start`);
      // The query is running now: the next commits reach it as a live stream.
      await commit(2);
      await commit(3);
    } finally {
      await write.close();
    }
    await job.waitFor((l) => l.event === "done", 5 * 60_000, "every change");
    const seen = job.changes().map((c) => changeLabel(c.kind, c.row));
    progress(`Flink saw: ${JSON.stringify(seen)}`);
    expect(seen).toEqual(EXPECTED.flat());
  });
});
