/**
 * When `write` checkpoints: after N rows, or when a duration passed since the last
 * checkpoint with rows waiting. Default: every 1,000,000 rows or 60 s, whichever first.
 */
import { UsageError } from "../cli-context.js";

export interface CheckpointPolicy {
  /** Checkpoint after this many rows (null: no row limit). */
  readonly rows: number | null;
  /** Checkpoint when this many ms passed since the last one and rows are waiting (null: no time limit). */
  readonly ms: number | null;
}

export const DEFAULT_POLICY: CheckpointPolicy = { rows: 1_000_000, ms: 60_000 };

const DURATION_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

export function parseCheckpointInterval(text: string | undefined): CheckpointPolicy {
  if (text === undefined) return DEFAULT_POLICY;
  const rows = /^(\d+)\s*(?:rows?)?$/.exec(text.trim());
  if (rows !== null) {
    const n = Number(rows[1]);
    if (n < 1 || !Number.isSafeInteger(n)) throw new UsageError(`--checkpoint-interval must be at least 1 row, got "${text}"`);
    return { rows: n, ms: null };
  }
  const d = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h)$/.exec(text.trim());
  if (d === null) throw new UsageError(`--checkpoint-interval takes a row count (100000) or a duration (500ms, 10s, 2m), got "${text}"`);
  const ms = Number(d[1]) * DURATION_MS[d[2]!]!;
  if (!(ms >= 1)) throw new UsageError(`--checkpoint-interval must be at least 1ms, got "${text}"`);
  return { rows: null, ms };
}
