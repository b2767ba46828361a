/**
 * Seeded random scripts of table operations for the read interop test: a table of one
 * merge engine (or an append table) with 0–2 partition columns, 1–3 fixed buckets or
 * dynamic buckets, optionally deletion vectors and a changelog producer; then 3–8
 * writes of upserts and deletes over a small key space, with occasional compactions
 * and schema changes (add, rename or drop a column, widen INT to BIGINT), and tags.
 * Pure: the same seed always gives the same script.
 */
import type { JsonRow, JsonValue, PaimonOp, PaimonScript, SchemaChangeSpec } from "./paimon-java.js";

/** mulberry32: a tiny PRNG; good enough to pick test cases, and reproducible from a 32-bit seed. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }

  /** `n` distinct elements of `xs`, in the order of `xs`. */
  some<T>(xs: readonly T[], n: number): T[] {
    const idx = xs.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    return idx
      .slice(0, n)
      .sort((a, b) => a - b)
      .map((i) => xs[i]!);
  }
}

export const ENGINES = ["deduplicate", "first-row", "partial-update", "aggregation", "append"] as const;
export type Engine = (typeof ENGINES)[number];

type ValueType = "INT" | "BIGINT" | "STRING" | "DOUBLE" | "DECIMAL(10, 2)" | "BOOLEAN" | "DATE" | "TIMESTAMP(3)";

interface Column {
  name: string;
  type: ValueType;
  role: "key" | "partition" | "value";
  /** Named by a table option (sequence field, sequence group, aggregate function): never renamed or retyped. */
  pinned: boolean;
}

export interface InteropCase {
  readonly seed: number;
  readonly engine: Engine;
  /** One line: the table's shape and options, for failure messages and the summary. */
  readonly description: string;
  readonly script: PaimonScript;
}

const STRINGS = ["a", "b", "zz", "é", "日本", "", "x y", "Paimon"];

function randomValue(rng: Prng, type: ValueType): JsonValue {
  switch (type) {
    case "INT":
      return rng.int(-3, 20);
    case "BIGINT":
      // Now and then beyond 2^53, where the JSON form is a string.
      return rng.chance(0.1) ? String(9007199254740993n + BigInt(rng.int(0, 1000))) : rng.int(-1000, 100000);
    case "STRING":
      return rng.pick(STRINGS);
    case "DOUBLE":
      return rng.int(-40, 40) / 4;
    case "DECIMAL(10, 2)": {
      const cents = rng.int(-99999, 99999);
      const sign = cents < 0 ? "-" : "";
      const abs = Math.abs(cents);
      return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
    }
    case "BOOLEAN":
      return rng.chance(0.5);
    case "DATE":
      return `2024-0${rng.int(1, 9)}-1${rng.int(0, 9)}`;
    case "TIMESTAMP(3)":
      return `2024-05-0${rng.int(1, 9)}T1${rng.int(0, 9)}:0${rng.int(0, 9)}:3${rng.int(0, 9)}.${rng.int(100, 999)}`;
  }
}

const VALUE_POOL: readonly { name: string; type: ValueType }[] = [
  { name: "v", type: "INT" },
  { name: "s", type: "STRING" },
  { name: "n", type: "BIGINT" },
  { name: "d", type: "DECIMAL(10, 2)" },
  { name: "x", type: "DOUBLE" },
  { name: "b", type: "BOOLEAN" },
  { name: "dt", type: "DATE" },
  { name: "ts", type: "TIMESTAMP(3)" },
];

/** Aggregate functions by the types they take; those that cannot retract get `ignore-retract` when deletes are retracted. */
const AGGREGATES: Readonly<Record<string, readonly string[]>> = {
  INT: ["sum", "min", "max", "last_value", "last_non_null_value", "first_value", "product"],
  BIGINT: ["sum", "min", "max", "last_non_null_value", "first_non_null_value"],
  "DECIMAL(10, 2)": ["sum", "min", "max", "last_value"],
  DOUBLE: ["sum", "min", "max", "product", "last_non_null_value"],
  STRING: ["listagg", "min", "max", "last_value", "last_non_null_value", "first_value", "first_non_null_value"],
  BOOLEAN: ["bool_or", "bool_and", "last_value"],
};
const RETRACTABLE = new Set(["sum", "product", "last_value", "last_non_null_value"]);

/** The table of a seed: schema, options, and how its writes may delete. */
interface TableShape {
  engine: Engine;
  columns: Column[];
  primaryKeys: string[];
  partitionKeys: string[];
  options: Record<string, string>;
  /** Row kinds writes may use. */
  kinds: readonly string[];
}

