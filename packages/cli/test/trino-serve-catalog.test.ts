// `trino serve` picks its catalog the way every `db.table` command does: flags, then
// STREAMHOUSE_METASTORE / STREAMHOUSE_WAREHOUSE, then the metastore `up` runs. So a table
// made by `create db.t` with the same settings is what Trino sees; a catalog that cannot
// be reached is one error at start.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "@streamhouse/cli";
import { ErrorKind, isStreamhouseError } from "@streamhouse/format";
import { type MetastoreHandle, startMetastore } from "@streamhouse/metastore";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../../connectors/trino/test/support/tables.js";
import { trinoCommand } from "../src/commands/trino.js";

const ENV_KEYS = ["STREAMHOUSE_METASTORE", "STREAMHOUSE_WAREHOUSE"] as const;
const quiet = { write: () => {} };

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Starts `trino serve` in process; resolves with its port once the ready line is out. */
async function serve(args: string[]): Promise<{ port: number; line: string; stop: () => Promise<void> }> {
  let out = "";
  let ready: (line: string) => void = () => {};
  const readyLine = new Promise<string>((resolve) => {
    ready = resolve;
  });
  const running = trinoCommand.run({
    args: ["serve", "--port", "0", ...args],
    out: {
      write: (s: string) => {
        out += s;
        if (out.includes("\n")) ready(out);
      },
    },
    err: quiet,
  });
  const line = await Promise.race([readyLine, running.then(() => "exited early")]);
  const port = Number(/ready on 127\.0\.0\.1:(\d+) /.exec(line)?.[1]);
  expect(port, line).toBeGreaterThan(0);
  return {
    port,
    line,
    stop: async () => {
      process.emit("SIGINT");
      await running;
    },
  };
}

describe("trino serve's catalog", () => {
  let server: MetastoreHandle;
  let root: string;
  let uri: string;
  const saved: Partial<Record<string, string>> = {};

  beforeAll(async () => {
    for (const k of ENV_KEYS) saved[k] = process.env[k];
    root = mkdtempSync(join(tmpdir(), "streamhouse-trino-serve-"));
    server = await startMetastore({ port: 0, warehouse: join(root, "wh"), store: "sqlite::memory:" });
    uri = `thrift://127.0.0.1:${server.port}`;
  });
  afterEach(() => {
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("serves the metastore named by STREAMHOUSE_METASTORE, like create db.t", async () => {
    for (const k of ENV_KEYS) delete process.env[k];
    process.env["STREAMHOUSE_METASTORE"] = uri;
    const created = await runCli(["create", "shop.items", "--schema", "id BIGINT NOT NULL"], quiet, quiet);
    expect(created).toBe(0);
    const s = await serve([]);
    try {
      expect(s.line).toContain(`(hive ${uri})`);
      const conn = await connect(s.port);
      try {
        expect(await conn.client.trinoListSchemaNames()).toEqual(["default", "shop"]);
      } finally {
        conn.close();
      }
    } finally {
      await s.stop();
    }
  });

  it("serves a filesystem warehouse from STREAMHOUSE_WAREHOUSE, the flags winning over the environment", async () => {
    for (const k of ENV_KEYS) delete process.env[k];
    const warehouse = join(root, "fs");
    process.env["STREAMHOUSE_WAREHOUSE"] = warehouse;
    expect(await runCli(["create", "fsdb.t", "--schema", "a INT"], quiet, quiet)).toBe(0);
    const fromEnv = await serve([]);
    await fromEnv.stop();
    expect(fromEnv.line).toContain(`(filesystem ${warehouse})`);
    const fromFlag = await serve(["--metastore", uri]);
    await fromFlag.stop();
    expect(fromFlag.line).toContain(`(hive ${uri})`);
  });

  it("fails at start when the default metastore is not there, naming it", async () => {
    for (const k of ENV_KEYS) delete process.env[k];
    process.env["STREAMHOUSE_METASTORE"] = `thrift://127.0.0.1:${await closedPort()}`;
    const error = await trinoCommand.run({ args: ["serve", "--port", "0"], out: quiet, err: quiet }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isStreamhouseError(error, ErrorKind.Io), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/^cannot list the databases of hive thrift:\/\/127\.0\.0\.1:\d+: .* \(start it with `streamhouse up`/);
    process.env["STREAMHOUSE_METASTORE"] = "http://nope";
    await expect(trinoCommand.run({ args: ["serve"], out: quiet, err: quiet })).rejects.toThrow('STREAMHOUSE_METASTORE must be a thrift://HOST:PORT URI, got "http://nope"');
  });
});
