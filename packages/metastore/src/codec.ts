/**
 * Thrift structs to bytes and back, with the binary protocol: the store keeps
 * every catalog object as the exact struct a client sent (after our
 * normalization), so fields we do not interpret still round-trip.
 */
import thrift from "thrift";

// The generated declarations omit the read/write methods every struct has.
interface Writable {
  write(output: thrift.TProtocol): void;
}

interface Readable {
  read(input: thrift.TProtocol): void;
}

export function encodeStruct(struct: object): Buffer {
  const value = struct as Writable;
  const chunks: Buffer[] = [];
  const transport = new thrift.TBufferedTransport(undefined, (buf?: Buffer) => {
    if (buf !== undefined) chunks.push(buf);
  });
  const protocol = new thrift.TBinaryProtocol(transport);
  value.write(protocol);
  protocol.flush();
  return Buffer.concat(chunks);
}

export function decodeStruct<T extends object>(make: new () => T, bytes: Uint8Array): T {
  const transport = new thrift.TFramedTransport(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const value = new make();
  (value as unknown as Readable).read(new thrift.TBinaryProtocol(transport));
  return value;
}

/** A deep copy through the wire format. */
export function cloneStruct<T extends object>(make: new () => T, value: T): T {
  return decodeStruct(make, encodeStruct(value));
}
