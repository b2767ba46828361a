// Connections that stall: a partial frame (framed transport), a partial
// buffered message, and a connection idle between calls are closed after their
// timeouts; a connection that keeps calling is not.
import net from "node:net";
import { type MetastoreHandle, startMetastore } from "@streamhouse/metastore";
import { afterEach, expect, test } from "vitest";
import { encodeCall, probeCall, probeReply } from "./support/wire-bytes.js";

let server: MetastoreHandle | undefined;
const sockets: net.Socket[] = [];
const logs: string[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close();
  server = undefined;
  logs.length = 0;
});

async function start(o: { framed?: boolean; partialMessageTimeoutMs?: number; idleTimeoutMs?: number }): Promise<MetastoreHandle> {
  server = await startMetastore({ port: 0, warehouse: "/tmp/streamhouse-test-warehouse", store: "sqlite::memory:", log: (m) => logs.push(m), ...o });
  return server;
}

function framedOf(message: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(message.length, 0);
  return Buffer.concat([header, message]);
}

async function connect(port: number): Promise<{ socket: net.Socket; received: () => Buffer; closedAt: Promise<number> }> {
  const socket = net.connect(port, "127.0.0.1");
  sockets.push(socket);
  const chunks: Buffer[] = [];
  socket.on("data", (d) => chunks.push(d));
  socket.on("error", () => {});
  const closedAt = new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now())));
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, received: () => Buffer.concat(chunks), closedAt };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

test("framed: a frame whose header promises more bytes than arrive is closed after the partial timeout, not the idle one", async () => {
  const s = await start({ framed: true, partialMessageTimeoutMs: 150, idleTimeoutMs: 60_000 });
  const c = await connect(s.port);
  const whole = framedOf(probeCall(1));
  c.socket.write(whole);
  expect(await until(() => c.received().includes(probeReply(1)), 5_000)).toBe(true);
  const started = Date.now();
  c.socket.write(framedOf(probeCall(2)).subarray(0, 10));
  const at = await c.closedAt;
  expect(at - started).toBeGreaterThanOrEqual(100);
  expect(at - started).toBeLessThan(3_000);
  expect(c.received().includes(probeReply(2))).toBe(false);
  expect(logs.some((l) => l.includes("incomplete message timed out"))).toBe(true);
});

test("framed: only the 4-byte length of a frame, then nothing: closed after the partial timeout", async () => {
  const s = await start({ framed: true, partialMessageTimeoutMs: 150, idleTimeoutMs: 60_000 });
  const c = await connect(s.port);
  const started = Date.now();
  c.socket.write(Buffer.from([0, 0, 0]));
  expect((await c.closedAt) - started).toBeLessThan(3_000);
});

test("buffered: an idle connection is closed after idleTimeoutMs; one that keeps calling more often is not", async () => {
  const s = await start({ partialMessageTimeoutMs: 5_000, idleTimeoutMs: 300 });
  const idle = await connect(s.port);
  const busy = await connect(s.port);
  const started = Date.now();
  // The busy connection calls every 100 ms for 900 ms: each call resets its idle timer.
  for (let i = 0; i < 9; i++) {
    busy.socket.write(probeCall(10 + i));
    expect(await until(() => busy.received().includes(probeReply(10 + i)), 5_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
  }
  const idleClosedAt = await idle.closedAt;
  expect(idleClosedAt - started).toBeGreaterThanOrEqual(250);
  expect(idleClosedAt - started).toBeLessThan(900);
  expect(busy.socket.destroyed).toBe(false);
  busy.socket.write(encodeCall("get_all_databases", [], 99));
  expect(await until(() => busy.received().includes(Buffer.from("default")), 5_000)).toBe(true);
  // And once it stops, it is closed too.
  const at = await busy.closedAt;
  expect(at - Date.now()).toBeLessThan(3_000);
});

test("idleTimeoutMs 0 disables the idle timeout", async () => {
  const s = await start({ idleTimeoutMs: 0, partialMessageTimeoutMs: 100 });
  const c = await connect(s.port);
  await new Promise((r) => setTimeout(r, 400));
  expect(c.socket.destroyed).toBe(false);
  c.socket.write(probeCall(5));
  expect(await until(() => c.received().includes(probeReply(5)), 5_000)).toBe(true);
});
