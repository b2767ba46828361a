// Many clients at once, the connection limit, and connections that hold a
// slot with half a message.
import net from "node:net";
import { type MetastoreHandle, startMetastore } from "@streamhouse/metastore";
import { afterEach, expect, test } from "vitest";
import { database, type Harness, partition, startHarness, T, table } from "./support/harness.js";
import { encodeCall, probeCall, probeReply } from "./support/wire-bytes.js";

const CLIENTS = 500;

let h: Harness | undefined;
let server: MetastoreHandle | undefined;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await h?.close();
  await server?.close();
  h = undefined;
  server = undefined;
});

/** A raw connection that records what it receives and whether the server closed it. */
function rawConnection(port: number): { socket: net.Socket; received: () => Buffer; closed: Promise<void>; isClosed: () => boolean; connected: Promise<void> } {
  const chunks: Buffer[] = [];
  let isClosed = false;
  const socket = net.connect(port, "127.0.0.1");
  sockets.push(socket);
  socket.on("data", (d) => chunks.push(d));
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) =>
    socket.on("close", () => {
      isClosed = true;
      resolve();
    }),
  );
  const connected = new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, received: () => Buffer.concat(chunks), closed, isClosed: () => isClosed, connected };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

test(`${CLIENTS} concurrent connections each make real calls, and all succeed`, async () => {
  h = await startHarness();
  const setup = h.client();
  await setup.create_database(database("busy"));
  await setup.create_table(table("busy", "t", [["p", "string"]]));
  await setup.add_partitions(["a", "b"].map((v) => partition("busy", "t", [v])));

  const clients = Array.from({ length: CLIENTS }, () => h!.client());
  const started = Date.now();
  const results = await Promise.allSettled(
    clients.map(async (c, i) => {
      const dbs = await c.get_all_databases();
      const t = await c.get_table("busy", "t");
      const parts = await c.get_partitions_by_names("busy", "t", [i % 2 === 0 ? "p=a" : "p=b"]);
      const again = await c.get_table_req(new T.GetTableRequest({ dbName: "busy", tblName: "t" } as never));
      return { dbs, table: t.tableName, values: parts.map((p) => p.values), again: again.table.tableName };
    }),
  );
  const failed = results.filter((r) => r.status === "rejected");
  expect(failed.map((r) => String((r as PromiseRejectedResult).reason)).slice(0, 5)).toEqual([]);
  for (const [i, r] of results.entries()) {
    expect((r as PromiseFulfilledResult<unknown>).value).toEqual({ dbs: ["busy", "default"], table: "t", values: [[i % 2 === 0 ? "a" : "b"]], again: "t" });
  }
  console.log(`connections: ${CLIENTS} clients × 4 calls in ${Date.now() - started} ms`);
});

test("beyond maxConnections a connection is closed without an answer; the admitted ones are served, and a freed slot admits a new one", async () => {
  const LIMIT = 8;
  server = await startMetastore({ port: 0, warehouse: "/tmp/streamhouse-test-warehouse", store: "sqlite::memory:", maxConnections: LIMIT });
  const port = server.port;
  // Fill the limit, each admitted connection proven by an answered probe.
  const admitted = [];
  for (let i = 0; i < LIMIT; i++) {
    const c = rawConnection(port);
    await c.connected;
    c.socket.write(probeCall(i));
    expect(await until(() => c.received().includes(probeReply(i)), 5_000)).toBe(true);
    admitted.push(c);
  }
  // Over the limit: closed by the server, no bytes answered.
  const rejected = Array.from({ length: 5 }, () => rawConnection(port));
  for (const [i, c] of rejected.entries()) {
    c.socket.on("connect", () => c.socket.write(probeCall(100 + i)));
  }
  await Promise.all(rejected.map((c) => c.closed));
  for (const c of rejected) expect(c.received().length).toBe(0);
  // The admitted ones still work.
  for (const [i, c] of admitted.entries()) {
    c.socket.write(probeCall(200 + i));
    expect(await until(() => c.received().includes(probeReply(200 + i)), 5_000)).toBe(true);
  }
  // Free two slots; new clients are admitted again (the server notices the close asynchronously).
  admitted[0]!.socket.destroy();
  admitted[1]!.socket.destroy();
  const served = await until(() => false, 100).then(async () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const c = rawConnection(port);
      await Promise.race([c.connected, c.closed]);
      if (!c.isClosed()) {
        c.socket.write(encodeCall("get_all_databases", [], 7));
        if (await until(() => c.received().length > 0 || c.isClosed(), 2_000)) {
          if (c.received().length > 0) return c.received();
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return undefined;
  });
  expect(served?.includes(Buffer.from("default"))).toBe(true);
});

test("a partial message after a synchronously answered one still times out (the slot is not held forever)", async () => {
  h = await startHarness({ partialMessageTimeoutMs: 150 });
  // An unknown method is answered synchronously; the bytes after it start a
  // message whose declared name length (9) is never satisfied.
  const unknown = encodeCall("getStatus", [], 1);
  unknown.write("xetStatus", 8, "latin1");
  const partial = Buffer.from([0x80, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x09, 0x67]);
  const c = rawConnection(h.server.port);
  await c.connected;
  const started = Date.now();
  c.socket.write(Buffer.concat([unknown, partial]));
  expect(await until(c.isClosed, 5_000)).toBe(true);
  expect(c.received().includes(Buffer.from("xetStatus"))).toBe(true);
  expect(Date.now() - started).toBeLessThan(2_000);
});
