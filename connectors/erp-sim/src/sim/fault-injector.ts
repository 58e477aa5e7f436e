import { seededRandom, type SeededRandom } from './seeded-random.js';

/** Fault modes of the simulator, switchable at run time. */
export interface ErpSimFaults {
  /** The port refuses connections (the listener is really closed) until cleared. */
  down: boolean;
  /** Added latency in milliseconds before every non-admin request is handled. */
  slowMs: number;
  /** Fraction (0-1) of non-admin requests answered HTTP 500 before anything happens. */
  errorRate: number;
  /**
   * Fraction (0-1) of create requests (sales orders, purchase orders, ship notices, receipts, vouchers) where the record
   * IS created but the answer is lost.
   */
  commitThenTimeout: number;
  /** How the answer is lost: `drop` destroys the socket, `hang` never answers until the client gives up. */
  commitThenTimeoutMode: 'drop' | 'hang';
  /** Non-admin requests get 503 with Retry-After until this instant (RFC 3339); null = no maintenance. */
  maintenanceUntil: string | null;
}

/** No faults at all. */
export const noFaults: Readonly<ErpSimFaults> = Object.freeze({
  down: false,
  slowMs: 0,
  errorRate: 0,
  commitThenTimeout: 0,
  commitThenTimeoutMode: 'drop',
  maintenanceUntil: null,
});

/** How often each fault fired since the last reset. */
export interface FaultCounters {
  /** Non-admin requests seen. */
  requests: number;
  error500: number;
  maintenance503: number;
  slowed: number;
  commitThenTimeout: number;
}

const SALT_ERROR = 500;
const SALT_COMMIT = 504;

/**
 * Decides, deterministically, which requests a fault hits: each fault has its own random stream seeded from the
 * simulator's seed and restarted whenever the faults are set, so the same seed, faults and request order give the
 * same failures.
 */
export class FaultInjector {
  private faults: ErpSimFaults = { ...noFaults };
  private errorStream: SeededRandom;
  private commitStream: SeededRandom;
  private counters: FaultCounters = { requests: 0, error500: 0, maintenance503: 0, slowed: 0, commitThenTimeout: 0 };

  constructor(
    private seed: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.errorStream = seededRandom(seed, SALT_ERROR);
    this.commitStream = seededRandom(seed, SALT_COMMIT);
  }

  /** The faults in force. */
  current(): ErpSimFaults {
    return { ...this.faults };
  }

  /** Replaces the faults and restarts the random streams (optionally under a new seed). */
  set(faults: ErpSimFaults, seed: number = this.seed): void {
    this.seed = seed;
    this.faults = { ...faults };
    this.errorStream = seededRandom(seed, SALT_ERROR);
    this.commitStream = seededRandom(seed, SALT_COMMIT);
  }

  /** Counts since the last {@link resetCounters}. */
  counts(): FaultCounters {
    return { ...this.counters };
  }

  /** Zeroes the counters. */
  resetCounters(): void {
    this.counters = { requests: 0, error500: 0, maintenance503: 0, slowed: 0, commitThenTimeout: 0 };
  }

  /** Records one non-admin request. */
  countRequest(): void {
    this.counters.requests += 1;
  }

  /** Seconds until the maintenance window ends (at least 1), or undefined when there is none now. */
  maintenanceRetryAfter(): number | undefined {
    if (!this.faults.maintenanceUntil) return undefined;
    const left = Date.parse(this.faults.maintenanceUntil) - this.now().getTime();
    if (!(left > 0)) return undefined;
    this.counters.maintenance503 += 1;
    return Math.max(1, Math.ceil(left / 1000));
  }

  /** Latency to add to this request (ms). */
  latency(): number {
    if (this.faults.slowMs > 0) this.counters.slowed += 1;
    return this.faults.slowMs;
  }

  /** True when this request must be answered HTTP 500. */
  rollError(): boolean {
    if (this.faults.errorRate <= 0) return false;
    const hit = this.errorStream.next() < this.faults.errorRate;
    if (hit) this.counters.error500 += 1;
    return hit;
  }

  /** True when this create must lose its answer after committing. */
  rollCommitThenTimeout(): boolean {
    if (this.faults.commitThenTimeout <= 0) return false;
    const hit = this.commitStream.next() < this.faults.commitThenTimeout;
    if (hit) this.counters.commitThenTimeout += 1;
    return hit;
  }
}