function shape(rng: Prng): TableShape {
  const engine = rng.pick(ENGINES);
  const partitions = rng.some(
    [
      { name: "p", type: "STRING" as const },
      { name: "q", type: "INT" as const },
    ],
    rng.int(0, 2),
  );
  const columns: Column[] = [
    { name: "k", type: "INT", role: "key", pinned: true },
    ...partitions.map((p) => ({ ...p, role: "partition" as const, pinned: true })),
  ];
  const options: Record<string, string> = {};
  const pk = engine !== "append";
  let kinds: readonly string[] = ["+I", "+I", "+I", "+U", "-U", "-D", "-D"];

  const bucket = rng.pick(pk ? [1, 2, 3, -1] : [1, 2, 3, -1, -1]);
  options["bucket"] = String(bucket);
  if (!pk && bucket > 0) options["bucket-key"] = "k";

  const addValues = (n: number): void => {
    for (const c of rng.some(VALUE_POOL, n)) columns.push({ ...c, role: "value", pinned: false });
  };

  switch (engine) {
    case "append":
      addValues(rng.int(2, 4));
      kinds = ["+I"];
      break;
    case "deduplicate":
      addValues(rng.int(2, 4));
      if (rng.chance(0.2)) {
        columns.push({ name: "sq", type: "INT", role: "value", pinned: true });
        options["sequence.field"] = "sq";
      }
      if (rng.chance(0.15)) options["ignore-delete"] = "true";
      break;
    case "first-row":
      addValues(rng.int(2, 3));
      if (rng.chance(0.7)) options["ignore-delete"] = "true";
      else kinds = ["+I", "+I", "+U"];
      break;
    case "partial-update":
      if (rng.chance(0.5)) {
        // Sequence groups: g1 guards a, b; g2 guards c (optionally summed); u is outside.
        columns.push(
          { name: "g1", type: "INT", role: "value", pinned: true },
          { name: "a", type: "INT", role: "value", pinned: true },
          { name: "b", type: "STRING", role: "value", pinned: true },
          { name: "g2", type: "INT", role: "value", pinned: true },
          { name: "c", type: "BIGINT", role: "value", pinned: true },
          { name: "u", type: "STRING", role: "value", pinned: false },
        );
        options["fields.g1.sequence-group"] = "a,b";
        options["fields.g2.sequence-group"] = "c";
        if (rng.chance(0.5)) options["fields.c.aggregate-function"] = "sum";
      } else {
        addValues(rng.int(2, 4));
        if (rng.chance(0.2)) {
          columns.push({ name: "sq", type: "INT", role: "value", pinned: true });
          options["sequence.field"] = "sq";
        }
        const deletes = rng.pick(["none", "ignore-delete", "partial-update.remove-record-on-delete"]);
        if (deletes === "none") kinds = ["+I", "+I", "+U"];
        else options[deletes] = "true";
      }
      break;
    case "aggregation": {
      const chosen = rng.some(
        VALUE_POOL.filter((c) => AGGREGATES[c.type] !== undefined),
        rng.int(2, 5),
      );
      const deletes = rng.pick(["none", "retract", "aggregation.remove-record-on-delete", "ignore-delete"]);
      if (deletes === "none") kinds = ["+I", "+I", "+U"];
      else if (deletes !== "retract") options[deletes] = "true";
      for (const c of chosen) {
        // One column in five keeps the default (last_non_null_value).
        if (rng.chance(0.2)) {
          columns.push({ ...c, role: "value", pinned: false });
          continue;
        }
        const fn = rng.pick(AGGREGATES[c.type]!);
        columns.push({ ...c, role: "value", pinned: true });
        options[`fields.${c.name}.aggregate-function`] = fn;
        if (fn === "listagg" && rng.chance(0.5)) options[`fields.${c.name}.list-agg-delimiter`] = "|";
        if (deletes === "retract" && !RETRACTABLE.has(fn)) options[`fields.${c.name}.ignore-retract`] = "true";
      }
      break;
    }
  }

  if (pk) {
    const dv = rng.chance(0.25);
    if (dv) options["deletion-vectors.enabled"] = "true";
    // Paimon: deletion vectors work with none/input/lookup only.
    const producer = rng.pick(["none", "none", "none", "input", "input", "lookup", "lookup", ...(dv ? [] : ["full-compaction"])]);
    if (producer !== "none") options["changelog-producer"] = producer;
    // Fewer sorted runs before Paimon compacts on its own: more levels, more merging.
    if (rng.chance(0.3)) options["num-sorted-run.compaction-trigger"] = String(rng.int(2, 4));
  }
  // A small write buffer that cannot spill: a large write flushes several files per
  // bucket in one commit (several level-0 runs, or several append files, per snapshot).
  if (rng.chance(0.2)) {
    options["write-buffer-size"] = "256 kb";
    options["write-buffer-spillable"] = "false";
  }
  return {
    engine,
    columns,
    primaryKeys: pk ? ["k", ...partitions.map((p) => p.name)] : [],
    partitionKeys: partitions.map((p) => p.name),
    options,
    kinds,
  };
}

