// Every command that commits to a `db.table` holds the metastore's table lock while it
// publishes: with the lock held elsewhere, write, compact, tag create/delete/expire,
// alter, rollback and expire each wait until it is released. Our metastore runs
// in-process; the table lives in a local warehouse, so the lock is asked for with
// STREAMHOUSE_LOCK_ENABLED=true (without it a local table takes none, as in Paimon).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HiveCatalog } from "@streamhouse/catalog";
import { type MetastoreHandle, startMetastore } from "@streamhouse/metastore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "./support/run-cli.js";

interface Result {
  code: number;
  out: string;
  err: string;
}

const HOLD_MS = 600;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("commit lock of db.table commands", () => {
  let server: MetastoreHandle;
  let root: string;
  let uri: string;
  let holder: HiveCatalog;
  const saved = process.env["STREAMHOUSE_LOCK_ENABLED"];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "streamhouse-cli-lock-"));
    server = await startMetastore({ port: 0, warehouse: join(root, "wh"), store: "sqlite::memory:" });
    uri = `thrift://127.0.0.1:${server.port}`;
    holder = new HiveCatalog({ uri, lockEnabled: true });
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env["STREAMHOUSE_LOCK_ENABLED"];
    else process.env["STREAMHOUSE_LOCK_ENABLED"] = saved;
    await holder?.close();
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** Runs the command while another client holds the table lock for HOLD_MS; returns when it finished relative to the release. */
  async function underHeldLock(args: string[]): Promise<{ result: Result; finishedBeforeRelease: boolean }> {
    const lock = await holder.commitLock({ database: "db", table: "t" });
    expect(lock).not.toBeNull();
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let acquired!: () => void;
    const isHeld = new Promise<void>((r) => {
      acquired = r;
    });
    const holding = lock!.runExclusive(async () => {
      acquired();
      await released;
    });
    await isHeld;
    let finished = false;
    const running = cli(...args, "--metastore", uri).then((r) => {
      finished = true;
      return r;
    });
    await sleep(HOLD_MS);
    const finishedBeforeRelease = finished;
    release();
    await holding;
    return { result: await running, finishedBeforeRelease };
  }

  it("waits for the lock in every committing command", async () => {
    process.env["STREAMHOUSE_LOCK_ENABLED"] = "true";
    const created = await cli("create", "db.t", "--schema", "id BIGINT NOT NULL, v STRING", "--primary-key", "id", "--bucket", "1", "--metastore", uri);
    expect(created.err).toBe("");
    const rows = join(root, "rows.ndjson");
    writeFileSync(rows, '{"id": 1, "v": "a"}\n{"id": 2, "v": "b"}\n');
    expect((await cli("write", "db.t", "--from", rows, "--progress", "none", "--metastore", uri)).code).toBe(0);

    const steps: string[][] = [
      ["write", "db.t", "--from", rows, "--progress", "none"],
      ["compact", "db.t", "--full"],
      ["tag", "db.t", "create", "first"],
      ["alter", "db.t", "set", "snapshot.num-retained.min=1"],
      ["tag", "db.t", "delete", "first"],
      ["tag", "db.t", "expire"],
      ["rollback", "db.t", "--to-snapshot", "2"],
      ["expire", "db.t", "--retain-max", "1"],
    ];
    for (const step of steps) {
      const { result, finishedBeforeRelease } = await underHeldLock(step);
      expect(result.err, step.join(" ")).toBe("");
      expect(result.code, step.join(" ")).toBe(0);
      expect(finishedBeforeRelease, `${step.join(" ")} ran while another client held the lock`).toBe(false);
    }
    const snapshots = await cli("snapshots", "db.t", "--json", "--metastore", uri);
    expect((JSON.parse(snapshots.out) as { id: number }[]).map((s) => s.id)).toEqual([2]);
  });

  it("takes no lock for a local table unless asked to, as Paimon's lock.enabled defaults", async () => {
    process.env["STREAMHOUSE_LOCK_ENABLED"] = "false";
    const { result, finishedBeforeRelease } = await underHeldLock(["tag", "db.t", "create", "second"]);
    expect(result.code).toBe(0);
    expect(finishedBeforeRelease).toBe(true);
    process.env["STREAMHOUSE_LOCK_ENABLED"] = "maybe";
    const bad = await cli("tag", "db.t", "list", "--metastore", uri);
    expect(bad).toEqual({ code: 2, out: "", err: 'streamhouse: STREAMHOUSE_LOCK_ENABLED must be true or false, got "maybe" (see streamhouse tag --help)\n' });
  });
});
