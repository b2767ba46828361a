// Timing helpers for benchmarks: warm up, then take the best of several runs
// (the least disturbed by other load on a shared machine), and peak RSS.

/** Runs fn() `warmup` times, then `runs` times; returns the fastest run in ms. */
export async function bestOf(fn, { warmup = 1, runs = 5 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.();
    const t0 = process.hrtime.bigint();
    await fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    best = Math.min(best, ms);
  }
  return best;
}

export const perSecond = (count, ms) => Math.round((count * 1000) / ms);

export function fmt(n) {
  return n.toLocaleString("en-US");
}

export function peakRssMiB() {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
