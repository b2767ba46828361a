// The server on the wire: unknown methods, hostile bytes, framing.
import net from "node:net";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { type Harness, type HarnessOptions, startHarness } from "./support/harness.js";
import { releaseStores, storeBackends } from "./support/stores.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(releaseStores);

/** A strict TBinaryProtocol CALL message with an empty argument struct. */
function callFrame(method: string, seqid: number): Buffer {
  const name = Buffer.from(method, "utf8");
  const b = Buffer.alloc(4 + 4 + name.length + 4 + 1);
  b.writeUInt32BE(0x80010001, 0);
  b.writeInt32BE(name.length, 4);
  name.copy(b, 8);
  b.writeInt32BE(seqid, 8 + name.length);
  b.writeUInt8(0, 12 + name.length); // STOP
  return b;
}

/** Sends `bytes` and collects what comes back until the server closes or `ms` pass. */
function exchange(port: number, bytes: Buffer[], ms = 400): Promise<{ data: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = net.connect(port, "127.0.0.1", () => {
      for (const b of bytes) s.write(b);
    });
    let closed = false;
    const done = () => resolve({ data: Buffer.concat(chunks), closed });
    const timer = setTimeout(() => {
      s.destroy();
      done();
    }, ms);
    s.on("data", (d) => chunks.push(d));
    s.on("error", () => {});
    s.on("close", () => {
      closed = true;
      clearTimeout(timer);
      done();
    });
  });
}

/** Reads a TApplicationException reply: [name, type]. */
function applicationException(reply: Buffer): { method: string; messageType: number; type: number | undefined; message: string } {
  const header = reply.readUInt32BE(0);
  const nameLength = reply.readInt32BE(4);
  const method = reply.subarray(8, 8 + nameLength).toString("utf8");
  let pos = 8 + nameLength + 4;
  let type: number | undefined;
  let message = "";
  for (;;) {
    const fieldType = reply.readUInt8(pos++);
    if (fieldType === 0) break;
    const id = reply.readInt16BE(pos);
    pos += 2;
    if (fieldType === 11) {
      const n = reply.readInt32BE(pos);
      message = reply.subarray(pos + 4, pos + 4 + n).toString("utf8");
      pos += 4 + n;
    } else if (fieldType === 8 && id === 2) {
      type = reply.readInt32BE(pos);
      pos += 4;
    }
  }
  return { method, messageType: header & 0xff, type, message };
}

// Every request reaches the store, so the wire is tested on each backend.
describe.each(storeBackends)("on $name", (backend) => {
  const start = async (options: HarnessOptions = {}) => startHarness({ ...options, store: await backend.fresh() });

  test("an undeclared method is answered with TApplicationException UNKNOWN_METHOD (1)", async () => {
    h = await start();
    const { data } = await exchange(h.server.port, [callFrame("get_runtime_stats", 7)]);
    const x = applicationException(data);
    expect(x).toMatchObject({ method: "get_runtime_stats", messageType: 3, type: 1 });
    expect(x.message).toContain("get_runtime_stats");
    // The connection stays usable: the same client is served afterwards.
    const c = h.client();
    expect(await c.get_all_databases()).toEqual(["default"]);
  });

  test("requests split across packets and pipelined requests are all answered, in order", async () => {
    h = await start();
    const a = callFrame("get_all_databases", 1);
    const b = callFrame("getStatus", 2);
    const both = Buffer.concat([a, b]);
    const { data } = await exchange(h.server.port, [both.subarray(0, 5), both.subarray(5, 20), both.subarray(20)]);
    const firstName = data.readInt32BE(4);
    expect(data.subarray(8, 8 + firstName).toString()).toBe("get_all_databases");
    expect(data.includes(Buffer.from("getStatus"))).toBe(true);
  });

  test("hostile bytes close only that connection; other clients are still served", async () => {
    h = await start({ maxMessageBytes: 1024 * 1024, partialMessageTimeoutMs: 300 });
    const port = h.server.port;
    const c = h.client();
    expect(await c.getStatus()).toBe(2);

    const garbage = await exchange(port, [Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n")]);
    expect(garbage.closed).toBe(true);

    // A string length of 2 GiB: rejected by the message size limit.
    const absurd = Buffer.alloc(12);
    absurd.writeUInt32BE(0x80010001, 0);
    absurd.writeInt32BE(0x7fffffff, 4);
    const huge = await exchange(port, [absurd, Buffer.alloc(2 * 1024 * 1024)], 1500);
    expect(huge.closed).toBe(true);

    // A truncated frame that never completes: closed after the partial-message timeout.
    const truncated = await exchange(port, [callFrame("get_all_databases", 3).subarray(0, 10)], 2000);
    expect(truncated.closed).toBe(true);

    // A list claiming 2^31 elements of a struct with nothing behind it.
    const name = Buffer.from("get_table_objects_by_name");
    const evil = Buffer.concat([
      Buffer.from([0x80, 0x01, 0x00, 0x01]),
      Buffer.from([0, 0, 0, name.length]),
      name,
      Buffer.from([0, 0, 0, 1]),
      Buffer.from([15, 0, 2, 11, 0x7f, 0xff, 0xff, 0xff]),
    ]);
    const evilResult = await exchange(port, [evil], 1500);
    expect(evilResult.data.length).toBe(0);

    // Deeply nested structs in an unknown field: no stack overflow takes the server down.
    const nested = Buffer.concat([callFrame("getStatus", 4).subarray(0, -1), Buffer.alloc(200_000, 12).fill(0, 1, 2)]);
    await exchange(port, [nested], 500);

    expect(await c.get_all_databases()).toEqual(["default"]);
    const fresh = h.client();
    expect(await fresh.get_database("default")).toMatchObject({ name: "default" });
  });

  test("framed transport, when asked for", async () => {
    h = await start({ framed: true });
    const c = h.client();
    expect(await c.get_all_databases()).toEqual(["default"]);
    const frame = callFrame("no_such_method", 9);
    const len = Buffer.alloc(4);
    len.writeInt32BE(frame.length, 0);
    const { data } = await exchange(h.server.port, [len, frame]);
    expect(applicationException(data.subarray(4)).type).toBe(1);
  });
});

test("the handler implements every declared method, and startup refuses one that does not", async () => {
  const { bindHandler, hmsService, MetastoreHandler, SqliteStore } = await import("@streamhouse/metastore");
  const handler = new MetastoreHandler({ store: SqliteStore.open(":memory:"), warehouse: "/w" });
  expect(() => bindHandler(hmsService.Processor, hmsService.Client, handler)).not.toThrow();
  expect(() => bindHandler(hmsService.Processor, hmsService.Client, {})).toThrow(/lacks declared methods/);
});
