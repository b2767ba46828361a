import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { vectorPath } from "../../format/test/vectors.js";

const MAIN = new URL("../dist/main.js", import.meta.url).pathname;
const MOR = vectorPath("tables", "pk_table_scan_and_read_mor.db", "pk_table_scan_and_read_mor");
const run = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8" });

describe("streamhouse scan", () => {
  it("prints merged rows with filters, projection and time travel", () => {
    const r = run("scan", MOR, "--where", "f1 = 10 AND f3 > 20", "--columns", "f0,f3", "--format", "ndjson");
    expect(r.status).toBe(0);
    const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { f0: string; f3: number });
    expect(rows.map((x) => x.f0).sort()).toEqual(["Marco", "Marco2", "Skye", "Skye2"]);
    const old = run("scan", MOR, "--snapshot", "1", "--format", "csv", "--columns", "f0");
    expect(old.stdout.split("\n")[0]).toBe("f0");
    expect(old.stdout).toContain("\nTony\n");
    const table = run("scan", MOR, "--limit", "3");
    expect(table.stdout).toMatch(/\(3 rows\)\n$/);
  });

  it("fails with one line on a bad filter, format or snapshot", () => {
    const bad = run("scan", MOR, "--where", "nope = 1");
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/unknown column "nope"/);
    expect(run("scan", MOR, "--format", "xml").status).toBe(2);
    expect(run("scan", MOR, "--snapshot", "99").stderr).toMatch(/snapshot 99 does not exist/);
    expect(run("scan", MOR, "--snapshot", "1", "--tag", "t").stderr).toMatch(/at most one of snapshot id, tag and timestamp/);
  });
});

describe("streamhouse tail", () => {
  it("prints the change log with row kinds", () => {
    const r = run("tail", MOR, "--from", "snapshot:5", "--stop-at-latest");
    expect(r.status).toBe(0);
    const kinds = r.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { _row_kind: string; f0: string })._row_kind);
    expect(kinds.sort()).toEqual(["+I", "+I", "-D"]);
    expect(run("tail", MOR, "--from", "yesterday").status).toBe(2);
  });
});
