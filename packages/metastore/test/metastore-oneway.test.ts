// One-way messages (TBinaryProtocol message type ONEWAY = 4) on the wire:
// never answered, and never holding up the next call on their connection.
// Spark's Hive 2.3 client sends fb303's one-way `shutdown` as it closes.
import net from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { database, type Harness, startHarness } from "./support/harness.js";
import { encodeCall, probeCall, probeReply } from "./support/wire-bytes.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const CALL = 1;
const ONEWAY = 4;

/** A strict TBinaryProtocol message of `type` with an empty argument struct. */
function message(method: string, type: number, seqid: number): Buffer {
  const name = Buffer.from(method, "utf8");
  const b = Buffer.alloc(4 + 4 + name.length + 4 + 1);
  b.writeUInt32BE((0x80010000 | type) >>> 0, 0);
  b.writeInt32BE(name.length, 4);
  name.copy(b, 8);
  b.writeInt32BE(seqid, 8 + name.length);
  b.writeUInt8(0, 12 + name.length); // STOP
  return b;
}

/** `msg` with the 4-byte length prefix of the framed transport. */
function frame(msg: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32BE(msg.length, 0);
  return Buffer.concat([len, msg]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One raw connection that keeps everything the server sends. */
class RawConnection {
  private readonly socket: net.Socket;
  private chunks: Buffer[] = [];
  closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on("data", (d) => this.chunks.push(d));
    socket.on("error", () => {});
    socket.on("close", () => {
      this.closed = true;
    });
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1", () => resolve(new RawConnection(s)));
      s.once("error", reject);
    });
  }

  /** Sends each part as its own write, `gapMs` apart. */
  async send(parts: readonly Buffer[], gapMs = 0): Promise<void> {
    for (const [i, part] of parts.entries()) {
      if (i > 0 && gapMs > 0) await sleep(gapMs);
      this.socket.write(part);
    }
  }

  /**
   * Everything received since the last call, once it holds `bytes` bytes,
   * plus whatever else arrives within `settleMs` after (so an extra reply
   * would be seen). Gives up after `timeoutMs`.
   */
  async take(bytes: number, settleMs = 150, timeoutMs = 3000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.length() < bytes && !this.closed && Date.now() < deadline) await sleep(5);
    await sleep(settleMs);
    const all = Buffer.concat(this.chunks);
    this.chunks = [];
    return all;
  }

  private length(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }

  close(): void {
    this.socket.destroy();
  }
}

describe.each([
  { name: "buffered", framed: false, wrap: (m: Buffer) => m, unwrap: (r: Buffer) => r },
  { name: "framed", framed: true, wrap: frame, unwrap: frame },
])("$name transport", ({ framed, wrap, unwrap }) => {
  const expectOnlyProbeReply = async (conn: RawConnection, seqid: number): Promise<void> => {
    const want = unwrap(probeReply(seqid));
    const got = await conn.take(want.length);
    expect(got.toString("hex")).toBe(want.toString("hex"));
    expect(conn.closed).toBe(false);
  };

  test("the generated client encodes fb303 shutdown as a ONEWAY message", () => {
    const bytes = encodeCall("shutdown", [], 5);
    expect(bytes.readUInt32BE(0)).toBe(0x80010004);
    expect(bytes).toEqual(message("shutdown", ONEWAY, 5));
  });

  test("a ONEWAY shutdown then a call on the same connection: exactly one reply, and the server keeps serving", async () => {
    h = await startHarness({ framed });
    const conn = await RawConnection.open(h.server.port);
    // Pipelined in one write.
    await conn.send([Buffer.concat([wrap(encodeCall("shutdown", [], 5)), wrap(probeCall(6))])]);
    await expectOnlyProbeReply(conn, 6);
    // Separate writes, the call after a pause.
    await conn.send([wrap(encodeCall("shutdown", [], 7)), wrap(probeCall(8))], 50);
    await expectOnlyProbeReply(conn, 8);
    // Many in a row.
    const many = Array.from({ length: 500 }, (_, i) => wrap(encodeCall("shutdown", [], 100 + i)));
    await conn.send([Buffer.concat([...many, wrap(probeCall(9))])]);
    await expectOnlyProbeReply(conn, 9);
    conn.close();

    // The server did not stop: new connections are served.
    const c = h.client();
    expect(await c.getStatus()).toBe(2);
    expect(await c.get_all_databases()).toEqual(["default"]);
  });

  test("an unknown method sent as ONEWAY gets no reply and does not block the next call", async () => {
    h = await startHarness({ framed });
    const conn = await RawConnection.open(h.server.port);
    await conn.send([Buffer.concat([wrap(message("no_such_method", ONEWAY, 3)), wrap(probeCall(4))])]);
    await expectOnlyProbeReply(conn, 4);
    await conn.send([wrap(message("get_runtime_stats", ONEWAY, 5))]);
    expect((await conn.take(1, 0, 300)).length).toBe(0);
    await conn.send([wrap(probeCall(6))]);
    await expectOnlyProbeReply(conn, 6);
    conn.close();
  });

  test("a two-way method sent as ONEWAY runs, but its reply is not written", async () => {
    h = await startHarness({ framed });
    const conn = await RawConnection.open(h.server.port);
    const createDb = encodeCall("create_database", [database("oneway_db")], 3);
    createDb.writeUInt32BE(0x80010004, 0);
    await conn.send([Buffer.concat([wrap(message("getStatus", ONEWAY, 2)), wrap(createDb), wrap(probeCall(4))])]);
    await expectOnlyProbeReply(conn, 4);
    conn.close();
    // It ran before the call after it was answered: calls on a connection stay in order.
    expect(await h.client().get_all_databases()).toEqual(["default", "oneway_db"]);
  });

  test("shutdown sent as CALL (as an old client might) gets no reply and does not block the next call", async () => {
    h = await startHarness({ framed });
    const conn = await RawConnection.open(h.server.port);
    await conn.send([Buffer.concat([wrap(message("shutdown", CALL, 3)), wrap(probeCall(4))])]);
    await expectOnlyProbeReply(conn, 4);
    conn.close();
  });

  test("the generated client's shutdown() resolves, and the same client is served afterwards", async () => {
    h = await startHarness({ framed });
    const c = h.client();
    expect(await c.getStatus()).toBe(2);
    await c.shutdown();
    expect(await c.getStatus()).toBe(2);
    expect(await c.get_all_databases()).toEqual(["default"]);
  });
});

test("a ONEWAY message split across packets (buffered) is still read whole and not answered", async () => {
  h = await startHarness();
  const conn = await RawConnection.open(h.server.port);
  const bytes = Buffer.concat([encodeCall("shutdown", [], 3), probeCall(4)]);
  // Cut inside the header, inside the name, and between the two messages.
  const cuts = [0, 2, 6, 11, encodeCall("shutdown", [], 3).length, bytes.length];
  const parts = cuts.slice(1).map((end, i) => bytes.subarray(cuts[i], end));
  await conn.send(parts, 20);
  const want = probeReply(4);
  const got = await conn.take(want.length);
  expect(got.toString("hex")).toBe(want.toString("hex"));
  conn.close();
});
