/**
 * The Thrift server: TBinaryProtocol over plain sockets, buffered (unframed)
 * transport by default as Hive's defaults expect, framed as an option.
 *
 * We drive the generated processor ourselves rather than through the
 * runtime's createServer, to bound what a client can cost us:
 * - at most `maxConnections` sockets, and messages of at most
 *   `maxMessageBytes` (the runtime's receivers enforce it; we close the
 *   connection when they throw);
 * - a message that stays incomplete for `partialMessageTimeoutMs` closes its
 *   connection (a client that sends half a message and waits holds no slot
 *   forever), and so does a SASL negotiation; a connection with nothing in
 *   flight closes after `idleTimeoutMs`;
 * - with `auth: { mechanism: "PLAIN" }` every connection must first complete a
 *   SASL PLAIN negotiation (auth/plain-handshake.ts) against the users file;
 *   its messages then travel in 4-byte length frames, read as framed transport.
 *   A refused login is answered BAD, logged, and closed;
 * - one request at a time per connection, answered in order;
 * - a ONEWAY message is never answered: whatever the processor writes for it
 *   (an UNKNOWN_METHOD exception, the reply of a two-way method called as
 *   one-way) is discarded, and a method the IDL declares `oneway` (no reply
 *   will ever come) does not hold up the next message on its connection;
 * - any malformed input closes only that connection; nothing a client sends
 *   reaches an unhandled 'error' event.
 */
import net from "node:net";
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import thrift from "thrift";
import { hmsService } from "@streamhouse/catalog";
import { PlainHandshake } from "./auth/plain-handshake.js";
import { loadUsersFile, type UsersFile, verifyUser } from "./auth/users-file.js";
import { MetastoreHandler } from "./handler.js";
import { PostgresStore } from "./store/postgres-store.js";
import { SqliteStore } from "./store/sqlite-store.js";
import { installStoredReplies } from "./stored-replies.js";
import type { MetastoreStore } from "./store/store.js";
import { bindHandler, patchThriftRuntime } from "./thrift-runtime.js";

export interface MetastoreOptions {
  /** TCP port; 0 picks a free one. Default 9083. */
  readonly port?: number;
  /** Interface to listen on. Default 127.0.0.1: listening wider is an explicit choice. */
  readonly host?: string;
  /** Root of default database locations: a directory or a URI (s3://bucket/prefix). */
  readonly warehouse: string;
  /** `sqlite:FILE`, `sqlite::memory:`, or an open store (closed with the server). */
  readonly store: string | MetastoreStore;
  readonly framed?: boolean;
  /**
   * SASL PLAIN with a users file (auth/users-file.ts), what Hive clients use with
   * `metastore.client.auth.mode=PLAIN`. `users` is a path (read at start) or a parsed file.
   */
  readonly auth?: MetastoreAuth;
  readonly maxMessageBytes?: number;
  readonly maxConnections?: number;
  /** A started message (or SASL negotiation) must complete within this; 0 disables. Default 30 s. */
  readonly partialMessageTimeoutMs?: number;
  /**
   * A connection with no call in flight and no bytes pending is closed after
   * this; 0 disables. Default 600 s: Hive clients time out their own reads at
   * 600 s (metastore.client.socket.timeout) and reconnect on a closed socket.
   */
  readonly idleTimeoutMs?: number;
  readonly lockTimeoutMs?: number;
  readonly nowMs?: () => number;
  /** Where connection-level problems are reported; silent by default. */
  readonly log?: (message: string) => void;
  /**
   * Called once per call with its IDL method name, the milliseconds from its
   * message being read to its reply being handed to the socket (fractional),
   * and whether the reply is a result (false: a declared exception or a
   * TApplicationException). A oneway call is reported when its handler is done
   * or, for methods the IDL declares oneway, when it was dispatched. For
   * metrics: what it throws is reported to `log` and otherwise ignored.
   */
  readonly onCall?: (method: string, durationMs: number, ok: boolean) => void;
}

export interface MetastoreAuth {
  readonly mechanism: "PLAIN";
  readonly users: string | UsersFile;
}

export interface MetastoreHandle {
  readonly host: string;
  readonly port: number;
  readonly store: MetastoreStore;
  /** Stops listening, closes every connection and the store. */
  close(): Promise<void>;
}

const DEFAULT_PORT = 9083;
const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_CONNECTIONS = 512;
const DEFAULT_PARTIAL_MESSAGE_TIMEOUT_MS = 30_000;
const DEFAULT_IDLE_TIMEOUT_MS = 600_000;

