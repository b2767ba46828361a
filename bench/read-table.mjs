// The read benchmark's table: a primary-key table written by Java Paimon through the
// peer's "generate" op (rows made up in Java from a seed), one commit per sorted run,
// never compacted. Cached under ~/.cache/streamhouse/bench/ (or $STREAMHOUSE_CACHE/bench)
// in a directory named by a hash of the parameters, built under a temporary name and
// renamed into place, so reruns reuse it and an interrupted build is never picked up.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { startPeer } from "./paimon-peer.mjs";

const MARKER = "generated.json";

export const READ_TABLE_SCHEMA = {
  fields: [
    { name: "id", type: "BIGINT NOT NULL" },
    { name: "name", type: "STRING" },
    { name: "price", type: "DOUBLE" },
    { name: "qty", type: "INT" },
  ],
  primaryKeys: ["id"],
};

/**
 * Returns { table, generatedSeconds, cached } for `params` = { rows, runs, buckets, keySpace, seed }:
 * `runs` commits of rows / runs distinct keys each, drawn from [0, keySpace).
 */
export async function ensureReadTable(params) {
  const key = createHash("sha256").update(JSON.stringify({ v: 1, schema: READ_TABLE_SCHEMA, ...params })).digest("hex").slice(0, 12);
  const root = join(process.env.STREAMHOUSE_CACHE ?? join(homedir(), ".cache", "streamhouse"), "bench");
  const dir = join(root, `read-${key}`);
  const table = join(dir, "db.db", "t");
  if (existsSync(join(dir, MARKER))) {
    const done = JSON.parse(readFileSync(join(dir, MARKER), "utf8"));
    return { table, generatedSeconds: done.seconds, cached: true };
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const started = Date.now();
  const peer = await startPeer(["-Xmx4g", "-XX:+UseParallelGC"]);
  try {
    const perRun = Math.floor(params.rows / params.runs);
    const options = {
      bucket: String(params.buckets),
      // Keep every commit a sorted run of its own: no compaction at all.
      "write-only": "true",
      "num-sorted-run.compaction-trigger": "1000",
      "num-sorted-run.stop-trigger": "2000",
      // One flush per bucket per commit (a full buffer would flush extra level-0 files).
      "write-buffer-size": "2 gb",
    };
    const ops = [{ op: "create", schema: { ...READ_TABLE_SCHEMA, options } }];
    for (let r = 0; r < params.runs; r++) ops.push({ op: "generate", rows: perRun, keySpace: params.keySpace, seed: params.seed + r });
    const log = await peer.run({ warehouse: tmp, database: "db", table: "t", ops });
    for (const l of log) process.stderr.write(`read bench table: ${l}\n`);
  } finally {
    await peer.close();
  }
  const seconds = (Date.now() - started) / 1000;
  writeFileSync(join(tmp, MARKER), JSON.stringify({ params, seconds }));
  renameSync(tmp, dir);
  return { table, generatedSeconds: seconds, cached: false };
}
