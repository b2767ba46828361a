/** Rows per second, rounded; 0 before any time passed. */
export function rate(count: number, ms: number): number {
  return ms <= 0 ? 0 : Math.round((count * 1000) / ms);
}

/** A count with thousands separators, for people. */
export function fmt(n: number): string {
  return n.toLocaleString("en-US");
}