/**
 * `sqlite:FILE` (or `sqlite::memory:`), or a PostgreSQL URL
 * `postgres://user:password@host:port/database` (`postgresql://` too), which
 * connects and migrates on the store's first transaction.
 */
export function openStore(spec: string): MetastoreStore {
  if (spec.startsWith("sqlite:")) return SqliteStore.open(spec.slice("sqlite:".length));
  if (/^postgres(ql)?:\/\//.test(spec)) return PostgresStore.open(spec);
  const scheme = spec.split(":")[0];
  throw new StreamhouseError(ErrorKind.Unsupported, `unsupported metastore store '${scheme}': use sqlite:FILE or postgres://user:password@host:port/database`, {
    context: { store: scheme },
  });
}

interface ReceivingTransport {
  commitPosition(): void;
  rollbackPosition(): void;
}

type TransportClass = {
  new (buffer?: Buffer, callback?: (msg: Buffer) => void): object;
  receiver(callback: (t: ReceivingTransport) => void, seqid: undefined, maxLength: number): (data: Buffer) => void;
};

/**
 * Whether a reply message (as written by TBinaryProtocol, strict header) is a
 * result: not an EXCEPTION message, and its result struct's first field is
 * `success` (id 0) or absent (a void method). Declared exceptions are fields 1+.
 *   [frame length i32]? | 0x80 0x01 0x00 type | name length i32 | name | seqid i32 | field type i8 | field id i16
 */
export function replyIsResult(msg: Buffer, framed: boolean): boolean {
  const start = framed ? 4 : 0;
  if (msg.length < start + 8) return false;
  if (msg[start + 3] === MESSAGE_EXCEPTION) return false;
  const fieldAt = start + 8 + msg.readInt32BE(start + 4) + 4;
  if (msg.length <= fieldAt) return false;
  if (msg[fieldAt] === 0) return true;
  return msg.length >= fieldAt + 3 && msg.readInt16BE(fieldAt + 1) === 0;
}

function isUnderrun(e: unknown): boolean {
  return e instanceof Error && e.name === "InputBufferUnderrunError";
}

/** TBinaryProtocol message type of a call whose caller reads no reply. */
const MESSAGE_ONEWAY = 4;
/** TBinaryProtocol message type of an answer that is a TApplicationException. */
const MESSAGE_EXCEPTION = 3;

/**
 * The methods the IDL declares `oneway`: their generated `process_` functions
 * run the handler and never write a message, whatever type the call came as
 * (an old client may send CALL for them). Waiting for their reply would hang
 * the connection, so the loop must know them.
 */
function methodsThatNeverReply(processorClass: { prototype: object }): Set<string> {
  const seen = new Set<string>();
  const out = new Set<string>();
  for (let p: object | null = processorClass.prototype; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const key of Object.getOwnPropertyNames(p)) {
      const v = (p as Record<string, unknown>)[key];
      if (!key.startsWith("process_") || typeof v !== "function" || seen.has(key)) continue;
      seen.add(key);
      if (!String(v).includes("writeMessageBegin")) out.add(key.slice("process_".length));
    }
  }
  return out;
}

