// `streamhouse query` without a Trino: how it is called, what it says when the server is
// unreachable, and how rows print. Queries on a real Trino run in
// integration/quickstart/quickstart.test.ts.
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { printResult } from "../src/commands/query.js";

const MAIN = new URL("../dist/main.js", import.meta.url).pathname;
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [MAIN, "query", ...args], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", ...env } });

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe("streamhouse query", () => {
  it("needs SQL and a Trino: usage errors, exit 2", () => {
    const none = run(["SELECT 1"]);
    expect(none.status).toBe(2);
    expect(none.stderr).toBe("streamhouse: no Trino configured: pass --server http://HOST:8080 or set STREAMHOUSE_TRINO (see streamhouse query --help)\n");
    expect(run([], { STREAMHOUSE_TRINO: "http://127.0.0.1:1" }).status).toBe(2);
    expect(run(["SELECT 1", "--server", "trino:8080"]).status).toBe(2);
    expect(run(["SELECT 1", "--server", "http://127.0.0.1:1", "--format", "xml"]).status).toBe(2);
    expect(run(["SELECT", "1", "--server", "http://127.0.0.1:1"]).status).toBe(2);
    expect(run(["--help"]).stdout).toMatch(/^usage: streamhouse query "SQL"/);
  });

  it("says in one line that the server cannot be reached, exit 1, no stack trace", async () => {
    const port = await closedPort();
    for (const r of [run(["SELECT 1", "--server", `http://127.0.0.1:${port}`]), run(["SELECT 1"], { STREAMHOUSE_TRINO: `http://127.0.0.1:${port}` })]) {
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`streamhouse query: Io: cannot query Trino at http://127.0.0.1:${port}: ECONNREFUSED\n`);
    }
    const verbose = run(["SELECT 1", "--server", `http://127.0.0.1:${port}`, "--verbose"]);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  it("prints rows as an aligned table, NDJSON or CSV", () => {
    const result = { columns: ["id", "name", "tags"], rows: [[1, "ada", ["x"]], [22, null, []]] };
    let text = "";
    const out = {
      write: (t: string) => {
        text += t;
      },
    };
    printResult(out, result, "table");
    expect(text).toBe(["id | name | tags", "---+------+------", '1  | ada  | ["x"]', "22 | NULL | []", "(2 rows)", ""].join("\n"));
    text = "";
    printResult(out, result, "ndjson");
    expect(text).toBe('{"id":1,"name":"ada","tags":["x"]}\n{"id":22,"name":null,"tags":[]}\n');
    text = "";
    printResult(out, result, "csv");
    expect(text).toBe('id,name,tags\n1,ada,"[""x""]"\n22,,[]\n');
  });
});
