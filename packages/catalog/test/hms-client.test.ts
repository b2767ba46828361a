// The metastore client's connection handling against real sockets: our metastore, a
// server that hangs up at once, and one that never answers.
import net from "node:net";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import { startMetastore } from "@streamhouse/metastore";
import { afterEach, describe, expect, it } from "vitest";
import { HmsClient, hmsError, parseMetastoreUri, hmsTypes as T } from "../src/index.js";

async function errorOf(p: Promise<unknown>): Promise<StreamhouseError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StreamhouseError) return e;
    throw new Error(`not a StreamhouseError: ${String(e)}`);
  }
  throw new Error("expected a failure");
}

/** A TCP server whose connections get `onConnection`; closed after each test. */
const servers: net.Server[] = [];
async function rawServer(onConnection: (s: net.Socket) => void): Promise<number> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    s.on("error", () => {});
    onConnection(s);
  });
  server.on("close", () => {
    for (const s of sockets) s.destroy();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.close();
    s.emit("close");
  }
});

describe("parseMetastoreUri", () => {
  it("reads Hive's URI list", () => {
    expect(parseMetastoreUri("thrift://127.0.0.1:9083")).toEqual([{ host: "127.0.0.1", port: 9083 }]);
    expect(parseMetastoreUri("thrift://a:1, thrift://b")).toEqual([
      { host: "a", port: 1 },
      { host: "b", port: 9083 },
    ]);
    expect(parseMetastoreUri("thrift://[::1]:9083")).toEqual([{ host: "::1", port: 9083 }]);
  });

  it.each(["http://h:1", "h:9083", "thrift://", "thrift://h:0", "thrift://h:99999", ""])("rejects %s", (uri) => {
    expect(() => parseMetastoreUri(uri)).toThrow(StreamhouseError);
  });
});

describe("HmsClient", () => {
  it("maps the metastore's exceptions to error kinds", async () => {
    const server = await startMetastore({ port: 0, warehouse: "/tmp/streamhouse-hms-client-test", store: "sqlite::memory:" });
    const client = new HmsClient({ uri: `thrift://127.0.0.1:${server.port}` });
    try {
      const missing = await errorOf(client.call("get_database", (c) => c.get_database("nope")));
      expect(missing.kind).toBe(ErrorKind.NotFound);
      expect(missing.context["exception"]).toBe("NoSuchObjectException");
      expect(missing.context["method"]).toBe("get_database");
      const exists = await errorOf(client.call("create_database", (c) => c.create_database(new T.Database({ name: "default", description: "", locationUri: "", parameters: {} }))));
      expect(exists.kind).toBe(ErrorKind.AlreadyExists);
      expect(hmsError(Object.assign(new Error("nope"), { name: "TApplicationException", type: 1 }), "x").kind).toBe(ErrorKind.Unsupported);
      expect(hmsError(Object.assign(new Error("bad"), { name: "MetaException" }), "x").kind).toBe(ErrorKind.Io);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it("fails calls on a connection the server closes, and reconnects for the next call", async () => {
    const server = await startMetastore({ port: 0, warehouse: "/tmp/streamhouse-hms-client-test", store: "sqlite::memory:" });
    const port = server.port;
    const client = new HmsClient({ uri: `thrift://127.0.0.1:${port}`, connectTimeoutMs: 2_000 });
    try {
      expect(await client.call("get_all_databases", (c) => c.get_all_databases(), { idempotent: true })).toEqual(["default"]);
      await server.close();
      const lost = await errorOf(client.call("get_all_databases", (c) => c.get_all_databases(), { idempotent: true }));
      expect(lost.kind).toBe(ErrorKind.Io);
      expect(lost.retryable).toBe(true);
      const again = await startMetastore({ port, warehouse: "/tmp/streamhouse-hms-client-test", store: "sqlite::memory:" });
      try {
        expect(await client.call("get_all_databases", (c) => c.get_all_databases(), { idempotent: true })).toEqual(["default"]);
      } finally {
        await again.close();
      }
    } finally {
      await client.close();
    }
  });

  it("fails at once when the server hangs up mid-call", async () => {
    let connections = 0;
    const port = await rawServer((s) => {
      connections += 1;
      s.once("data", () => s.destroy());
    });
    const client = new HmsClient({ uri: `thrift://127.0.0.1:${port}`, callTimeoutMs: 30_000 });
    try {
      const started = Date.now();
      const e = await errorOf(client.call("get_all_databases", (c) => c.get_all_databases(), { idempotent: true }));
      expect(e.kind).toBe(ErrorKind.Io);
      expect(Date.now() - started).toBeLessThan(10_000);
      // Idempotent: tried once more on a fresh connection.
      expect(connections).toBe(2);
      await errorOf(client.call("create_database", (c) => c.create_database(new T.Database({ name: "x", description: "", locationUri: "", parameters: {} }))));
      expect(connections).toBe(3);
    } finally {
      await client.close();
    }
  });

  it("times out a call that gets no reply and drops that connection", async () => {
    let connections = 0;
    const port = await rawServer(() => {
      connections += 1;
    });
    const client = new HmsClient({ uri: `thrift://127.0.0.1:${port}`, callTimeoutMs: 200 });
    try {
      const started = Date.now();
      const e = await errorOf(client.call("get_all_databases", (c) => c.get_all_databases()));
      const waited = Date.now() - started;
      expect(e.kind).toBe(ErrorKind.Io);
      expect(e.message).toContain("no reply within 200 ms");
      expect(waited).toBeGreaterThanOrEqual(190);
      expect(waited).toBeLessThan(5_000);
      await errorOf(client.call("get_all_databases", (c) => c.get_all_databases()));
      expect(connections).toBe(2);
    } finally {
      await client.close();
    }
  });

  it("bounds connecting to an address that does not answer", async () => {
    const port = await rawServer(() => {});
    const closedPort = await new Promise<number>((resolve) => {
      const s = net.createServer();
      s.listen(0, "127.0.0.1", () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const client = new HmsClient({ uri: `thrift://127.0.0.1:${closedPort}`, connectTimeoutMs: 1_000 });
    const refused = await errorOf(client.call("get_all_databases", (c) => c.get_all_databases()));
    expect(refused.kind).toBe(ErrorKind.Io);
    await client.close();
    // The first address refuses, the second accepts (and then never answers).
    const two = new HmsClient({ uri: `thrift://127.0.0.1:${closedPort},thrift://127.0.0.1:${port}`, callTimeoutMs: 100 });
    const e = await errorOf(two.call("get_all_databases", (c) => c.get_all_databases()));
    expect(e.message).toContain(`127.0.0.1:${port}`);
    await two.close();
    const closed = await errorOf(two.call("get_all_databases", (c) => c.get_all_databases()));
    expect(closed.kind).toBe(ErrorKind.InvalidArgument);
  });
});