export async function startMetastore(o: MetastoreOptions): Promise<MetastoreHandle> {
  patchThriftRuntime();
  if (o.auth !== undefined && o.auth.mechanism !== "PLAIN") {
    throw new StreamhouseError(ErrorKind.Unsupported, `unsupported metastore authentication '${String(o.auth.mechanism)}': only PLAIN`);
  }
  // Hive's client never frames inside SASL (HiveMetaStoreClient.open wraps in
  // TFramedTransport only without SASL), and the SASL frames are framing enough.
  if (o.auth !== undefined && o.framed === true) {
    throw new StreamhouseError(ErrorKind.Unsupported, "framed transport and SASL authentication do not combine: SASL frames every message already");
  }
  const users = o.auth === undefined ? undefined : typeof o.auth.users === "string" ? await loadUsersFile(o.auth.users) : o.auth.users;
  const store = typeof o.store === "string" ? openStore(o.store) : o.store;
  const handler = new MetastoreHandler({
    store,
    warehouse: o.warehouse,
    ...(o.nowMs ? { nowMs: o.nowMs } : {}),
    ...(o.lockTimeoutMs !== undefined ? { lockTimeoutMs: o.lockTimeoutMs } : {}),
  });
  try {
    await handler.init();
  } catch (e) {
    await store.close();
    throw e;
  }
  const processor = new hmsService.Processor(bindHandler(hmsService.Processor, hmsService.Client, handler));
  installStoredReplies(processor, handler);
  const neverReply = methodsThatNeverReply(hmsService.Processor);
  // After a SASL negotiation, messages arrive in 4-byte length frames: framed transport.
  const framed = o.framed === true || users !== undefined;
  const Transport = (framed ? thrift.TFramedTransport : thrift.TBufferedTransport) as unknown as TransportClass;
  const maxMessageBytes = o.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const partialTimeoutMs = o.partialMessageTimeoutMs ?? DEFAULT_PARTIAL_MESSAGE_TIMEOUT_MS;
  const idleTimeoutMs = o.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const log = o.log ?? (() => {});
  const onCall = o.onCall;
  const report = (method: string, startedMs: number, ok: boolean): void => {
    if (onCall === undefined) return;
    try {
      onCall(method, performance.now() - startedMs, ok);
    } catch (e) {
      log(`metastore: onCall for ${method} threw: ${(e as Error).message}`);
    }
  };
  const sockets = new Set<net.Socket>();

  const serve = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const pending: ReceivingTransport[] = [];
    let busy = false;
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    let buffered = 0;
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    // The call in flight on this connection (one at a time), for onCall.
    let callMethod = "";
    let callStartedMs = 0;
    // Until its SASL negotiation completes, a connection's bytes go to the handshake.
    let handshake: PlainHandshake | undefined = users === undefined ? undefined : new PlainHandshake();

    const close = (why: string | undefined): void => {
      if (closed) return;
      closed = true;
      if (why !== undefined) log(`metastore: closing connection from ${peer}: ${why}`);
      clearTimeout(timer);
      socket.destroy();
    };
    /**
     * One timer per connection: while a message (or the SASL negotiation) is
     * incomplete, the partial-message timeout; while nothing is in flight, the
     * idle timeout; while a call runs, none (the handler's work is bounded).
     */
    const armPartialTimer = (): void => {
      clearTimeout(timer);
      timer = undefined;
      if (closed) return;
      if (handshake !== undefined || buffered > 0) {
        if (partialTimeoutMs > 0) timer = setTimeout(() => close(handshake !== undefined ? "SASL negotiation timed out" : "incomplete message timed out"), partialTimeoutMs);
      } else if (!busy && pending.length === 0 && idleTimeoutMs > 0) {
        timer = setTimeout(() => close(undefined), idleTimeoutMs);
      }
      timer?.unref();
    };

    // Writing a new message always starts from an empty buffer, so that a
    // reply whose serialization failed halfway cannot corrupt the next one.
    const output = new thrift.TBinaryProtocol(
      new Transport(undefined, (msg: Buffer) => {
        if (!closed) socket.write(msg);
        if (onCall !== undefined) report(callMethod, callStartedMs, replyIsResult(msg, framed));
        busy = false;
        setImmediate(pump);
      }) as unknown as thrift.TTransport,
    );
    const writeBegin = output.writeMessageBegin.bind(output);
    output.writeMessageBegin = (name: string, type: thrift.Thrift.MessageType, seqid: number) => {
      const t = (output as unknown as { trans: { outBuffers: Buffer[]; outCount: number } }).trans;
      t.outBuffers = [];
      t.outCount = 0;
      (output as unknown as { _seqid: number | null })._seqid = null;
      writeBegin(name, type, seqid);
    };

    // Where the processor's output goes for a ONEWAY message: nowhere. When
    // it is written (at once for an unknown method, when the handler is done
    // for a two-way method called one-way), the next message may go ahead,
    // so requests on a connection still run one at a time.
    const discarding = (method: string, startedMs: number): thrift.TProtocol => {
      let done = false;
      return new thrift.TBinaryProtocol(
        new Transport(undefined, (msg: Buffer) => {
          if (done) return;
          done = true;
          report(method, startedMs, replyIsResult(msg, framed));
          busy = false;
          setImmediate(pump);
        }) as unknown as thrift.TTransport,
      );
    };

    function pump(): void {
      while (!busy && !closed && pending.length > 0) {
        const t = pending[0]!;
        if (!framed) {
          // Nothing unread: done, without paying for the underrun exception a
          // read would throw (one per call otherwise, stack trace and all).
          const cursors = t as unknown as { readCursor: number; writeCursor: number };
          if (cursors.writeCursor <= cursors.readCursor) {
            pending.shift();
            buffered = 0;
            armPartialTimer();
            return;
          }
        }
        busy = true;
        try {
          // Read the header to learn the message type, then hand it to the
          // processor, which reads it again.
          const input = new thrift.TBinaryProtocol(t as unknown as thrift.TTransport);
          const header = input.readMessageBegin();
          input.readMessageBegin = () => header;
          const startedMs = onCall === undefined ? 0 : performance.now();
          callMethod = header.fname;
          callStartedMs = startedMs;
          processor.process(input, header.mtype === MESSAGE_ONEWAY ? discarding(header.fname, startedMs) : output);
          // No reply will come to release the connection: go on at once.
          if (neverReply.has(header.fname)) {
            busy = false;
            report(header.fname, startedMs, true);
          }
        } catch (e) {
          busy = false;
          if (isUnderrun(e) && !framed) {
            // Not a whole message yet: wait for more bytes. After the last
            // commit the buffer holds only unread bytes, so writeCursor says
            // whether a partial message is pending (or the buffer is empty).
            t.rollbackPosition();
            pending.shift();
            buffered = (t as unknown as { writeCursor: number }).writeCursor;
            armPartialTimer();
            return;
          }
          close(`malformed request: ${(e as Error).message}`);
          return;
        }
        if (framed) pending.shift();
        else t.commitPosition();
      }
      if (!busy && pending.length === 0) {
        // `buffered` counts only the bytes of an incomplete message: unframed,
        // the underrun branch above set it; framed, the receiver callback.
        armPartialTimer();
      }
    }

    const receive = Transport.receiver(
      (t) => {
        // Framed: a whole frame (4-byte length + payload) left the bytes still
        // unaccounted for, which are then those of an incomplete frame.
        if (framed) buffered -= 4 + (t as unknown as { inBuf: Buffer }).inBuf.length;
        if (!pending.includes(t)) pending.push(t);
      },
      undefined,
      maxMessageBytes,
    );

    const authenticate = async (user: string, password: string, hs: PlainHandshake): Promise<void> => {
      let ok = false;
      try {
        ok = await verifyUser(users!, user, password);
      } catch (e) {
        log(`metastore: SASL PLAIN check for user ${user} from ${peer} failed: ${(e as Error).message}`);
      }
      if (closed) return;
      if (!ok) {
        socket.end(hs.refused(user));
        closed = true;
        clearTimeout(timer);
        log(`metastore: closing connection from ${peer}: SASL PLAIN login refused for user ${user}`);
        // end() flushes the BAD message; do not wait on the client to close its side.
        setTimeout(() => socket.destroy(), 1_000).unref();
        return;
      }
      const { reply, rest } = hs.accepted();
      handshake = undefined;
      socket.write(reply);
      buffered = 0;
      if (rest.length > 0) receiveData(rest);
      else armPartialTimer();
    };

    const onHandshakeData = (hs: PlainHandshake, data: Buffer): void => {
      const step = hs.feed(data);
      if (step.kind === "refuse") {
        log(`metastore: closing connection from ${peer}: ${step.reason}`);
        closed = true;
        clearTimeout(timer);
        if (step.reply.length > 0) socket.end(step.reply);
        else socket.end();
        setTimeout(() => socket.destroy(), 1_000).unref();
        return;
      }
      if (step.kind === "verify") void authenticate(step.user, step.password, hs);
    };

    function receiveData(data: Buffer): void {
      if (closed) return;
      if (handshake !== undefined) {
        onHandshakeData(handshake, data);
        return;
      }
      buffered += data.length;
      try {
        receive(data);
      } catch (e) {
        close((e as Error).message);
        return;
      }
      armPartialTimer();
      pump();
    }

    socket.on("data", receiveData);
    socket.on("error", (e) => close(e.message));
    socket.on("close", () => {
      closed = true;
      clearTimeout(timer);
      sockets.delete(socket);
    });
    // The SASL negotiation (or, without one, the idle time) is timed from the connect.
    armPartialTimer();
  };

  const server = net.createServer(serve);
  server.maxConnections = o.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  server.on("error", (e) => log(`metastore: server error: ${e.message}`));
  const host = o.host ?? "127.0.0.1";
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(o.port ?? DEFAULT_PORT, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (e) {
    await store.close();
    throw new StreamhouseError(ErrorKind.Io, `cannot listen on ${host}:${o.port ?? DEFAULT_PORT}: ${(e as Error).message}`, { cause: e });
  }
  const address = server.address() as net.AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    host,
    port: address.port,
    store,
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const s of sockets) s.destroy();
        await stopped;
        await store.close();
      })();
      return closing;
    },
  };
}
