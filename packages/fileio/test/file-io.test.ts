import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalFileIO, MemoryFileIO } from "@streamhouse/fileio";
import { fileIOContract } from "./file-io-contract.js";

fileIOContract("local disk", async () => ({ io: new LocalFileIO(), root: mkdtempSync(join(tmpdir(), "sh-fileio-")) }));
fileIOContract("memory", async () => ({ io: new MemoryFileIO(), root: "/mem" }));

// Processes, not promises: link(2) must arbitrate between separate OS processes.
const RACER = `
const { LocalFileIO } = await import(process.argv[1]);
const io = new LocalFileIO();
const target = process.argv[2];
const me = process.argv[3];
await new Promise((r) => setTimeout(r, Number(process.argv[4])));
const won = await io.writeIfAbsent(target, new TextEncoder().encode(me.repeat(100000)));
process.stdout.write(won ? "won" : "lost");
`;

describe("LocalFileIO across processes", () => {
  it("exactly one of 8 processes creates the file, and its content is whole", async () => {
    const dist = new URL("../dist/index.js", import.meta.url).href;
    const root = mkdtempSync(join(tmpdir(), "sh-race-"));
    for (let round = 0; round < 3; round++) {
      const target = join(root, `snapshot-${round}`);
      const outcomes = await Promise.all(
        Array.from(
          { length: 8 },
          (_, i) =>
            new Promise<string>((resolve, reject) => {
              const child = spawn(process.execPath, ["--input-type=module", "-e", RACER, dist, target, String(i % 10), String(i % 3)]);
              let out = "";
              child.stdout.on("data", (d) => {
                out += String(d);
              });
              child.on("error", reject);
              child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`racer exited ${code}`))));
            }),
        ),
      );
      expect(outcomes.filter((o) => o === "won")).toHaveLength(1);
      const content = readFileSync(target, "utf8");
      expect(content).toMatch(/^(\d)\1*$/);
      expect(content).toHaveLength(100000);
    }
    expect(readdirSync(root).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });
});
