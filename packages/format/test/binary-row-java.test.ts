/**
 * Every BinaryRow that Java Paimon wrote into the vector tables' manifests — the
 * partition of each entry, min/max keys, key stats, value stats, and the partition
 * stats of manifest lists — decodes with the right types and re-encodes to exactly
 * Java's bytes. Also: ORC manifests re-encoded as Avro decode to the same entries.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type DataType,
  decodeBinaryRow,
  decodeManifestEntries,
  decodeManifestList,
  BinaryRowWriter,
  decodeTableSchema,
  encodeBinaryRow,
  encodeManifestEntries,
  encodeManifestList,
  type TableSchema,
  TableSchemas,
} from "@streamhouse/format";
import { vectorTables } from "./vectors.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const NESTED = new Set(["ARRAY", "MAP", "MULTISET", "ROW"]);

function schemas(dir: string): Map<number, TableSchema> {
  const out = new Map<number, TableSchema>();
  for (const f of readdirSync(join(dir, "schema"))) {
    const s = decodeTableSchema(readFileSync(join(dir, "schema", f), "utf8"), f);
    out.set(s.id, s);
  }
  return out;
}

/**
 * Java writes a null non-compact DECIMAL/TIMESTAMP in one of two forms depending on
 * the code path (see BinarySectionWriter.reserveNullVariableParts); each Java row must
 * equal one of our two encodings exactly.
 */
function expectSameBytes(types: readonly DataType[], bytes: Uint8Array, what: string): void {
  const row = decodeBinaryRow(types, bytes, { what });
  const reserved = hex(encodeBinaryRow(types, row));
  if (reserved === hex(bytes)) return;
  const zeroed = hex(new BinaryRowWriter(types, { reserveNullVariableParts: false }).encode(row));
  expect(zeroed, what).toBe(hex(bytes));
  forms.zeroed++;
}

const forms = { zeroed: 0 };

describe("BinaryRows in Java manifests re-encode byte for byte", () => {
  for (const { name, dir } of vectorTables()) {
    it(name, () => {
      const byId = schemas(dir);
      let rows = 0;
      for (const f of readdirSync(join(dir, "manifest"))) {
        const bytes = new Uint8Array(readFileSync(join(dir, "manifest", f)));
        if (f.startsWith("manifest-list-")) {
          for (const m of decodeManifestList(bytes, f)) {
            const schema = byId.get(Number(m.schemaId))!;
            const partTypes = TableSchemas.partitionFields(schema).map((x) => x.type);
            expectSameBytes(partTypes, m.partitionStats.minValues, `${f} partition min`);
            expectSameBytes(partTypes, m.partitionStats.maxValues, `${f} partition max`);
            rows += 2;
          }
        } else if (f.startsWith("manifest-")) {
          for (const e of decodeManifestEntries(bytes, f)) {
            const schema = byId.get(Number(e.file.schemaId))!;
            const partTypes = TableSchemas.partitionFields(schema).map((x) => x.type);
            const keyTypes = TableSchemas.isPrimaryKeyTable(schema)
              ? TableSchemas.fields(schema, TableSchemas.trimmedPrimaryKeys(schema)).map((x) => x.type)
              : [];
            const statsCols = e.file.valueStatsCols;
            // Without _VALUE_STATS_COLS, stats cover every field — except that writers
            // before 1.0 left nested types (ARRAY, MAP, MULTISET, ROW) out of stats rows.
            const allTypes = (statsCols === null ? schema.fields : TableSchemas.fields(schema, statsCols)).map((x) => x.type);
            const flatTypes = allTypes.filter((t) => !NESTED.has(t.root));
            const at = `${f} ${e.file.fileName}`;
            expectSameBytes(partTypes, e.partition, `${at} partition`);
            expectSameBytes(keyTypes, e.file.minKey, `${at} min key`);
            expectSameBytes(keyTypes, e.file.maxKey, `${at} max key`);
            // Stats rows are empty when the writer kept no stats for that group.
            for (const [types, stats, label] of [
              [keyTypes, e.file.keyStats, "key stats"],
              [allTypes, e.file.valueStats, "value stats"],
            ] as const) {
              for (const [side, b] of [
                ["min", stats.minValues],
                ["max", stats.maxValues],
              ] as const) {
                const arity = new DataView(b.buffer, b.byteOffset, b.byteLength).getInt32(0, false);
                const candidates = label === "key stats" ? [types] : [allTypes, flatTypes];
                const match = candidates.find((t) => t.length === arity) ?? (arity === 0 ? [] : undefined);
                expect(match, `${at} ${label} ${side}: arity ${arity}`).toBeDefined();
                expectSameBytes(match!, b, `${at} ${label} ${side}`);
              }
            }
            rows += 9;
          }
        }
      }
      expect(rows).toBeGreaterThan(0);
    });
  }

  it("saw both of Java's null forms", () => {
    // parquet_append_table's older stats rows use the zeroed-slot form.
    expect(forms.zeroed).toBeGreaterThan(0);
  });
});

describe("ORC manifests re-encoded as Avro lose nothing", () => {
  for (const { name, dir } of vectorTables()) {
    const orc = readdirSync(join(dir, "manifest")).filter((f) => {
      const b = readFileSync(join(dir, "manifest", f));
      return b.subarray(0, 3).toString("latin1") === "ORC";
    });
    if (orc.length === 0) continue;
    it(`${name}: ${orc.length} ORC files`, () => {
      for (const f of orc) {
        const bytes = new Uint8Array(readFileSync(join(dir, "manifest", f)));
        if (f.startsWith("manifest-list-")) {
          const metas = decodeManifestList(bytes, f);
          expect(decodeManifestList(encodeManifestList(metas), f)).toEqual(metas);
        } else {
          const entries = decodeManifestEntries(bytes, f);
          expect(decodeManifestEntries(encodeManifestEntries(entries), f)).toEqual(entries);
        }
      }
    });
  }
});
