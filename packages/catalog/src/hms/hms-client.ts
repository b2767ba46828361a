/**
 * A Hive Metastore client over the generated Thrift code, the way Hive's own
 * client talks by default: TBinaryProtocol on a plain, unframed socket
 * (TBufferedTransport in the npm runtime), no SASL.
 *
 * What the npm `thrift` connection does not do, this does:
 * - Bounded waits. The runtime never fails a call whose reply does not come; here
 *   connecting and every call have a time limit. A call that timed out leaves
 *   the connection out of step (its reply may still arrive), so the connection is
 *   dropped.
 * - Broken connections. When the socket errors or closes, every call waiting on it
 *   fails at once (the runtime would leave them pending forever) and the next call
 *   opens a new connection. Calls marked idempotent are retried once on a fresh
 *   connection; others (create, lock) are not, as the first may have taken effect.
 * - Typed errors: the metastore's exceptions become StreamhouseErrors (hms-errors.ts).
 *
 * `uri` is Hive's `hive.metastore.uris` form: `thrift://host:port`, or several
 * separated by commas, tried in order when connecting.
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import thrift from "thrift";
import { hmsService } from "./generated.js";
import { hmsError } from "./hms-errors.js";

export type RawHmsClient = InstanceType<typeof hmsService.Client>;

export interface HmsClientOptions {
  /** `thrift://host:port[,thrift://host2:port2…]`. */
  readonly uri: string;
  /** Per address. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** From sending a call to its reply. Default 60 s. */
  readonly callTimeoutMs?: number;
}

export interface CallOptions {
  /** Safe to send twice: retried once on a fresh connection when the connection breaks. */
  readonly idempotent?: boolean;
}

export interface MetastoreAddress {
  readonly host: string;
  readonly port: number;
}

const DEFAULT_PORT = 9083;

/** The addresses of a `thrift://host:port[,…]` URI; InvalidArgument for anything else. */
export function parseMetastoreUri(uri: string): MetastoreAddress[] {
  const out: MetastoreAddress[] = [];
  for (const part of uri.split(",")) {
    const m = /^thrift:\/\/(\[[^\]]+\]|[^:/\s]+)(?::(\d{1,5}))?\/?$/i.exec(part.trim());
    const port = m?.[2] === undefined ? DEFAULT_PORT : Number(m[2]);
    if (m === null || port < 1 || port > 65535) {
      throw new StreamhouseError(ErrorKind.InvalidArgument, `bad metastore URI '${part.trim()}': expected thrift://host:port`, { context: { uri } });
    }
    out.push({ host: (m[1] ?? "").replace(/^\[|\]$/g, ""), port });
  }
  return out;
}

/** One open connection and the calls waiting on it. */
interface Live {
  readonly connection: thrift.Connection;
  readonly client: RawHmsClient;
  readonly address: MetastoreAddress;
  /** Fails a waiting call; every entry is removed when its call settles. */
  readonly waiting: Set<(e: StreamhouseError) => void>;
  broken: boolean;
}

function connectionLost(address: MetastoreAddress, why: string, cause?: unknown): StreamhouseError {
  return new StreamhouseError(ErrorKind.Io, `connection to the metastore ${address.host}:${address.port} ${why}`, {
    context: { metastore: `${address.host}:${address.port}`, connection: "lost" },
    cause,
    retryable: true,
  });
}

function isConnectionLost(e: unknown): boolean {
  return e instanceof StreamhouseError && e.context["connection"] === "lost";
}

export class HmsClient {
  readonly addresses: readonly MetastoreAddress[];
  private readonly connectTimeoutMs: number;
  private readonly callTimeoutMs: number;
  private live: Live | null = null;
  private connecting: Promise<Live> | null = null;
  private closed = false;

  constructor(options: HmsClientOptions) {
    this.addresses = parseMetastoreUri(options.uri);
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.callTimeoutMs = options.callTimeoutMs ?? 60_000;
  }

