/**
 * Rows of one schema held column by column in growable typed arrays: what the write
 * buffer keeps instead of one KeyValue object (plus its key array, row array, boxed
 * doubles and bigints) per record. A buffer of a million rows as objects is millions of
 * long-lived heap objects that every garbage collection copies or marks; as columns it is
 * a handful of arrays, and only strings and other object values stay objects.
 *
 * Numbers are stored exactly: integral types and DATE/TIME in Int32Array, FLOAT (already
 * rounded to float32 by the normalizer) and DOUBLE in Float64Array (keeping -0.0 and NaN),
 * BIGINT in BigInt64Array (the normalizer guarantees 64-bit range). Every other type keeps
 * its values as they came. Nulls are a byte per row and column.
 */
import type { DataType, Row, RowKind, Value } from "@streamhouse/format";

type Store =
  | { readonly kind: "int"; data: Int32Array }
  | { readonly kind: "double"; data: Float64Array }
  | { readonly kind: "bigint"; data: BigInt64Array }
  | { readonly kind: "value"; data: (Value | null)[] };

function newStore(type: DataType, capacity: number): Store {
  switch (type.root) {
    case "TINYINT":
    case "SMALLINT":
    case "INT":
    case "DATE":
    case "TIME":
      return { kind: "int", data: new Int32Array(capacity) };
    case "FLOAT":
    case "DOUBLE":
      return { kind: "double", data: new Float64Array(capacity) };
    case "BIGINT":
      return { kind: "bigint", data: new BigInt64Array(capacity) };
    default:
      return { kind: "value", data: [] };
  }
}

function grown<T extends Int32Array | Float64Array | BigInt64Array | Uint8Array>(old: T, capacity: number, make: (n: number) => T): T {
  const next = make(capacity);
  next.set(old as never);
  return next;
}

const INITIAL_CAPACITY = 1024;

export class RowColumns {
  private capacity = INITIAL_CAPACITY;
  private count = 0;
  private stores: Store[];
  private nulls: Uint8Array[];
  private kinds = new Uint8Array(INITIAL_CAPACITY);
  private sequences = new BigInt64Array(INITIAL_CAPACITY);

  constructor(private readonly types: readonly DataType[]) {
    this.stores = types.map((t) => newStore(t, INITIAL_CAPACITY));
    this.nulls = types.map(() => new Uint8Array(INITIAL_CAPACITY));
  }

  get length(): number {
    return this.count;
  }

  /** Appends a row of `types.length` normalized values. */
  push(kind: RowKind, sequenceNumber: bigint, row: Row): void {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    this.kinds[i] = kind;
    this.sequences[i] = sequenceNumber;
    const stores = this.stores;
    for (let j = 0; j < stores.length; j++) {
      const v = row[j] ?? null;
      const store = stores[j]!;
      if (v === null) {
        this.nulls[j]![i] = 1;
        if (store.kind === "value") store.data.push(null);
        continue;
      }
      this.nulls[j]![i] = 0;
      switch (store.kind) {
        case "int":
        case "double":
          store.data[i] = v as number;
          break;
        case "bigint":
          store.data[i] = v as bigint;
          break;
        case "value":
          store.data.push(v);
          break;
      }
    }
  }

  kindAt(i: number): RowKind {
    return this.kinds[i]! as RowKind;
  }

  sequenceAt(i: number): bigint {
    return this.sequences[i]!;
  }

  /** Value `i` of column `j`. */
  valueAt(j: number, i: number): Value | null {
    if (this.nulls[j]![i] === 1) return null;
    const store = this.stores[j]!;
    return store.data[i] ?? null;
  }

  /** Row `i` as a new array. */
  row(i: number): (Value | null)[] {
    const out: (Value | null)[] = new Array(this.stores.length);
    for (let j = 0; j < out.length; j++) out[j] = this.valueAt(j, i);
    return out;
  }

  /** Forgets every row; the arrays stay allocated for the next rows. */
  clear(): void {
    this.count = 0;
    for (const s of this.stores) if (s.kind === "value") s.data = [];
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    this.kinds = grown(this.kinds, capacity, (n) => new Uint8Array(n));
    this.sequences = grown(this.sequences, capacity, (n) => new BigInt64Array(n));
    this.nulls = this.nulls.map((a) => grown(a, capacity, (n) => new Uint8Array(n)));
    for (const s of this.stores) {
      if (s.kind === "int") s.data = grown(s.data, capacity, (n) => new Int32Array(n));
      else if (s.kind === "double") s.data = grown(s.data, capacity, (n) => new Float64Array(n));
      else if (s.kind === "bigint") s.data = grown(s.data, capacity, (n) => new BigInt64Array(n));
    }
    this.capacity = capacity;
  }

  /** The column types, by position. */
  get columnTypes(): readonly DataType[] {
    return this.types;
  }

  /** Column `j` of the rows so far: views of the stored arrays, valid until the next push or clear. */
  column(j: number): StoredColumn {
    const n = this.count;
    const nulls = this.nulls[j]!.subarray(0, n);
    const store = this.stores[j]!;
    switch (store.kind) {
      case "int":
        return { kind: "int", data: store.data.subarray(0, n), nulls };
      case "double":
        return { kind: "double", data: store.data.subarray(0, n), nulls };
      case "bigint":
        return { kind: "bigint", data: store.data.subarray(0, n), nulls };
      case "value":
        return { kind: "value", values: store.data, nulls };
    }
  }

  /** Row kinds of the rows so far (a view). */
  kindsView(): Uint8Array {
    return this.kinds.subarray(0, this.count);
  }

  /** Sequence numbers of the rows so far (a view). */
  sequencesView(): BigInt64Array {
    return this.sequences.subarray(0, this.count);
  }
}

/** One stored column: `nulls[i]` is 1 where row i is null (the data slot is then meaningless). */
export type StoredColumn =
  | { readonly kind: "int"; readonly data: Int32Array; readonly nulls: Uint8Array }
  | { readonly kind: "double"; readonly data: Float64Array; readonly nulls: Uint8Array }
  | { readonly kind: "bigint"; readonly data: BigInt64Array; readonly nulls: Uint8Array }
  | { readonly kind: "value"; readonly values: readonly (Value | null)[]; readonly nulls: Uint8Array };
