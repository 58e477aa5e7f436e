/** A small deterministic pseudo-random generator (mulberry32): the same seed gives the same sequence. */
export interface SeededRandom {
  /** Next float in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** A key of `weights` drawn in proportion to its weight (weights ≥ 0, at least one > 0). */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
}

/** FNV-1a hash of a string, used to derive independent random streams from names. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Creates a generator for `seed` mixed with `salt` (a number or a string such as `supplierId/poNumber/r2`). */
export function seededRandom(seed: number, salt: number | string = 0): SeededRandom {
  const s = typeof salt === 'string' ? hashString(salt) : salt;
  let state = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(s | 0, 0x85ebca6b) ^ 0x6d2b79f5) >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => p > 0 && next() < p,
    weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
      const entries = (Object.entries(weights) as Array<[K, number]>).filter(([, w]) => w > 0);
      if (entries.length === 0) throw new RangeError('weighted() needs at least one positive weight');
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let x = next() * total;
      for (const [key, w] of entries) {
        x -= w;
        if (x < 0) return key;
      }
      return entries[entries.length - 1]![0];
    },
  };
}
