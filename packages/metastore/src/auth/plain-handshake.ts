/**
 * The server side of a SASL PLAIN negotiation over Thrift's SASL transport, as
 * a pure state machine: bytes in, the next step out; checking the password
 * (async: scrypt) is the caller's, who answers with `accepted()` or `refused()`.
 *
 * What a Java client (TSaslClientTransport + the JDK's PLAIN SaslClient, as
 * Hive's HiveMetaStoreClient uses in `metastore.client.auth.mode=PLAIN`) sends:
 *   START    "PLAIN"
 *   COMPLETE authzid NUL authcid NUL password      (RFC 4616; authzid usually empty)
 * and then it waits for the server's COMPLETE (empty payload) before its first
 * call. A client whose SASL library is not yet complete sends OK instead; we
 * accept either. As TSaslServerTransport does, a first message that is not
 * START is answered ERROR, an unknown mechanism BAD, and a failed login BAD.
 */
import { decodeSaslFrame, encodeSaslFrame, type SaslFrame, SaslStatus, saslStatusName } from "./sasl-frame.js";

/** Room for a user name and password; PLAIN messages are tiny. */
const MAX_NEGOTIATION_PAYLOAD_BYTES = 64 * 1024;
export const PLAIN_MECHANISM = "PLAIN";

export type HandshakeStep =
  /** Not a whole message yet. */
  | { readonly kind: "more" }
  /** Check these credentials, then call accepted() or refused(). */
  | { readonly kind: "verify"; readonly user: string; readonly password: string }
  /** Send `reply` (may be empty), then close: the negotiation failed. */
  | { readonly kind: "refuse"; readonly reply: Buffer; readonly reason: string };

type State = "start" | "response" | "verifying" | "done" | "failed";

export class PlainHandshake {
  private state: State = "start";
  private buffer: Buffer = Buffer.alloc(0);

  /** Feeds bytes received before the negotiation completed. */
  feed(data: Buffer): HandshakeStep {
    if (this.state === "verifying" || this.state === "done" || this.state === "failed") {
      // Bytes after the client's response: kept for after the handshake.
      this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
      return { kind: "more" };
    }
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    for (;;) {
      let decoded: { frame: SaslFrame; next: number } | undefined;
      try {
        decoded = decodeSaslFrame(this.buffer, 0, MAX_NEGOTIATION_PAYLOAD_BYTES);
      } catch (e) {
        return this.fail(SaslStatus.ERROR, (e as Error).message);
      }
      if (decoded === undefined) return { kind: "more" };
      this.buffer = this.buffer.subarray(decoded.next);
      const step = this.onFrame(decoded.frame);
      if (step !== undefined) return step;
    }
  }

  private onFrame(frame: SaslFrame): HandshakeStep | undefined {
    if (frame.status === SaslStatus.BAD || frame.status === SaslStatus.ERROR) {
      // The client gave up; it expects no answer.
      this.state = "failed";
      return { kind: "refuse", reply: Buffer.alloc(0), reason: `client ended the SASL negotiation: ${saslStatusName(frame.status)} ${frame.payload.toString("utf8")}` };
    }
    if (this.state === "start") {
      if (frame.status !== SaslStatus.START) return this.fail(SaslStatus.ERROR, `Expecting START status, received ${saslStatusName(frame.status)}`);
      const mechanism = frame.payload.toString("utf8");
      if (mechanism !== PLAIN_MECHANISM) return this.fail(SaslStatus.BAD, `Unsupported mechanism type ${mechanism}`);
      this.state = "response";
      return undefined;
    }
    if (frame.status !== SaslStatus.OK && frame.status !== SaslStatus.COMPLETE) {
      return this.fail(SaslStatus.ERROR, `Expected COMPLETE or OK, got ${saslStatusName(frame.status)}`);
    }
    const parsed = parsePlainResponse(frame.payload);
    if (typeof parsed === "string") return this.fail(SaslStatus.BAD, parsed);
    this.state = "verifying";
    return { kind: "verify", user: parsed.user, password: parsed.password };
  }

  private fail(status: typeof SaslStatus.BAD | typeof SaslStatus.ERROR, message: string): HandshakeStep {
    this.state = "failed";
    return { kind: "refuse", reply: encodeSaslFrame(status, message), reason: message };
  }

  /** The credentials were good: the reply to send, and the bytes that followed the client's response. */
  accepted(): { reply: Buffer; rest: Buffer } {
    if (this.state !== "verifying") throw new Error(`PlainHandshake.accepted() in state ${this.state}`);
    this.state = "done";
    const rest = this.buffer;
    this.buffer = Buffer.alloc(0);
    return { reply: encodeSaslFrame(SaslStatus.COMPLETE), rest };
  }

  /** The credentials were wrong: the BAD message to send before closing. */
  refused(user: string): Buffer {
    if (this.state !== "verifying") throw new Error(`PlainHandshake.refused() in state ${this.state}`);
    this.state = "failed";
    this.buffer = Buffer.alloc(0);
    // "Error validating the login" is what Hive's own PLAIN server says; Hive's tests and
    // users search logs for it.
    return encodeSaslFrame(SaslStatus.BAD, `Error validating the login: authentication failed for user ${user}`);
  }
}

/** RFC 4616: [authzid] NUL authcid NUL passwd; a message or the parsed credentials. */
export function parsePlainResponse(payload: Buffer): { user: string; password: string } | string {
  const first = payload.indexOf(0);
  const second = first < 0 ? -1 : payload.indexOf(0, first + 1);
  if (first < 0 || second < 0 || payload.indexOf(0, second + 1) >= 0) return "Invalid PLAIN message: expected authzid NUL authcid NUL password";
  const authzid = payload.subarray(0, first).toString("utf8");
  const user = payload.subarray(first + 1, second).toString("utf8");
  const password = payload.subarray(second + 1).toString("utf8");
  if (user === "") return "Invalid PLAIN message: no user name";
  if (password === "") return "Invalid PLAIN message: no password";
  // We do not let one user act for another.
  if (authzid !== "" && authzid !== user) return `user ${user} may not act as ${authzid}`;
  return { user, password };
}
