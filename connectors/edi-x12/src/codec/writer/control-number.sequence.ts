/**
 * Where our outbound control numbers (ISA13, GS06, ST02) come from. Production wires a durable implementation
 * (a database sequence per partner); the in-memory default suits tests, simulators and one-shot tools.
 */

/** Which envelope a control number is for. */
export type ControlNumberKind = 'interchange' | 'group' | 'set';

/** Hands out the next control number of a kind for a partner (1 to 999999999, wrapping). */
export interface ControlNumberSequence {
  /** Next number for `kind` towards `partner` (a key such as `ZZ:ACMEFOODS`). */
  next(kind: ControlNumberKind, partner: string): number | Promise<number>;
}

/** Largest control number that fits ISA13 / GS06. */
export const maxControlNumber = 999_999_999;

/**
 * Counters kept in memory per kind and partner, starting at `start` (default 1).
 * @example
 * const seq = new InMemoryControlNumberSequence({ interchange: 100 });
 * seq.next('interchange', 'ZZ:ACME'); // 100
 */
export class InMemoryControlNumberSequence implements ControlNumberSequence {
  private readonly counters = new Map<string, number>();
  constructor(private readonly start: Partial<Record<ControlNumberKind, number>> = {}) {}

  /** Next number for `kind` towards `partner`. */
  next(kind: ControlNumberKind, partner: string): number {
    const key = `${kind}\u0000${partner}`;
    const current = this.counters.get(key);
    const value = current === undefined ? (this.start[kind] ?? 1) : current >= maxControlNumber ? 1 : current + 1;
    this.counters.set(key, value);
    return value;
  }
}

/** Formats an interchange control number for ISA13 (9 digits). */
export function formatInterchangeControlNumber(n: number): string {
  return String(n).padStart(9, '0');
}

/** Formats a transaction set control number for ST02/SE02 (at least 4 digits). */
export function formatSetControlNumber(n: number): string {
  return String(n).padStart(4, '0');
}
