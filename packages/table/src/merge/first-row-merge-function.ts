/**
 * `merge-engine = first-row` (mirrors `FirstRowMergeFunction`, release 2.0.0): the
 * first version (in version order) wins; later versions of the key are ignored.
 *
 * First-row cannot retract: a -U or -D input is an error unless `ignore-delete` is
 * set (also spelled `first-row.ignore-delete` by older releases; CoreOptions reads
 * both), in which case retractions are skipped. A key with only skipped retractions
 * yields null. Java throws IllegalArgumentException; we throw Unsupported.
 */
import { ErrorKind, StreamhouseError } from "@streamhouse/format";
import type { KeyValue } from "../kv/key-value.js";
import type { MergeFunction } from "./merge-function.js";
import { isRetract } from "./merge-function.js";

export class FirstRowMergeFunction implements MergeFunction {
  private first: KeyValue | null = null;

  constructor(private readonly ignoreDelete: boolean) {}

  reset(): void {
    this.first = null;
  }

  add(kv: KeyValue): void {
    if (isRetract(kv)) {
      if (this.ignoreDelete) return;
      throw new StreamhouseError(
        ErrorKind.Unsupported,
        "the first-row merge engine cannot accept DELETE/UPDATE_BEFORE records; set 'ignore-delete' = 'true' to ignore them",
        { context: { mergeEngine: "first-row", valueKind: kv.valueKind, sequenceNumber: kv.sequenceNumber } },
      );
    }
    if (this.first === null) this.first = kv;
  }

  getResult(): KeyValue | null {
    return this.first;
  }
}
