import { ACK_ACTIONS, type AckAction } from './supplier-sim-config.schema.js';
import type { CallKind } from './transport/supplier-api.client.js';

/** Percentiles of one kind of call, real milliseconds from request to response (one sample per attempt). */
export interface LatencySummary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** Exact counts of everything the simulator sent and every answer it got. */
export interface SupplierSimStats {
  /** Listing calls (awaiting acknowledgment and follow-ups), and those that failed after retries. */
  polls: { count: number; failed: number };
  /** Purchase order revisions picked up to answer. */
  purchaseOrderRevisions: number;
  acknowledgments: {
    /** Messages sent, duplicates included (each with its own Idempotency-Key; retries not counted). */
    sent: number;
    applied: number;
    exception: number;
    duplicate: number;
    /** Refused by the hub with a 4xx problem. */
    rejected: number;
    /** Retries exhausted (429, 5xx, network). */
    failed: number;
    /** Revisions a `never` supplier left unanswered. */
    withheld: number;
    /** Acknowledgments sent after the due time by a `late` supplier. */
    late: number;
    /** Original acknowledgments by the action drawn. */
    byAction: Record<AckAction, number>;
  };
  asns: { sent: number; accepted: number; duplicate: number; rejected: number; failed: number };
  invoices: { sent: number; approved: number; disputed: number; waiting: number; other: number; duplicate: number; rejected: number; failed: number };
  availability: { sent: number; accepted: number; rejected: number; failed: number };
  /** Deliberate second copies (new Idempotency-Key, same document number). */
  duplicatesSent: { acknowledgments: number; asns: number; invoices: number };
  /** Orders whose acknowledgment became an exception, after a buyer decided. */
  followUps: { pending: number; shipped: number; closed: number };
  /** Attempts beyond the first of any call. */
  retries: number;
  /** Messages that ended `failed` (all kinds). */
  errors: number;
  /** 4xx refusals by problem code. */
  rejectedByCode: Record<string, number>;
  /** The last few failure messages (retries exhausted, unexpected answers), newest last. */
  recentFailures: string[];
  latency: Record<CallKind, LatencySummary>;
}

const KINDS: readonly CallKind[] = ['list', 'get', 'ack', 'asn', 'invoice', 'availability'];

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Mutable counters behind `stats()`. */
export class SupplierSimRecorder {
  readonly counts: Omit<SupplierSimStats, 'latency' | 'followUps'> & { followUps: { shipped: number; closed: number } } = {
    polls: { count: 0, failed: 0 },
    purchaseOrderRevisions: 0,
    acknowledgments: {
      sent: 0,
      applied: 0,
      exception: 0,
      duplicate: 0,
      rejected: 0,
      failed: 0,
      withheld: 0,
      late: 0,
      byAction: Object.fromEntries(ACK_ACTIONS.map((a) => [a, 0])) as Record<AckAction, number>,
    },
    asns: { sent: 0, accepted: 0, duplicate: 0, rejected: 0, failed: 0 },
    invoices: { sent: 0, approved: 0, disputed: 0, waiting: 0, other: 0, duplicate: 0, rejected: 0, failed: 0 },
    availability: { sent: 0, accepted: 0, rejected: 0, failed: 0 },
    duplicatesSent: { acknowledgments: 0, asns: 0, invoices: 0 },
    followUps: { shipped: 0, closed: 0 },
    retries: 0,
    errors: 0,
    rejectedByCode: {},
    recentFailures: [],
  };
  private readonly samples = new Map<CallKind, number[]>(KINDS.map((k) => [k, []]));

  /** Records one attempt's latency. */
  attempt(kind: CallKind, latencyMs: number): void {
    this.samples.get(kind)!.push(latencyMs);
  }

  /** Records a finished call's attempt count. */
  attempts(n: number): void {
    if (n > 1) this.counts.retries += n - 1;
  }

  /** Records a 4xx refusal. */
  rejected(code: string): void {
    this.counts.rejectedByCode[code] = (this.counts.rejectedByCode[code] ?? 0) + 1;
  }

  /** Keeps a failure message (the last 20). */
  failure(message: string): void {
    this.counts.recentFailures.push(message);
    if (this.counts.recentFailures.length > 20) this.counts.recentFailures.shift();
  }

  /** A copy of the latency samples of one kind. */
  latencySamples(kind: CallKind): number[] {
    return [...this.samples.get(kind)!];
  }

  /** A deep copy of the counters with latency percentiles. */
  snapshot(pending: number): SupplierSimStats {
    const copy = structuredClone(this.counts);
    const latency = {} as Record<CallKind, LatencySummary>;
    for (const k of KINDS) {
      const sorted = [...this.samples.get(k)!].sort((a, b) => a - b);
      latency[k] = { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? null };
    }
    return { ...copy, followUps: { pending, ...copy.followUps }, latency };
  }
}