function randomRow(rng: Prng, t: TableShape, keySpace: number): JsonRow {
  const kind = rng.pick(t.kinds);
  const row: JsonRow = {};
  if (t.engine !== "append") row["_row_kind"] = kind;
  for (const c of t.columns) {
    if (c.role === "key") row[c.name] = rng.int(0, keySpace - 1);
    else if (c.role === "partition") row[c.name] = c.type === "STRING" ? rng.pick(["a", "b"]) : rng.int(1, 2);
    else row[c.name] = rng.chance(0.15) ? null : randomValue(rng, c.type);
  }
  return row;
}

/** A schema change that keeps the table's options meaningful, or null if none applies. */
function schemaChange(rng: Prng, t: TableShape, n: number): SchemaChangeSpec | null {
  const free = t.columns.filter((c) => c.role === "value" && !c.pinned);
  const ints = free.filter((c) => c.type === "INT");
  const choice = rng.pick(["add", "add", "rename", "widen", "drop"]);
  if (choice === "drop" && free.length > 1) {
    const c = rng.pick(free);
    t.columns.splice(t.columns.indexOf(c), 1);
    return { dropColumn: c.name };
  }
  if (choice === "rename" && free.length > 0) {
    const c = rng.pick(free);
    const to = `${c.name}_r${n}`;
    const from = c.name;
    c.name = to;
    return { renameColumn: { from, to } };
  }
  if (choice === "widen" && ints.length > 0) {
    const c = rng.pick(ints);
    c.type = "BIGINT";
    return { updateColumnType: { name: c.name, type: "BIGINT" } };
  }
  const type = rng.pick<ValueType>(["INT", "STRING", "BIGINT", "DOUBLE"]);
  const name = `c${n}`;
  t.columns.push({ name, type, role: "value", pinned: false });
  return { addColumn: { name, type } };
}

export function interopCase(seed: number, warehouse: string): InteropCase {
  const rng = new Prng(seed);
  const t = shape(rng);
  const ops: PaimonOp[] = [
    {
      op: "create",
      schema: {
        fields: t.columns.map((c) => ({ name: c.name, type: c.role === "value" ? c.type : `${c.type} NOT NULL` })),
        primaryKeys: t.primaryKeys,
        partitionKeys: t.partitionKeys,
        options: { ...t.options },
      },
    },
  ];
  const keySpace = rng.int(3, 8);
  const writes = rng.int(3, 8);
  let changes = 0;
  let tags = 0;
  // Tags need a snapshot; a write of deletes alone into an ignore-delete table makes none.
  let committed = false;
  for (let w = 0; w < writes; w++) {
    if (changes < 2 && w > 0 && rng.chance(0.2)) {
      const change = schemaChange(rng, t, changes);
      if (change !== null) {
        ops.push({ op: "alter", changes: [change] });
        changes++;
      }
    }
    // Now and then a large write: more files, pages and row groups, a wider key range.
    const large = rng.chance(0.05);
    const rows = Array.from({ length: large ? rng.int(1000, 2500) : rng.int(1, 10) }, () => randomRow(rng, t, large ? 2000 : keySpace));
    if (t.engine !== "append" && t.kinds.includes("-D") && rng.chance(0.1)) {
      ops.push({ op: "delete", rows: rows.map(({ _row_kind, ...r }) => r) });
    } else if (rng.chance(0.06)) {
      // INSERT OVERWRITE of one partition (or the whole table): an OVERWRITE snapshot.
      const spec: Record<string, string> = {};
      const first = rows[0]!;
      for (const p of t.partitionKeys) if (rng.chance(0.7)) spec[p] = String(first[p]);
      const inSpec = rows.filter((r) => Object.entries(spec).every(([k, v]) => String(r[k]) === v));
      ops.push({ op: "write", rows: inSpec.map(({ _row_kind, ...r }) => r), overwrite: spec });
      committed = true;
    } else {
      ops.push({ op: "write", rows });
      committed ||= rows.some((r) => r["_row_kind"] === undefined || r["_row_kind"] === "+I" || r["_row_kind"] === "+U") || !t.options["ignore-delete"];
    }
    if (rng.chance(0.15)) ops.push({ op: "compact", full: rng.chance(0.8) });
    if (committed && rng.chance(0.15)) ops.push({ op: "tag", name: `tag-${tags++}` });
  }
  const opts = Object.entries(t.options)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  const description =
    `${t.engine}: ${t.columns.map((c) => `${c.name} ${c.type}`).join(", ")}` +
    ` | pk [${t.primaryKeys.join(", ")}] partitions [${t.partitionKeys.join(", ")}] | ${opts} | ${writes} writes, ${changes} schema changes`;
  return { seed, engine: t.engine, description, script: { warehouse, database: "db", table: "t", ops } };
}
