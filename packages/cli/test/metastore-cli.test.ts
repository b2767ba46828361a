import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const MAIN = new URL("../dist/main.js", import.meta.url).pathname;

describe("streamhouse metastore start", () => {
  it("prints one ready line, serves, and shuts down cleanly on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sh-ms-cli-"));
    const child = spawn(process.execPath, [MAIN, "metastore", "start", "--port", "0"], { cwd: dir });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += String(d);
    });
    child.stderr.on("data", (d) => {
      err += String(d);
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!out.includes("\n") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const m = /^metastore ready on thrift:\/\/127\.0\.0\.1:(\d+) \(warehouse (.+)\)\n$/.exec(out);
    expect(m, `stdout: ${out}\nstderr: ${err}`).not.toBeNull();
    const port = Number(m![1]);
    await new Promise<void>((resolve, reject) => {
      const s = connect(port, "127.0.0.1", () => {
        s.end();
        resolve();
      });
      s.on("error", reject);
    });
    expect(existsSync(join(dir, "streamhouse-data", "metastore.sqlite"))).toBe(true);
    expect(existsSync(join(dir, "streamhouse-data", "warehouse"))).toBe(true);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const logs = err
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { level: string; message: string });
    expect(logs.map((l) => l.message)).toEqual(expect.arrayContaining(["metastore started", "metastore stopping", "metastore stopped"]));
  });

  it("rejects a bad subcommand and a bad store with one line", async () => {
    const { spawnSync } = await import("node:child_process");
    const bad = spawnSync(process.execPath, [MAIN, "metastore", "stop"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown subcommand "stop"/);
    const store = spawnSync(process.execPath, [MAIN, "metastore", "start", "--port", "0", "--store", "mysql://x"], { encoding: "utf8", cwd: tmpdir() });
    expect(store.status).toBe(1);
    expect(store.stderr.trim().split("\n")).toHaveLength(1);
    expect(store.stderr).toMatch(/unsupported metastore store 'mysql'/);
  });
});
