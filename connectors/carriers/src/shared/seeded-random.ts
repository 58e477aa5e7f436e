/** A deterministic generator of numbers in [0, 1) (mulberry32): the same seed always gives the same sequence. */
export type SeededRandom = () => number;

/** Creates a deterministic generator from a 32-bit seed. */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit FNV-1a hash of the parts, used to derive a stable seed per entity (e.g. per tracking number). */
export function hashSeed(...parts: ReadonlyArray<string | number>): number {
  let hash = 0x811c9dc5;
  for (const char of parts.join('\u0000')) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A whole number in [0, max) drawn from the generator. */
export function randomInt(random: SeededRandom, max: number): number {
  return Math.floor(random() * max);
}

/** One element of a non-empty list, drawn from the generator. */
export function pick<T>(random: SeededRandom, items: readonly [T, ...T[]]): T {
  return items[randomInt(random, items.length)] ?? items[0];
}
