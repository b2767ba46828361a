/**
 * Negotiation messages of Thrift's SASL transport, as Apache Thrift's Java
 * `TSaslTransport` (0.16, the one Hive 4.1 ships) writes and reads them:
 *
 *   +--------+---------------------------+------------------+
 *   | status | payload length (u32, BE)  | payload          |
 *   | 1 byte | 4 bytes                   | length bytes     |
 *   +--------+---------------------------+------------------+
 *
 * Status values are `NegotiationStatus`: START=1 (payload: the mechanism name),
 * OK=2 and COMPLETE=5 (payload: SASL challenge/response bytes), BAD=3 and
 * ERROR=4 (payload: a UTF-8 message; the peer gives up). Java refuses
 * payloads over 100 MB; we accept far less during negotiation, where a PLAIN
 * response is a few hundred bytes.
 *
 * After negotiation every message travels as `u32 BE length + bytes`, exactly
 * the framing of TFramedTransport, which is how the server reads it.
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";

export const SaslStatus = {
  START: 1,
  OK: 2,
  BAD: 3,
  ERROR: 4,
  COMPLETE: 5,
} as const;
export type SaslStatus = (typeof SaslStatus)[keyof typeof SaslStatus];

const STATUS_NAMES: Readonly<Record<number, string>> = { 1: "START", 2: "OK", 3: "BAD", 4: "ERROR", 5: "COMPLETE" };
const HEADER_BYTES = 5;

export interface SaslFrame {
  readonly status: SaslStatus;
  readonly payload: Buffer;
}

export function saslStatusName(status: number): string {
  return STATUS_NAMES[status] ?? `unknown (${status})`;
}

export function encodeSaslFrame(status: SaslStatus, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  out[0] = status;
  out.writeUInt32BE(body.length, 1);
  body.copy(out, HEADER_BYTES);
  return out;
}

/**
 * The frame at `offset` of `buf` and the offset after it, or undefined when
 * `buf` does not hold all of it yet. Throws DataInvalid on an unknown status
 * or a payload longer than `maxPayloadBytes` (before waiting for it).
 */
export function decodeSaslFrame(buf: Buffer, offset: number, maxPayloadBytes: number): { frame: SaslFrame; next: number } | undefined {
  if (buf.length - offset < HEADER_BYTES) return undefined;
  const status = buf[offset] ?? 0;
  if (STATUS_NAMES[status] === undefined) {
    throw new StreamhouseError(ErrorKind.DataInvalid, `invalid SASL negotiation status ${status}`, { context: { offset } });
  }
  const length = buf.readUInt32BE(offset + 1);
  if (length > maxPayloadBytes) {
    throw new StreamhouseError(ErrorKind.DataInvalid, `SASL negotiation payload of ${length} bytes exceeds ${maxPayloadBytes}`, { context: { offset } });
  }
  const end = offset + HEADER_BYTES + length;
  if (buf.length < end) return undefined;
  return { frame: { status: status as SaslStatus, payload: buf.subarray(offset + HEADER_BYTES, end) }, next: end };
}
