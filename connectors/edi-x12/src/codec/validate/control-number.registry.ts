/**
 * Duplicate detection for inbound interchange control numbers, per partner (sender qualifier + id). Production
 * wires a durable implementation (a unique index); the in-memory default remembers for the life of the object.
 */

/** Records interchange control numbers seen from each partner. */
export interface ControlNumberRegistry {
  /**
   * Records `controlNumber` for `partner` (e.g. `ZZ:ACMEFOODS`); resolves false when it had been recorded before.
   * Must be atomic (check and record in one step).
   */
  register(partner: string, controlNumber: string): boolean | Promise<boolean>;
}

/**
 * Remembers control numbers in memory, optionally only the last `capacity` per partner.
 * @example
 * const registry = new InMemoryControlNumberRegistry();
 * registry.register('ZZ:ACME', '000000001'); // true
 * registry.register('ZZ:ACME', '000000001'); // false
 */
export class InMemoryControlNumberRegistry implements ControlNumberRegistry {
  private readonly seen = new Map<string, Set<string>>();
  /** @param capacity numbers kept per partner before the oldest are forgotten. @default 100000 */
  constructor(private readonly capacity = 100_000) {}

  /** Records the number; false when it is a duplicate. */
  register(partner: string, controlNumber: string): boolean {
    let set = this.seen.get(partner);
    if (!set) {
      set = new Set();
      this.seen.set(partner, set);
    }
    const key = normalizeControlNumber(controlNumber);
    if (set.has(key)) return false;
    set.add(key);
    if (set.size > this.capacity) {
      const oldest = set.values().next().value;
      if (oldest !== undefined) set.delete(oldest);
    }
    return true;
  }
}

/** Control numbers compare numerically (`000000042` and `42` are the same interchange). */
export function normalizeControlNumber(n: string): string {
  const t = n.trim();
  return /^\d+$/.test(t) ? String(Number.parseInt(t, 10)) : t;
}
