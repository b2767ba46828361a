// Our own client side of Thrift's SASL PLAIN negotiation (what Java's
// TSaslClientTransport does): START "PLAIN", then COMPLETE with
// authzid NUL user NUL password, then wait for the server's COMPLETE; after
// that, the generated client over framed transport (SASL's 4-byte frames).
import net from "node:net";
import { hmsService } from "@streamhouse/metastore";
import thrift from "thrift";
import type { HmsClient } from "./harness.js";

export const STATUS = { START: 1, OK: 2, BAD: 3, ERROR: 4, COMPLETE: 5 } as const;

export function saslFrame(status: number, payload: Buffer | string): Buffer {
  const body = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  const header = Buffer.alloc(5);
  header[0] = status;
  header.writeUInt32BE(body.length, 1);
  return Buffer.concat([header, body]);
}

export function plainResponse(user: string, password: string, authzid = ""): Buffer {
  return Buffer.from(`${authzid}\0${user}\0${password}`, "utf8");
}

export type SaslOutcome =
  | { readonly ok: true; readonly client: HmsClient; readonly socket: net.Socket; readonly close: () => void }
  | { readonly ok: false; readonly status: number; readonly message: string; readonly closedByServer: boolean };

/** Connects and sends `opening` (default: a well-formed PLAIN negotiation); resolves with the server's answer. */
export function saslConnect(port: number, user: string, password: string, opening?: Buffer): Promise<SaslOutcome> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let got = Buffer.alloc(0);
    let settled = false;
    let refusal: { status: number; message: string } | undefined;
    socket.on("error", () => {});
    socket.once("connect", () => {
      socket.write(opening ?? Buffer.concat([saslFrame(STATUS.START, "PLAIN"), saslFrame(STATUS.COMPLETE, plainResponse(user, password))]));
    });
    const onData = (d: Buffer): void => {
      got = Buffer.concat([got, d]);
      if (got.length < 5) return;
      const length = got.readUInt32BE(1);
      if (got.length < 5 + length) return;
      const status = got[0] ?? 0;
      const message = got.subarray(5, 5 + length).toString("utf8");
      socket.off("data", onData);
      if (status !== STATUS.COMPLETE) {
        // The server must close now; the close handler resolves.
        refusal = { status, message };
        return;
      }
      settled = true;
      const connection = new thrift.Connection(socket, { transport: thrift.TFramedTransport, protocol: thrift.TBinaryProtocol });
      (connection as unknown as { connected: boolean }).connected = true;
      connection.on("error", () => {});
      resolve({ ok: true, client: thrift.createClient(hmsService.Client, connection) as HmsClient, socket, close: () => connection.end() });
    };
    socket.on("data", onData);
    socket.once("close", () => {
      if (!settled) {
        settled = true;
        if (refusal !== undefined) resolve({ ok: false, ...refusal, closedByServer: true });
        else if (got.length === 0) resolve({ ok: false, status: 0, message: "", closedByServer: true });
        else reject(new Error(`connection closed after ${got.length} bytes of a negotiation message`));
      }
    });
  });
}
