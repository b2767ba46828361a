/**
 * Edits the footer of a Parquet file parquet-wasm just wrote, so that the file looks
 * like one Java Paimon writes:
 *
 * - Leaves listed as INT96 (TIMESTAMP(7..9), written as FIXED_LEN_BYTE_ARRAY(12) holding
 *   INT96 bytes) get physical type INT96 in the schema and in every column chunk, and
 *   lose `type_length`. PLAIN-encoded, a 12-byte fixed binary and an INT96 are the same
 *   bytes; the writer is told not to use dictionaries or statistics for these columns, so
 *   no other structure depends on the old type.
 * - The `ARROW:schema` key-value entry is dropped: it would tell arrow-rs readers the
 *   column is a fixed binary, and Java does not write one.
 *
 * The data pages come before the footer and do not move, so every offset stays valid.
 * Thrift ids (parquet.thrift): FileMetaData 2 schema, 4 row_groups, 5 key_value_metadata;
 * SchemaElement 1 type, 2 type_length, 4 name, 5 num_children; RowGroup 1 columns;
 * ColumnChunk 3 meta_data; ColumnMetaData 1 type, 3 path_in_schema; KeyValue 1 key.
 */
import { dataInvalid } from "@streamhouse/format";
import { decodeStruct, encodeStruct, fieldOf, type TList, type TStruct, TType } from "./thrift-compact-tree.js";

const PHYSICAL_INT96 = 3;
const MAGIC = [0x50, 0x41, 0x52, 0x31];
const decoder = new TextDecoder();

export function patchParquetFooter(file: Uint8Array, int96Paths: readonly string[]): Uint8Array {
  const n = file.length;
  if (n < 12 || MAGIC.some((m, i) => file[n - 4 + i] !== m)) throw dataInvalid("patching a Parquet footer: not a Parquet file");
  const metaLength = new DataView(file.buffer, file.byteOffset + n - 8, 4).getInt32(0, true);
  const metaStart = n - 8 - metaLength;
  const { struct: meta } = decodeStruct(file.subarray(metaStart, n - 8));

  const int96 = new Set(int96Paths);
  if (int96.size > 0) {
    retypeSchema(meta, int96);
    retypeChunks(meta, int96);
  }
  dropArrowSchema(meta);

  const encoded = encodeStruct(meta);
  const out = new Uint8Array(metaStart + encoded.length + 8);
  out.set(file.subarray(0, metaStart));
  out.set(encoded, metaStart);
  new DataView(out.buffer).setInt32(metaStart + encoded.length, encoded.length, true);
  out.set(MAGIC, metaStart + encoded.length + 4);
  return out;
}

function listItems(s: TStruct, id: number): TStruct[] {
  const f = fieldOf(s, id);
  return f === undefined ? [] : ((f.value as TList).items as TStruct[]);
}

function str(s: TStruct, id: number): string {
  const f = fieldOf(s, id);
  return f === undefined ? "" : decoder.decode(f.value as Uint8Array);
}

function int(s: TStruct, id: number): number {
  const f = fieldOf(s, id);
  return f === undefined ? 0 : (f.value as number);
}

/** Walks the depth-first schema list with the path of names, and retypes INT96 leaves. */
function retypeSchema(meta: TStruct, int96: ReadonlySet<string>): void {
  const elements = listItems(meta, 2);
  let next = 1;
  let found = 0;
  const walk = (prefix: string, depth: number): void => {
    const e = elements[next++];
    if (e === undefined || depth > 64) throw dataInvalid("patching a Parquet footer: malformed schema list");
    const path = prefix === "" ? str(e, 4) : `${prefix}.${str(e, 4)}`;
    const children = int(e, 5);
    if (children === 0 && int96.has(path)) {
      setPhysicalType(e, 1);
      e.fields = e.fields.filter((f) => f.id !== 2);
      found++;
    }
    for (let k = 0; k < children; k++) walk(path, depth + 1);
  };
  const rootChildren = elements[0] === undefined ? 0 : int(elements[0], 5);
  for (let k = 0; k < rootChildren; k++) walk("", 0);
  if (found !== int96.size) throw dataInvalid(`patching a Parquet footer: found ${found} of ${int96.size} INT96 columns`);
}

function setPhysicalType(s: TStruct, id: number): void {
  const f = fieldOf(s, id);
  if (f === undefined) throw dataInvalid("patching a Parquet footer: a leaf has no physical type");
  f.value = PHYSICAL_INT96;
}

function retypeChunks(meta: TStruct, int96: ReadonlySet<string>): void {
  for (const rowGroup of listItems(meta, 4)) {
    for (const chunk of listItems(rowGroup, 1)) {
      const m = fieldOf(chunk, 3);
      if (m === undefined) continue;
      const cm = m.value as TStruct;
      const path = listItemsRaw(cm, 3).map((b) => decoder.decode(b)).join(".");
      if (int96.has(path)) {
        setPhysicalType(cm, 1);
        // No statistics for INT96 (their order is undefined); the writer was asked for none.
        cm.fields = cm.fields.filter((f) => f.id !== 12);
      }
    }
  }
}

function listItemsRaw(s: TStruct, id: number): Uint8Array[] {
  const f = fieldOf(s, id);
  return f === undefined ? [] : ((f.value as TList).items as Uint8Array[]);
}

function dropArrowSchema(meta: TStruct): void {
  const f = fieldOf(meta, 5);
  if (f === undefined || f.type !== TType.LIST) return;
  const list = f.value as TList;
  list.items = list.items.filter((kv) => str(kv as TStruct, 1) !== "ARROW:schema");
  if (list.items.length === 0) meta.fields = meta.fields.filter((x) => x.id !== 5);
}
