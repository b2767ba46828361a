/**
 * Seeded corruptions of a file's bytes, the kinds real storage produces: a cut-off
 * tail (torn write), flipped bits, overwritten runs, bytes dropped or duplicated in the
 * middle, and lengths made absurd.
 */
import type { Prng } from "./prng.js";

export type Corruption = { readonly kind: string; readonly bytes: Uint8Array };

export function corrupt(original: Uint8Array, rng: Prng): Corruption {
  const n = original.length;
  const at = n === 0 ? 0 : rng.int(0, n - 1);
  switch (rng.int(0, 5)) {
    case 0:
      return { kind: `truncate@${at}`, bytes: original.slice(0, at) };
    case 1: {
      const b = original.slice();
      b[at] = (b[at] ?? 0) ^ (1 << rng.int(0, 7));
      return { kind: `flip@${at}`, bytes: b };
    }
    case 2: {
      const b = original.slice();
      const len = rng.int(1, 16);
      b.set(rng.bytes(Math.min(len, n - at)), at);
      return { kind: `overwrite@${at}+${len}`, bytes: b };
    }
    case 3: {
      const len = Math.min(rng.int(1, 32), n - at);
      const b = new Uint8Array(n - len);
      b.set(original.subarray(0, at));
      b.set(original.subarray(at + len), at);
      return { kind: `drop@${at}+${len}`, bytes: b };
    }
    case 4: {
      const len = rng.int(1, 32);
      const chunk = original.subarray(at, at + len);
      const b = new Uint8Array(n + chunk.length);
      b.set(original.subarray(0, at + chunk.length));
      b.set(chunk, at + chunk.length);
      b.set(original.subarray(at + chunk.length), at + 2 * chunk.length);
      return { kind: `dup@${at}+${len}`, bytes: b };
    }
    default: {
      // Absurd lengths: 0xff/0x7f runs look like huge varints and negative sizes.
      const b = original.slice();
      const len = Math.min(rng.int(1, 8), n - at);
      b.fill(rng.bool() ? 0xff : 0x7f, at, at + len);
      return { kind: `absurd@${at}+${len}`, bytes: b };
    }
  }
}
