/**
 * `merge-engine = deduplicate` (mirrors `DeduplicateMergeFunction`, release 2.0.0):
 * the last version wins, whatever its kind — a -D or -U that is last makes the
 * result a tombstone. With `ignore-delete`, retractions are skipped as if never
 * written (files of Paimon ≤ 0.7 may hold them even though the writer should have
 * dropped them), so the last +I/+U wins and a key with only retractions yields null.
 */
import type { KeyValue } from "../kv/key-value.js";
import type { MergeFunction } from "./merge-function.js";
import { isRetract } from "./merge-function.js";

export class DeduplicateMergeFunction implements MergeFunction {
  private latest: KeyValue | null = null;

  constructor(private readonly ignoreDelete: boolean) {}

  reset(): void {
    this.latest = null;
  }

  add(kv: KeyValue): void {
    if (this.ignoreDelete && isRetract(kv)) return;
    this.latest = kv;
  }

  getResult(): KeyValue | null {
    return this.latest;
  }
}
