/**
 * Progress of `write` on stderr: a live line redrawn in place with rows and rows/s on a
 * terminal ("live"), else one plain line per committed checkpoint and one every 10 s
 * between them ("plain"), or nothing ("none"). `auto` picks live when stderr is a TTY.
 * When the input's size is known (a file), the live line starts with a bar of the share
 * of it read so far.
 */
import { type Output, UsageError } from "../cli-context.js";
import { fmt, rate } from "./rates.js";

export type ProgressMode = "live" | "plain" | "none";

const PLAIN_PROGRESS_MS = 10_000;
const LIVE_PROGRESS_MS = 200;
const BAR_WIDTH = 24;

/** `[#######-----------------]  30%` for a share in [0, 1]. */
export function progressBar(share: number): string {
  const clamped = Math.min(1, Math.max(0, share));
  const done = Math.round(clamped * BAR_WIDTH);
  return `[${"#".repeat(done)}${"-".repeat(BAR_WIDTH - done)}] ${String(Math.floor(clamped * 100)).padStart(3)}%`;
}

export class Progress {
  private lastDrawMs = 0;
  private lastLineMs = Date.now();
  private lastCheckpoint = "no checkpoint yet";
  /** The share of the input read so far, when its size is known. */
  private share: (() => number) | null = null;

  constructor(
    private readonly err: Output,
    private readonly mode: ProgressMode,
  ) {}

  /** Shows a bar of how much of the input was read (`share` returns 0..1). */
  trackInput(share: () => number): void {
    this.share = share;
  }

  note(text: string): void {
    if (this.mode !== "none") this.line(text);
  }

  rows(rows: number, startedMs: number): void {
    const now = Date.now();
    if (this.mode === "live" && now - this.lastDrawMs >= LIVE_PROGRESS_MS) this.draw(rows, startedMs, now);
    else if (this.mode === "plain" && now - this.lastLineMs >= PLAIN_PROGRESS_MS) this.line(`${fmt(rows)} rows, ${fmt(rate(rows, now - startedMs))} rows/s (${this.lastCheckpoint})`);
  }

  checkpoint(identifier: bigint, records: number, snapshotIds: readonly number[], rows: number, startedMs: number): void {
    const now = Date.now();
    const snapshots = snapshotIds.length === 0 ? "no snapshot (empty)" : `snapshot ${snapshotIds.join(",")}`;
    this.lastCheckpoint = `checkpoint ${identifier} at input record ${fmt(records)}`;
    if (this.mode === "live") this.draw(rows, startedMs, now);
    else if (this.mode === "plain") {
      this.line(`checkpoint ${identifier} committed: input records ${records}, ${snapshots}, ${fmt(rows)} rows, ${fmt(rate(rows, now - startedMs))} rows/s`);
    }
  }

  finish(): void {
    if (this.mode === "live" && this.lastDrawMs > 0) this.err.write("\n");
    this.lastDrawMs = 0;
  }

  private draw(rows: number, startedMs: number, now: number): void {
    this.lastDrawMs = now;
    const bar = this.share === null ? "" : `${progressBar(this.share())} `;
    this.err.write(`\r\x1b[K${bar}${fmt(rows)} rows, ${fmt(rate(rows, now - startedMs))} rows/s — ${this.lastCheckpoint}`);
  }

  private line(text: string): void {
    if (this.mode === "live" && this.lastDrawMs > 0) this.err.write("\r\x1b[K");
    this.lastDrawMs = 0;
    this.lastLineMs = Date.now();
    this.err.write(`streamhouse write: ${text}\n`);
  }
}

export function parseProgress(text: string | undefined): ProgressMode {
  if (text === undefined || text === "auto") return process.stderr.isTTY === true ? "live" : "plain";
  if (text === "live" || text === "plain" || text === "none") return text;
  throw new UsageError("--progress must be one of auto, live, plain, none");
}
