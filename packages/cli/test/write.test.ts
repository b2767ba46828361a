// `streamhouse write` as a real process: NDJSON, CSV and Parquet in, `scan` out; bad rows
// commit nothing of their checkpoint; stdin, resume, time-based checkpoints and SIGINT.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { type DataField, DataTypes } from "@streamhouse/format";
import { FileStoreTable, TableRead } from "@streamhouse/table";
import { createTable } from "../../table/test/write-test-commit.js";

const CLI = new URL("../../table/test/support/streamhouse-cli.mjs", import.meta.url).pathname;
const io = new LocalFileIO();
const tmp = mkdtempSync(join(tmpdir(), "streamhouse-cli-write-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const dir = () => join(tmp, `t${n++}`);
const F = DataTypes.FIELD;

const run = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", ...(input === undefined ? {} : { input }) });

const PK_FIELDS: DataField[] = [F(0, "id", DataTypes.BIGINT(false)), F(1, "name", DataTypes.STRING()), F(2, "price", DataTypes.DECIMAL(10, 2)), F(3, "tags", DataTypes.ARRAY(DataTypes.INT()))];
const APPEND_FIELDS: DataField[] = [F(0, "id", DataTypes.INT()), F(1, "name", DataTypes.STRING()), F(2, "v", DataTypes.DOUBLE()), F(3, "day", DataTypes.DATE())];

async function pkTable(): Promise<string> {
  const path = dir();
  await createTable(io, path, PK_FIELDS, { primaryKeys: ["id"], options: { bucket: "2" } });
  return path;
}

async function appendTable(): Promise<string> {
  const path = dir();
  await createTable(io, path, APPEND_FIELDS, { options: { bucket: "-1" } });
  return path;
}

function scan(path: string): Record<string, unknown>[] {
  const r = run(["scan", path, "--format", "ndjson"]);
  expect(r.status, r.stderr).toBe(0);
  const rows = r.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** The ids in a table, read in this process (quicker than a scan process). */
async function ids(path: string): Promise<number[]> {
  const out: number[] = [];
  for await (const row of new TableRead(await FileStoreTable.open(io, path)).rows()) out.push(Number(row[0]));
  return out.sort((a, b) => a - b);
}

const sorted = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const ndjson = (rows: readonly object[]) => rows.map((r) => `${JSON.stringify(r)}\n`).join("");

function snapshotProperties(path: string): Record<string, string>[] {
  const ids = readdirSync(join(path, "snapshot"))
    .filter((f) => f.startsWith("snapshot-"))
    .map((f) => Number(f.slice(9)))
    .sort((a, b) => a - b);
  return ids.map((id) => (JSON.parse(readFileSync(join(path, "snapshot", `snapshot-${id}`), "utf8")) as { properties?: Record<string, string> }).properties ?? {});
}

describe("streamhouse write", () => {
  it("writes NDJSON upserts and deletes at checkpoints, each recording its input offset", async () => {
    const path = await pkTable();
    const input = [
      { id: 1, name: "a", price: "1.50", tags: [1, 2] },
      { id: 2, name: "b", price: "2.00", tags: [] },
      { id: 3, name: null, price: null, tags: null },
      { _row_kind: "+U", id: 1, name: "a2", price: "1.75", tags: [3] },
      { _row_kind: "-D", id: 2 },
      { id: "9007199254740993", name: "big" },
      { id: 4, name: "ü ✓ \"q\"" },
    ];
    const file = join(tmp, "in.ndjson");
    writeFileSync(file, `${ndjson(input.slice(0, 3))}\n   \n${ndjson(input.slice(3))}`);
    const r = run(["write", path, "--from", file, "--checkpoint-interval", "3"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote 7 rows in 3 checkpoints \(snapshots 1–3\) in [\d.]+ s, [\d,]+ rows\/s; commit user streamhouse-write-[0-9a-f]{16}; input records 0–7\n$/);
    expect(r.stderr).toMatch(/checkpoint 1 committed: input records 3, snapshot 1/);
    expect(snapshotProperties(path).map((p) => p["streamhouse.write.input-records"])).toEqual(["3", "6", "7"]);
    expect(scan(path)).toEqual(
      sorted([
        { id: 1, name: "a2", price: "1.75", tags: [3] },
        { id: 3, name: null, price: null, tags: null },
        { id: "9007199254740993", name: "big", price: null, tags: null },
        { id: 4, name: 'ü ✓ "q"', price: null, tags: null },
      ]),
    );
  });

  it("writes CSV with a header, quoted cells, nulls and JSON-text nested values", async () => {
    const path = await appendTable();
    const file = join(tmp, "in.csv");
    writeFileSync(file, 'name,id,v,day\r\n"a, ""quoted""",1,1.5,2024-02-29\r\n"multi\nline",2,,\n"",3,-0.25,1970-01-01\n,4,NaN,');
    const r = run(["write", path, "--from", file]);
    expect(r.status, r.stderr).toBe(0);
    expect(scan(path)).toEqual(
      sorted([
        { id: 1, name: 'a, "quoted"', v: 1.5, day: "2024-02-29" },
        { id: 2, name: "multi\nline", v: null, day: null },
        { id: 3, name: "", v: -0.25, day: "1970-01-01" },
        { id: 4, name: null, v: "NaN", day: null },
      ]),
    );
    // The same rows again, from our own scan output as CSV.
    const again = dir();
    await createTable(io, again, APPEND_FIELDS, { options: { bucket: "-1" } });
    const csv = run(["scan", path, "--format", "csv"]).stdout;
    writeFileSync(join(tmp, "scan.csv"), csv);
    expect(run(["write", again, "--from", join(tmp, "scan.csv")]).status).toBe(0);
    // A bare empty cell is null, so the empty name comes back null (scan writes "" bare).
    expect(scan(again)).toEqual(scan(path).map((row) => (row["name"] === "" ? { ...row, name: null } : row)));
  });

  it("writes a Parquet file's rows (columns by name)", async () => {
    const source = await appendTable();
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: i, name: `n${i}`, v: i / 4, day: "2020-01-01" }));
    expect(run(["write", source, "--format", "ndjson"], ndjson(rows)).status).toBe(0);
    const files = readdirSync(join(source, "bucket-0")).filter((f) => f.endsWith(".parquet"));
    expect(files).toHaveLength(1);
    const target = await appendTable();
    const r = run(["write", target, "--from", join(source, "bucket-0", files[0]!), "--checkpoint-interval", "20"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote 50 rows in 3 checkpoints/);
    expect(scan(target)).toEqual(scan(source));
    // --resume skips the records already committed from that file.
    const again = run(["write", target, "--from", join(source, "bucket-0", files[0]!), "--resume"]);
    expect(again.stdout).toMatch(/wrote 0 rows in 0 checkpoints/);
  });

  it("stops at a bad row with one line naming its line and column; nothing of its checkpoint is committed", async () => {
    const good = Array.from({ length: 8 }, (_, i) => ({ id: i, name: `n${i}` }));
    const cases: [string, string, RegExp][] = [
      ["bad type", JSON.stringify({ id: 99, name: 5 }), /line 7: column "name" must be a string, got 5/],
      ["null key", JSON.stringify({ name: "no id" }), /line 7: column "id" is null but the type is NOT NULL/],
      ["unknown column", JSON.stringify({ id: 9, nope: 1 }), /line 7: column "nope" is not a column of the table/],
      ["bad JSON", "{id: 1}", /line 7: not valid JSON/],
      ["bad kind", JSON.stringify({ _row_kind: "+X", id: 1 }), /line 7: column "_row_kind" must be one of \+I -U \+U -D, got "\+X"/],
      ["nested", JSON.stringify({ id: 9, tags: [1, "x"] }), /line 7: column "tags\[1\]" must be an integer, got "x"/],
      ["decimal", JSON.stringify({ id: 9, price: "1.234.5" }), /line 7: .*price/],
    ];
    for (const [label, bad, message] of cases) {
      const t = await pkTable();
      const text = `${ndjson(good.slice(0, 6))}${bad}\n${ndjson(good.slice(6))}`;
      const r = run(["write", t, "--checkpoint-interval", "4"], text);
      expect(r.status, label).toBe(1);
      const errors = r.stderr.split("\n").filter((l) => l !== "" && !l.includes(" committed: "));
      expect(errors, label).toHaveLength(1);
      expect(errors[0], label).toMatch(message);
      expect(errors[0], label).toMatch(/^streamhouse write: SchemaMismatch: line 7: .*\(nothing after input record 4 was committed\)$/);
      // Checkpoint 1 (rows 0-3) is in; rows 4 and 5, before the bad line, are not.
      expect(await ids(t), label).toEqual([0, 1, 2, 3]);
    }
    // CSV: the line of a record is where it starts; the header is line 1.
    const csvTable = await appendTable();
    const csv = run(["write", csvTable, "--format", "csv"], 'id,name\n1,"two\nlines"\n2,x\nthree,y\n');
    expect(csv.status).toBe(1);
    expect(csv.stderr.trim()).toMatch(/^streamhouse write: SchemaMismatch: line 5: column "id" must be an integer, got "three"/);
    expect(await ids(csvTable)).toEqual([]);
    // An append table takes only +I rows.
    const append = await appendTable();
    const del = run(["write", append], ndjson([{ id: 1 }, { _row_kind: "-D", id: 1 }]));
    expect(del.stderr.trim()).toMatch(/line 2: an append table takes only \+I rows/);
  });

  it("reads stdin; --resume with the same commit user continues after the committed records", async () => {
    const path = await pkTable();
    const rows = Array.from({ length: 30 }, (_, i) => ({ id: i % 20, name: `v${i}` }));
    const first = run(["write", path, "--commit-user", "loader", "--checkpoint-interval", "7"], ndjson(rows.slice(0, 16)));
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/wrote 16 rows in 3 checkpoints .*input records 0–16/);
    // The whole input again, resumed: only records 16.. are new.
    const second = run(["write", path, "--commit-user", "loader", "--checkpoint-interval", "7", "--resume"], ndjson(rows));
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/wrote 14 rows in 2 checkpoints .*input records 16–30/);
    const model = new Map<number, string>();
    for (const r of rows) model.set(r.id, r.name);
    expect(scan(path)).toEqual(sorted([...model].map(([id, name]) => ({ id, name, price: null, tags: null }))));
    // Identifiers continue after the user's last one.
    const ids = readdirSync(join(path, "snapshot")).filter((f) => f.startsWith("snapshot-"));
    const identifiers = ids.map((f) => (JSON.parse(readFileSync(join(path, "snapshot", f), "utf8")) as { commitIdentifier: number }).commitIdentifier).sort((a, b) => a - b);
    expect(identifiers).toEqual([1, 2, 3, 4, 5]);
    // Without --resume the input is written again, with a note.
    const third = run(["write", path, "--commit-user", "loader"], ndjson(rows.slice(0, 2)));
    expect(third.stderr).toMatch(/already committed 30 records of its input/);
    expect(run(["write", path, "--resume"], "").status).toBe(2);
  });

  it("checkpoints on time while the input is idle, and stops cleanly on SIGINT", async () => {
    const path = await pkTable();
    // 2 s between time-based checkpoints: long enough that the signal below comes before the
    // next one is due even on a busy machine (at 300 ms it sometimes did not).
    const child = spawn(process.execPath, [CLI, "write", path, "--commit-user", "w", "--checkpoint-interval", "2s"], { stdio: "pipe" });
    const lines = collectStderr(child);
    child.stdin.write(ndjson([{ id: 1 }, { id: 2 }]));
    await waitFor(() => lines.some((l) => /checkpoint 1 committed: input records 2/.test(l)), 20_000);
    // Rows after the checkpoint, then a signal before the next one is due.
    child.stdin.write(ndjson([{ id: 3 }]));
    await sleep(50);
    child.kill("SIGINT");
    const code = await exitCode(child);
    expect(code).toBe(1);
    const last = lines.filter((l) => l !== "").at(-1)!;
    expect(last).toMatch(/^streamhouse write: interrupted by SIGINT: stopped reading after input record \d; the table holds 2 records of this input .*--resume --commit-user w$/);
    expect(scan(path).map((r) => r["id"])).toEqual([1, 2]);
    expect(snapshotProperties(path)).toEqual([{ "streamhouse.write.input-records": "2" }]);
  });

  it("refuses bad flags with a usage error", async () => {
    const path = await pkTable();
    expect(run(["write", path, "--checkpoint-interval", "soon"]).status).toBe(2);
    expect(run(["write", path, "--checkpoint-interval", "0"]).status).toBe(2);
    expect(run(["write", path, "--format", "xml"]).status).toBe(2);
    expect(run(["write", path, "--progress", "loud"]).status).toBe(2);
    expect(run(["write", path, "--from", join(tmp, "missing.ndjson")]).status).toBe(1);
  });
});

function collectStderr(child: ChildProcessWithoutNullStreams): string[] {
  const lines: string[] = [""];
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d: string) => {
    const parts = d.split("\n");
    lines[lines.length - 1] = `${lines[lines.length - 1] ?? ""}${parts[0] ?? ""}`;
    lines.push(...parts.slice(1));
  });
  return lines;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(test: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(20);
  }
}

function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}
