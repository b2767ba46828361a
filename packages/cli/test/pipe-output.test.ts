// Output through a pipe whose reader is slower than the CLI: every row arrives before the
// process exits (it flushes stdout first), and a reader that stops early (`| head`) ends
// the CLI quietly with exit code 0.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const MAIN = new URL("../dist/main.js", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "streamhouse-pipe-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const ROWS = 50_000;

describe("CLI output through a pipe", () => {
  it("delivers every row to a slow reader, and stops quietly when the reader goes away", async () => {
    const table = join(tmp, "t");
    expect(spawnSync(process.execPath, [MAIN, "create", table, "--schema", "id INT NOT NULL, s STRING", "--bucket=-1"]).status).toBe(0);
    const input = join(tmp, "in.ndjson");
    writeFileSync(input, Array.from({ length: ROWS }, (_, i) => `{"id":${i},"s":"row-${i}-${"x".repeat(40)}"}\n`).join(""));
    const wrote = spawnSync(process.execPath, [MAIN, "write", table, "--from", input, "--progress", "none"], { encoding: "utf8" });
    expect(wrote.status, wrote.stderr).toBe(0);

    // Read nothing for a while, so that the pipe fills and the CLI's writes queue up.
    const child = spawn(process.execPath, [MAIN, "scan", table, "--format", "ndjson"], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pause();
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    await new Promise((r) => setTimeout(r, 1500));
    let newlines = 0;
    child.stdout.on("data", (d: Buffer) => {
      for (const b of d) if (b === 10) newlines++;
    });
    child.stdout.resume();
    const closed = new Promise<void>((r) => child.stdout.once("close", () => r()));
    expect(await exited).toBe(0);
    await closed;
    expect(newlines).toBe(ROWS);

    const head = spawnSync("sh", ["-c", `"${process.execPath}" "${MAIN}" scan "${table}" --format ndjson | head -n 3`], { encoding: "utf8" });
    expect(head.stdout.split("\n").filter((l) => l.startsWith("{"))).toHaveLength(3);
    expect(head.stderr).not.toMatch(/EPIPE|\n\s+at /);
  });
});