  /**
   * Runs one metastore call: `fn` gets the generated client and returns its promise.
   * Errors come back as StreamhouseErrors naming `method`.
   */
  async call<T>(method: string, fn: (client: RawHmsClient) => Promise<T>, options: CallOptions = {}): Promise<T> {
    const attempts = options.idempotent === true ? 2 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.callOnce(fn);
      } catch (e) {
        if (attempt < attempts && isConnectionLost(e) && !this.closed) continue;
        throw hmsError(e, method);
      }
    }
  }

  /** Closes the connection; later calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    const live = this.live;
    this.live = null;
    if (live !== null) this.discard(live, "was closed by the client");
  }

  private async callOnce<T>(fn: (client: RawHmsClient) => Promise<T>): Promise<T> {
    const live = await this.connect();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        live.waiting.delete(fail);
        return true;
      };
      const fail = (e: StreamhouseError): void => {
        if (settle()) reject(e);
      };
      const timer = setTimeout(() => {
        if (!settle()) return;
        const e = connectionLost(live.address, `gave no reply within ${this.callTimeoutMs} ms`);
        this.discard(live, "was dropped after a call timed out");
        reject(e);
      }, this.callTimeoutMs);
      live.waiting.add(fail);
      let pending: Promise<T>;
      try {
        pending = fn(live.client);
      } catch (e) {
        if (settle()) reject(e);
        return;
      }
      pending.then(
        (v) => {
          if (settle()) resolve(v);
        },
        (e: unknown) => {
          if (settle()) reject(e);
        },
      );
    });
  }

  private async connect(): Promise<Live> {
    if (this.closed) throw new StreamhouseError(ErrorKind.InvalidArgument, "the metastore client is closed");
    if (this.live !== null && !this.live.broken) return this.live;
    if (this.connecting === null) {
      this.connecting = this.connectAny().finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  private async connectAny(): Promise<Live> {
    let last: unknown;
    for (const address of this.addresses) {
      try {
        const live = await this.open(address);
        if (this.closed) {
          this.discard(live, "was closed by the client");
          throw new StreamhouseError(ErrorKind.InvalidArgument, "the metastore client is closed");
        }
        this.live = live;
        return live;
      } catch (e) {
        last = e;
      }
    }
    throw last instanceof StreamhouseError ? last : connectionLost(this.addresses[0] ?? { host: "?", port: 0 }, "could not be opened", last);
  }

  private open(address: MetastoreAddress): Promise<Live> {
    return new Promise<Live>((resolve, reject) => {
      const connection = thrift.createConnection(address.host, address.port, {
        transport: thrift.TBufferedTransport,
        protocol: thrift.TBinaryProtocol,
      });
      const live: Live = { connection, client: thrift.createClient(hmsService.Client, connection) as RawHmsClient, address, waiting: new Set(), broken: false };
      let opened = false;
      const timer = setTimeout(() => {
        if (opened) return;
        this.discard(live, "timed out");
        reject(connectionLost(address, `could not be opened within ${this.connectTimeoutMs} ms`));
      }, this.connectTimeoutMs);
      connection.on("connect", () => {
        opened = true;
        clearTimeout(timer);
        resolve(live);
      });
      const gone = (why: string, cause?: unknown) => {
        clearTimeout(timer);
        if (!opened) {
          live.broken = true;
          reject(connectionLost(address, `could not be opened: ${why}`, cause));
          return;
        }
        this.discard(live, why, cause);
      };
      connection.on("error", (e: unknown) => gone(e instanceof Error ? e.message : String(e), e));
      connection.on("close", () => gone("was closed"));
    });
  }

  /** Marks `live` broken, fails its waiting calls and closes its socket. */
  private discard(live: Live, why: string, cause?: unknown): void {
    if (this.live === live) this.live = null;
    if (!live.broken) {
      live.broken = true;
      const error = connectionLost(live.address, why, cause);
      for (const fail of [...live.waiting]) fail(error);
    }
    try {
      live.connection.end();
      (live.connection as unknown as { connection?: { destroy?: () => void } }).connection?.destroy?.();
    } catch {
      // the socket is already gone: nothing left to release
    }
  }
}
