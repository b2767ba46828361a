// The onCall hook: one report per call, with the wire method name, a duration,
// and whether the reply was a result, over buffered and framed transports.
import { afterEach, describe, expect, test } from "vitest";
import { database, type Harness, startHarness, T, table } from "./support/harness.js";

interface Call {
  readonly method: string;
  readonly durationMs: number;
  readonly ok: boolean;
}

describe("startMetastore onCall", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  for (const framed of [false, true]) {
    test(`reports results and exceptions (${framed ? "framed" : "buffered"})`, async () => {
      const calls: Call[] = [];
      h = await startHarness({ framed, onCall: (method, durationMs, ok) => calls.push({ method, durationMs, ok }) });
      const c = h.client();
      await c.create_database(database("oncall"));
      await c.create_table(table("oncall", "t"));
      await c.get_table("oncall", "t");
      await c.get_table_req(new T.GetTableRequest({ dbName: "oncall", tblName: "t" }));
      await expect(c.get_table("oncall", "missing")).rejects.toBeInstanceOf(T.NoSuchObjectException);
      await expect(c.get_table_req(new T.GetTableRequest({ dbName: "oncall", tblName: "missing" }))).rejects.toBeInstanceOf(T.NoSuchObjectException);
      await c.get_all_databases();
      expect(calls.map((x) => [x.method, x.ok])).toEqual([
        ["create_database", true],
        ["create_table", true],
        ["get_table", true],
        ["get_table_req", true],
        ["get_table", false],
        ["get_table_req", false],
        ["get_all_databases", true],
      ]);
      for (const x of calls) {
        expect(x.durationMs).toBeGreaterThanOrEqual(0);
        expect(x.durationMs).toBeLessThan(10_000);
      }
    });
  }

  test("a throwing hook is logged and the call still answered", async () => {
    const logged: string[] = [];
    const { startMetastore } = await import("@streamhouse/metastore");
    const server = await startMetastore({
      port: 0,
      warehouse: "/tmp/streamhouse-test-warehouse",
      store: "sqlite::memory:",
      log: (m) => logged.push(m),
      onCall: () => {
        throw new Error("metrics sink down");
      },
    });
    try {
      const thrift = (await import("thrift")).default;
      const { hmsService } = await import("@streamhouse/metastore");
      const connection = thrift.createConnection(server.host, server.port, { transport: thrift.TBufferedTransport, protocol: thrift.TBinaryProtocol });
      try {
        const c = thrift.createClient(hmsService.Client, connection);
        expect(await c.get_all_databases()).toEqual(["default"]);
        expect(logged.some((m) => m.includes("onCall for get_all_databases threw: metrics sink down"))).toBe(true);
      } finally {
        connection.end();
      }
    } finally {
      await server.close();
    }
  });
});
