import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { vectorPath } from "../../format/test/vectors.js";
import { cli } from "./support/run-cli.js";

const MOR = vectorPath("tables", "pk_table_scan_and_read_mor.db", "pk_table_scan_and_read_mor");
const NESTED = vectorPath("tables", "pk_table_nested_type.db", "pk_table_nested_type");

describe("streamhouse inspect", () => {
  it("prints schema, snapshot and live files for people", async () => {
    const r = await cli("inspect", MOR);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toContain("primary key (f0, f1, f2), merge-engine deduplicate; partitioned by (f1); 2 buckets on (f2)");
    expect(r.out).toContain("snapshots  5 (earliest 1, latest 5)");
    expect(r.out).toMatch(/6 live data files in 2 partitions, buckets \[0, 1\]/);
    expect(r.out).toMatch(/f1=20\s+\| 0\s+\| 5\s+\| 2\s+\| 0\.\.1\s+\| Lucy, 1/);
  });

  it("prints JSON with --json and honors --snapshot", async () => {
    const r = await cli("inspect", MOR, "--snapshot", "1", "--json");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { snapshot: { id: number; commitKind: string }; files: { level: number }[] };
    expect(report.snapshot.id).toBe(1);
    expect(report.snapshot.commitKind).toBe("APPEND");
    expect(report.files.every((f) => f.level === 0)).toBe(true);
  });

  it("decodes multi-field partitions of a table with ORC manifests", async () => {
    const r = await cli("inspect", NESTED, "--json");
    const report = JSON.parse(r.out) as { partitions: unknown[]; files: { partition: unknown; minKey: unknown }[] };
    expect(report.partitions).toEqual([{ dt: "2025-04-14", hr: "10" }]);
    expect(report.files[0]?.minKey).toEqual({ shopId: expect.any(Number) });
  });

  it("fails with one clear line and a non-zero exit code", async () => {
    const missing = await cli("inspect", "/nonexistent/table");
    expect(missing.code).toBe(1);
    expect(missing.err.trim().split("\n")).toHaveLength(1);
    expect(missing.err).toMatch(/NotFound: no table at \/nonexistent\/table/);

    const badSnap = await cli("inspect", MOR, "--snapshot", "42");
    expect(badSnap.code).toBe(1);
    expect(badSnap.err).toMatch(/snapshot 42 does not exist/);

    const usage = await cli("inspect", MOR, "--snapshot", "x");
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/--snapshot must be a non-negative integer/);

    const unknown = await cli("inspect", MOR, "--frobnicate");
    expect(unknown.code).toBe(2);

    expect((await cli("nosuch")).code).toBe(2);
  });

  it("prints help for the tool and for each command", async () => {
    const top = await cli("--help");
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/inspect\s+show a table's schema/);
    const sub = await cli("inspect", "--help");
    expect(sub.out).toMatch(/^usage: streamhouse inspect <table-dir\|db\.table>/);
  });

  it("runs as a real process: stack traces only with --verbose", () => {
    const main = new URL("../dist/main.js", import.meta.url).pathname;
    const plain = spawnSync(process.execPath, [main, "inspect", "/nonexistent"], { encoding: "utf8" });
    expect(plain.status).toBe(1);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const verbose = spawnSync(process.execPath, [main, "inspect", "/nonexistent", "--verbose"], { encoding: "utf8" });
    expect(verbose.status).toBe(1);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });
});
