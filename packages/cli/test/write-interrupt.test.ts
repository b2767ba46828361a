// Ctrl-C during `write` from a file: the table stays at its last complete checkpoint and
// is readable; `--resume` with the same input then writes the rest, so an append table
// (where a duplicate would show) ends with every input row exactly once.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalFileIO } from "@streamhouse/fileio";
import { FileStoreTable, TableRead } from "@streamhouse/table";

const MAIN = new URL("../dist/main.js", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "streamhouse-write-interrupt-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function start(args: string[], onStderr?: (text: string, kill: (s: NodeJS.Signals) => void) => void): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      onStderr?.(stderr, (s) => child.kill(s));
    });
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

async function ids(path: string): Promise<number[]> {
  const out: number[] = [];
  for await (const row of new TableRead(await FileStoreTable.open(new LocalFileIO(), path)).rows()) out.push(Number(row[0]));
  return out.sort((a, b) => a - b);
}

describe("streamhouse write, interrupted and resumed", () => {
  it("keeps the last complete checkpoint on SIGINT and resumes without duplicates", async () => {
    const table = join(tmp, "events");
    const created = await start(["create", table, "--schema", "id INT NOT NULL, payload STRING", "--bucket=-1"]);
    expect(created.code, created.stderr).toBe(0);
    const rows = 60_000;
    const input = join(tmp, "events.csv");
    const lines = ["id,payload"];
    for (let i = 1; i <= rows; i++) lines.push(`${i},payload-${i % 1000}`);
    writeFileSync(input, `${lines.join("\n")}\n`);

    // Interrupt once the first checkpoint is committed, with more rows under way.
    let signalled = false;
    const first = await start(["write", table, "--from", input, "--checkpoint-interval", "5000", "--progress", "plain"], (text, kill) => {
      if (!signalled && /checkpoint 1 committed/.test(text)) {
        signalled = true;
        kill("SIGINT");
      }
    });
    expect(signalled, first.stderr).toBe(true);
    expect(first.code).toBe(1);
    const message = first.stderr.trim().split("\n").at(-1)!;
    const held = Number(/the table holds (\d+) records of this input/.exec(message)?.[1]);
    expect(message).toMatch(/^streamhouse write: interrupted by SIGINT: .* continue with --resume --commit-user streamhouse-write-[0-9a-f]{16}$/);
    expect(held % 5000).toBe(0);
    expect(held).toBeGreaterThanOrEqual(5000);
    expect(held).toBeLessThan(rows);
    // Readable, and exactly the committed checkpoints: the first `held` rows.
    const afterStop = await ids(table);
    expect(afterStop).toHaveLength(held);
    expect(afterStop[0]).toBe(1);
    expect(afterStop.at(-1)).toBe(held);

    const resumed = await start(["write", table, "--from", input, "--checkpoint-interval", "5000", "--resume", "--progress", "none"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`wrote ${(rows - held).toLocaleString("en-US")} rows .* input records ${held.toLocaleString("en-US")}–60,000\\n$`));
    const all = await ids(table);
    expect(all).toHaveLength(rows);
    expect(new Set(all).size).toBe(rows);
  });
});
