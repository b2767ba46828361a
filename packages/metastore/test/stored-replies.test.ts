// Replies written from stored bytes (stored-replies.ts) are byte for byte the
// replies the generated processor writes by decoding and re-encoding, for
// answers and for errors alike.
import { bindHandler, hmsService, MetastoreHandler, patchThriftRuntime, SqliteStore } from "@streamhouse/metastore";
import thrift from "thrift";
import { afterAll, beforeAll, expect, test } from "vitest";
import { installStoredReplies } from "../src/stored-replies.js";
import { database, partition, T, table } from "./support/harness.js";
import { encodeCall } from "./support/wire-bytes.js";

let handler: MetastoreHandler;
let store: SqliteStore;

beforeAll(async () => {
  patchThriftRuntime();
  store = SqliteStore.open(":memory:");
  handler = new MetastoreHandler({ store, warehouse: "/tmp/streamhouse-test-warehouse", manageDirectories: false, nowMs: () => 1_700_000_000_000 });
  await handler.init();
  await handler.create_database(database("sales"));
  await handler.create_table(table("sales", "orders", [["dt", "string"], ["region", "string"]], { comment: "orders by day" }));
  await handler.create_table(table("sales", "flat"));
  await handler.add_partitions([
    partition("sales", "orders", ["2024-01-01", "eu"]),
    partition("sales", "orders", ["2024-01-02", "us/west"]),
    partition("sales", "orders", ["2024-01-03", "a=b"]),
  ]);
});

afterAll(async () => {
  await store.close();
});

/** Runs one CALL through a processor and resolves with the reply bytes. */
function replyOf(processor: { process(i: thrift.TProtocol, o: thrift.TProtocol): void }, call: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const input = new thrift.TBinaryProtocol(new thrift.TFramedTransport(call) as unknown as thrift.TTransport);
    const output = new thrift.TBinaryProtocol(new thrift.TBufferedTransport(undefined, (msg?: Buffer) => resolve(msg ?? Buffer.alloc(0))) as unknown as thrift.TTransport);
    processor.process(input, output);
  });
}

const calls: [string, Buffer][] = [
  ["get_table", encodeCall("get_table", ["sales", "orders"], 3)],
  ["get_table, upper case and a catalog prefix", encodeCall("get_table", ["@hive#SALES", "Orders"], 4)],
  ["get_table, missing table", encodeCall("get_table", ["sales", "nope"], 5)],
  ["get_table, missing database", encodeCall("get_table", ["nodb", "orders"], 6)],
  ["get_table_req", encodeCall("get_table_req", [new T.GetTableRequest({ dbName: "sales", tblName: "orders" } as never)], 7)],
  ["get_table_req with a catalog", encodeCall("get_table_req", [new T.GetTableRequest({ dbName: "sales", tblName: "flat", catName: "hive" } as never)], 8)],
  ["get_table_req, missing", encodeCall("get_table_req", [new T.GetTableRequest({ dbName: "sales", tblName: "nope" } as never)], 9)],
  [
    "get_partitions_by_names: escaped, duplicated, unknown names",
    encodeCall("get_partitions_by_names", ["sales", "orders", ["dt=2024-01-02/region=us%2Fwest", "dt=2024-01-01/region=eu", "dt=2024-01-01/region=eu", "dt=2099-01-01/region=eu", "dt=2024-01-03/region=a%3Db"]], 10),
  ],
  ["get_partitions_by_names: none", encodeCall("get_partitions_by_names", ["sales", "orders", []], 11)],
  ["get_partitions_by_names: a name that does not fit the keys", encodeCall("get_partitions_by_names", ["sales", "orders", ["region=eu"]], 12)],
  ["get_partitions_by_names: missing table", encodeCall("get_partitions_by_names", ["sales", "nope", ["dt=x/region=y"]], 13)],
  [
    "get_partitions_by_names_req",
    encodeCall("get_partitions_by_names_req", [new T.GetPartitionsByNamesRequest({ db_name: "sales", tbl_name: "orders", names: ["dt=2024-01-01/region=eu"] } as never)], 14),
  ],
  ["get_partitions_by_names_req, no names", encodeCall("get_partitions_by_names_req", [new T.GetPartitionsByNamesRequest({ db_name: "sales", tbl_name: "orders" } as never)], 15)],
];

test("each reply from stored bytes equals the generated processor's, byte for byte", async () => {
  const bound = bindHandler(hmsService.Processor, hmsService.Client, handler);
  const generated = new hmsService.Processor(bound);
  const stored = new hmsService.Processor(bound);
  installStoredReplies(stored, handler);
  let answers = 0;
  for (const [what, call] of calls) {
    const expected = await replyOf(generated, call);
    const actual = await replyOf(stored, call);
    expect(actual.toString("hex"), what).toBe(expected.toString("hex"));
    if (expected.includes(Buffer.from("2024-01-0")) || expected.includes(Buffer.from("orders by day"))) answers++;
  }
  // The cases above must include real answers, not only errors.
  expect(answers).toBeGreaterThanOrEqual(5);
});

test("after an alter_table changes the partition keys' table bytes, reads by name still use the current table", async () => {
  const t = await handler.get_table("sales", "orders");
  t.parameters = { ...t.parameters, note: "altered" };
  await handler.alter_table("sales", "orders", t);
  const parts = await handler.partitionBytesByNames("sales", "orders", ["dt=2024-01-01/region=eu"]);
  expect(parts).toHaveLength(1);
  const again = await handler.tableBytes("sales", "orders");
  expect(Buffer.from(again).includes(Buffer.from("altered"))).toBe(true);
});
