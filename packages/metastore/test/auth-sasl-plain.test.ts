// SASL PLAIN: the negotiation state machine byte by byte, and the server with a
// users file against our own SASL client (test/support/sasl-client.ts).
import net from "node:net";
import { decodeSaslFrame, hashPassword, type MetastoreHandle, PlainHandshake, renderScryptHash, SaslStatus, startMetastore } from "@streamhouse/metastore";
import { afterEach, describe, expect, test } from "vitest";
import { T, table } from "./support/harness.js";
import { plainResponse, STATUS, saslConnect, saslFrame } from "./support/sasl-client.js";
import { encodeCall } from "./support/wire-bytes.js";

const FAST = { n: 1024, r: 8, p: 1 };

function frameOf(reply: Buffer): { status: number; message: string } {
  const d = decodeSaslFrame(reply, 0, 1 << 20);
  if (d === undefined) throw new Error("no whole frame");
  return { status: d.frame.status, message: d.frame.payload.toString("utf8") };
}

describe("PlainHandshake (pure)", () => {
  const opening = Buffer.concat([saslFrame(STATUS.START, "PLAIN"), saslFrame(STATUS.COMPLETE, plainResponse("alice", "pw"))]);

  test("START PLAIN + COMPLETE credentials asks to verify, fed whole or one byte at a time", () => {
    const whole = new PlainHandshake();
    expect(whole.feed(opening)).toEqual({ kind: "verify", user: "alice", password: "pw" });
    const bytewise = new PlainHandshake();
    const steps = [...opening].map((b) => bytewise.feed(Buffer.from([b])));
    expect(steps.slice(0, -1).every((s) => s.kind === "more")).toBe(true);
    expect(steps.at(-1)).toEqual({ kind: "verify", user: "alice", password: "pw" });
  });

  test("accepted: COMPLETE with an empty payload, and the bytes after the response are handed on", () => {
    const hs = new PlainHandshake();
    const after = Buffer.from([0, 0, 0, 3, 1, 2, 3]);
    expect(hs.feed(Buffer.concat([opening, after.subarray(0, 2)])).kind).toBe("verify");
    expect(hs.feed(after.subarray(2)).kind).toBe("more");
    const { reply, rest } = hs.accepted();
    expect([...reply]).toEqual([SaslStatus.COMPLETE, 0, 0, 0, 0]);
    expect(rest).toEqual(after);
  });

  test("an OK response (client not yet complete) is accepted like COMPLETE", () => {
    const hs = new PlainHandshake();
    expect(hs.feed(Buffer.concat([saslFrame(STATUS.START, "PLAIN"), saslFrame(STATUS.OK, plainResponse("bob", "x", "bob"))]))).toEqual({ kind: "verify", user: "bob", password: "x" });
  });

  test("refusals: status and message as TSaslServerTransport gives them", () => {
    const cases: [Buffer, number, RegExp][] = [
      [saslFrame(STATUS.OK, "PLAIN"), SaslStatus.ERROR, /Expecting START status, received OK/],
      [saslFrame(STATUS.START, "GSSAPI"), SaslStatus.BAD, /Unsupported mechanism type GSSAPI/],
      [Buffer.concat([saslFrame(STATUS.START, "PLAIN"), saslFrame(STATUS.START, "PLAIN")]), SaslStatus.ERROR, /Expected COMPLETE or OK, got START/],
      [Buffer.concat([saslFrame(STATUS.START, "PLAIN"), saslFrame(STATUS.COMPLETE, "alice-pw")]), SaslStatus.BAD, /Invalid PLAIN message/],
      [Buffer.concat([saslFrame(STATUS.START, "PLAIN"), saslFrame(STATUS.COMPLETE, plainResponse("", "pw"))]), SaslStatus.BAD, /no user name/],
      [Buffer.concat([saslFrame(STATUS.START, "PLAIN"), saslFrame(STATUS.COMPLETE, plainResponse("alice", "pw", "root"))]), SaslStatus.BAD, /may not act as root/],
      // A plain (non-SASL) Thrift call: 0x80 is no negotiation status.
      [encodeCall("get_all_databases", [], 1), SaslStatus.ERROR, /invalid SASL negotiation status 128/],
      [Buffer.from([STATUS.START, 0x7f, 0xff, 0xff, 0xff]), SaslStatus.ERROR, /exceeds/],
    ];
    for (const [bytes, status, message] of cases) {
      const step = new PlainHandshake().feed(bytes);
      if (step.kind !== "refuse") throw new Error(`expected a refusal for ${bytes.toString("hex")}, got ${step.kind}`);
      const f = frameOf(step.reply);
      expect(f.status, message.source).toBe(status);
      expect(f.message).toMatch(message);
    }
  });

  test("refused(): BAD with Hive's 'Error validating the login'", () => {
    const hs = new PlainHandshake();
    hs.feed(opening);
    const f = frameOf(hs.refused("alice"));
    expect(f.status).toBe(SaslStatus.BAD);
    expect(f.message).toContain("Error validating the login");
  });

  test("a client's BAD ends the negotiation without an answer", () => {
    const step = new PlainHandshake().feed(saslFrame(STATUS.BAD, "giving up"));
    expect(step.kind).toBe("refuse");
    if (step.kind === "refuse") expect(step.reply.length).toBe(0);
  });
});

