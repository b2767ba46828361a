/**
 * Sorted runs of key-value records spilled to local disk by the write buffer (the role of
 * Paimon's `BinaryExternalSortBuffer` spill channels, release 2.0.0). A spill file is a
 * sequence of records, each
 *
 *   [u32 LE record length][i64 LE sequence number][u8 value kind][value BinaryRow, serialized]
 *
 * The key is not stored: it is a projection of the value row. Files are written once,
 * read back sequentially in chunks, and deleted by their owner.
 */
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { BinaryRowWriter, type DataType, dataInvalid, decodeBinaryRow, type RowKind } from "@streamhouse/format";
import type { KeyValue } from "../kv/key-value.js";

const HEADER_BYTES = 4 + 8 + 1;
const READ_CHUNK_BYTES = 1 << 20;

export function writeSpillFile(path: string, records: Iterable<KeyValue>, valueTypes: readonly DataType[]): number {
  const rows = new BinaryRowWriter(valueTypes);
  const fd = openSync(path, "wx");
  let buf = new Uint8Array(READ_CHUNK_BYTES);
  let view = new DataView(buf.buffer);
  let end = 0;
  let count = 0;
  try {
    for (const kv of records) {
      const row = rows.write(kv.value);
      const size = HEADER_BYTES + row.length;
      if (end + size > buf.length) {
        writeSync(fd, buf, 0, end);
        end = 0;
        if (size > buf.length) {
          buf = new Uint8Array(size * 2);
          view = new DataView(buf.buffer);
        }
      }
      view.setUint32(end, size, true);
      view.setBigInt64(end + 4, kv.sequenceNumber, true);
      buf[end + 12] = kv.valueKind;
      buf.set(row, end + HEADER_BYTES);
      end += size;
      count++;
    }
    if (end > 0) writeSync(fd, buf, 0, end);
  } finally {
    closeSync(fd);
  }
  return count;
}

/** Reads a spill file back in order; `keyOf` projects the key from the value row. */
export function* readSpillFile(
  path: string,
  valueTypes: readonly DataType[],
  keyOf: (value: KeyValue["value"]) => KeyValue["key"],
): Generator<KeyValue, void, undefined> {
  const fd = openSync(path, "r");
  try {
    let buf = new Uint8Array(READ_CHUNK_BYTES);
    let start = 0;
    let end = 0;
    let filePos = 0;
    for (;;) {
      if (end - start < 4 || end - start < new DataView(buf.buffer, buf.byteOffset + start, 4).getUint32(0, true)) {
        // Move the partial record to the front and read more.
        const pending = end - start;
        const need = pending >= 4 ? new DataView(buf.buffer, buf.byteOffset + start, 4).getUint32(0, true) : 0;
        const next = need > buf.length ? new Uint8Array(need * 2) : buf;
        next.set(buf.subarray(start, end), 0);
        buf = next;
        start = 0;
        end = pending;
        const n = readSync(fd, buf, end, buf.length - end, filePos);
        filePos += n;
        end += n;
        if (n === 0) {
          if (pending !== 0) throw dataInvalid("spill file ends inside a record", { file: path, offset: filePos });
          return;
        }
        continue;
      }
      const view = new DataView(buf.buffer, buf.byteOffset + start);
      const size = view.getUint32(0, true);
      const sequenceNumber = view.getBigInt64(4, true);
      const valueKind = buf[start + 12]! as RowKind;
      const value = decodeBinaryRow(valueTypes, buf.subarray(start + HEADER_BYTES, start + size));
      start += size;
      yield { key: keyOf(value), sequenceNumber, valueKind, value, level: -1 };
    }
  } finally {
    closeSync(fd);
  }
}
