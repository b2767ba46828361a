/**
 * `listagg` (mirrors `FieldListaggAgg`, release 2.0.0), for VARCHAR/STRING fields only:
 * joins the values with `fields.<f>.list-agg-delimiter` (default ","). Nulls and empty
 * strings are skipped. With `fields.<f>.distinct = true`, the input is split on the
 * delimiter and each non-empty token is appended unless it occurs in the accumulator
 * as it was before this input — Java tests `BinaryString.contains`, a substring
 * test, so "ab" is not appended to "xaby". No retraction.
 */
import type { DataField, Value } from "@streamhouse/format";
import { BaseFieldAggregator } from "./field-aggregator.js";

export class ListaggAggregator extends BaseFieldAggregator {
  static readonly NAME = "listagg";

  constructor(
    field: DataField,
    private readonly delimiter: string,
    private readonly distinct: boolean,
  ) {
    super(ListaggAggregator.NAME, field);
  }

  agg(acc: Value | null, input: Value | null): Value | null {
    if (acc === null || input === null) return acc === null ? input : acc;
    const a = acc as string;
    const s = input as string;
    if (s.length === 0) return a;
    if (a.length === 0) return s;
    if (!this.distinct) return a + this.delimiter + s;
    let out = a;
    for (const token of splitPreservingTokens(s, this.delimiter)) {
      if (token.length === 0 || a.includes(token)) continue;
      out += this.delimiter + token;
    }
    return out;
  }
}

/** Commons-lang `splitByWholeSeparatorPreserveAllTokens`: an empty separator splits on whitespace. */
function splitPreservingTokens(s: string, delimiter: string): string[] {
  return delimiter.length === 0 ? s.split(/\s/) : s.split(delimiter);
}