describe("metastore with --auth plain", () => {
  let server: MetastoreHandle | undefined;
  const logs: string[] = [];
  afterEach(async () => {
    await server?.close();
    server = undefined;
    logs.length = 0;
  });

  async function start(extra: { partialMessageTimeoutMs?: number } = {}): Promise<MetastoreHandle> {
    const alice = await hashPassword("wonderland", FAST);
    const users = `alice:${renderScryptHash(alice)}\n`;
    const { parseUsersFile } = await import("@streamhouse/metastore");
    server = await startMetastore({
      port: 0,
      warehouse: "/tmp/streamhouse-test-warehouse",
      store: "sqlite::memory:",
      auth: { mechanism: "PLAIN", users: parseUsersFile(users) },
      log: (m) => logs.push(m),
      ...extra,
    });
    return server;
  }

  test("the right password: calls work over SASL frames, several in a row and concurrently on other connections", async () => {
    const s = await start();
    const outcomes = await Promise.all([1, 2, 3].map(() => saslConnect(s.port, "alice", "wonderland")));
    try {
      for (const o of outcomes) if (!o.ok) throw new Error(`refused: ${o.message}`);
      const [a, b] = outcomes.map((o) => (o.ok ? o.client : undefined));
      await a!.create_table(table("default", "t1"));
      expect(await a!.get_all_databases()).toEqual(["default"]);
      expect((await b!.get_table_req(new T.GetTableRequest({ dbName: "default", tblName: "t1" } as never))).table.tableName).toBe("t1");
      const many = await Promise.all(Array.from({ length: 20 }, () => b!.get_all_tables("default")));
      expect(many.every((t) => t.join() === "t1")).toBe(true);
    } finally {
      for (const o of outcomes) if (o.ok) o.close();
    }
  });

  test("a wrong password or an unknown user is refused with BAD, closed, and logged", async () => {
    const s = await start();
    for (const [user, password] of [
      ["alice", "wonderlanD"],
      ["mallory", "wonderland"],
    ] as const) {
      const o = await saslConnect(s.port, user, password);
      expect(o.ok).toBe(false);
      if (!o.ok) {
        expect(o.status).toBe(SaslStatus.BAD);
        expect(o.message).toContain("Error validating the login");
        expect(o.closedByServer).toBe(true);
      }
      expect(logs.some((l) => l.includes(`login refused for user ${user}`))).toBe(true);
    }
  });

  test("a client that skips SASL gets ERROR and is closed; nothing it sent is executed", async () => {
    const s = await start();
    const o = await saslConnect(s.port, "", "", encodeCall("create_database", [new T.Database({ name: "sneaky", description: "", locationUri: "", parameters: {} } as never)], 1));
    expect(o.ok).toBe(false);
    if (!o.ok) expect(o.status).toBe(SaslStatus.ERROR);
    const good = await saslConnect(s.port, "alice", "wonderland");
    if (!good.ok) throw new Error(good.message);
    try {
      expect(await good.client.get_all_databases()).toEqual(["default"]);
    } finally {
      good.close();
    }
  });

  test("a stalled negotiation is closed after the partial-message timeout", async () => {
    const s = await start({ partialMessageTimeoutMs: 150 });
    const socket = net.connect(s.port, "127.0.0.1");
    socket.on("error", () => {});
    const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now())));
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const started = Date.now();
    socket.write(saslFrame(STATUS.START, "PLAIN").subarray(0, 7));
    const at = await closed;
    expect(at - started).toBeLessThan(3_000);
    expect(logs.some((l) => l.includes("SASL negotiation timed out"))).toBe(true);
  });

  test("framed transport with SASL is refused at start as Unsupported", async () => {
    await expect(
      startMetastore({ port: 0, warehouse: "/tmp/x", store: "sqlite::memory:", framed: true, auth: { mechanism: "PLAIN", users: { users: new Map() } } }),
    ).rejects.toMatchObject({ kind: "Unsupported" });
  });
});
