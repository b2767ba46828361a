/**
 * `streamhouse trino serve --warehouse DIR`: serves the warehouse's tables, prints one
 * ready line, stops on SIGINT. Run in process (the command object), so the signal is
 * emitted to this process's listeners only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trinoCommand } from "../../../packages/cli/src/commands/trino.js";
import { commitRows, connect, tempWarehouse, type Warehouse } from "./support/tables.js";

let wh: Warehouse;

beforeAll(async () => {
  wh = await tempWarehouse();
  const t = await wh.create("sales", "items", { fields: "id BIGINT NOT NULL, name STRING", options: { bucket: "-1" } });
  await commitRows(t, [{ id: 1, name: "pen" }]);
});

afterAll(async () => {
  await wh?.dispose();
});

describe("streamhouse trino serve", () => {
  it("serves a warehouse until SIGINT", async () => {
    let out = "";
    let err = "";
    let ready: (line: string) => void = () => {};
    const readyLine = new Promise<string>((resolve) => {
      ready = resolve;
    });
    const running = trinoCommand.run({
      args: ["serve", "--port", "0", "--warehouse", wh.catalog.warehouse],
      out: {
        write: (s: string) => {
          out += s;
          if (out.includes("\n")) ready(out);
        },
      },
      err: {
        write: (s: string) => {
          err += s;
        },
      },
    });
    const line = await Promise.race([readyLine, running.then(() => `exited early: ${err}`)]);
    const m = /ready on 127\.0\.0\.1:(\d+) \(filesystem .*\)/.exec(line);
    expect(m, line).not.toBeNull();
    const conn = await connect(Number(m![1]));
    try {
      expect(await conn.client.trinoListSchemaNames()).toEqual(["sales"]);
    } finally {
      conn.close();
    }
    process.emit("SIGINT");
    await running;
    expect(err).toMatch(/trino connector service stopping/);
  });

  it("rejects a metastore that is not a thrift URI and unknown subcommands", async () => {
    const quiet = { write: () => {} };
    await expect(trinoCommand.run({ args: ["serve", "--metastore", "http://x"], out: quiet, err: quiet })).rejects.toThrow(/thrift:\/\//);
    await expect(trinoCommand.run({ args: ["start"], out: quiet, err: quiet })).rejects.toThrow(/unknown subcommand/);
  });
});
