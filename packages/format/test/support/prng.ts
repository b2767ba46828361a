/**
 * A small seeded pseudo-random generator (SplitMix32 then xorshift-style mixing) for
 * tests that must be reproducible: every randomized test takes a seed, prints it on
 * failure, and can be re-run with STREAMHOUSE_SEED=<seed>.
 */
export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** An integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[this.int(0, items.length - 1)]!;
  }

  bool(pTrue = 0.5): boolean {
    return this.next() < pTrue;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.nextU32() & 0xff;
    return out;
  }
}

/** Seeds for a randomized test: STREAMHOUSE_SEED pins one, else `count` seeds from `base`. */
export function testSeeds(base: number, count: number): number[] {
  const pinned = process.env["STREAMHOUSE_SEED"];
  if (pinned !== undefined) return [Number(pinned)];
  return Array.from({ length: count }, (_, i) => base + i);
}

/**
 * mulberry32 as a bare function of the seed: the generator the codec and merge tests
 * have always used, kept bit-for-bit so their seeds replay the same inputs.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
