/**
 * Ports of the bus layer, implemented by @tradelane/store. The bus (relay, dispatcher, replay) talks to storage only
 * through these interfaces; the relay-side ports work across tenants, the transaction-bound inbox is tenant-scoped.
 */
import type { EventEnvelope } from '@tradelane/canonical';
import type { TenantContext } from '../context.js';
import type { ErrorKind } from '../errors.js';
import type { TransactionRunner } from './transaction.ports.js';

/** Where an event sits: its aggregate (the document it changes) and its outbox sequence number. */
export interface EventPosition {
  /** Outbox sequence number, a decimal bigint string; orders events of one aggregate. */
  readonly seq: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  /**
   * Set by an outbox claim that found no delivery record of this event and no pending retry of an earlier event of
   * its aggregate: the dispatcher may skip looking them up again. Absent when unknown (a broker delivery).
   */
  readonly noDeliveries?: boolean | undefined;
}

/** An outbox row as the relay sees it. */
export interface OutboxRecord extends EventPosition {
  /** Equals the envelope id. */
  readonly id: string;
  readonly tenantId: string;
  readonly eventType: string;
  readonly envelope: EventEnvelope;
  readonly createdAt: Date;
  readonly availableAt: Date;
  /** Failed publish attempts so far. */
  readonly attempts: number;
  readonly lastError: string | null;
}

/** What is still waiting somewhere: how many items and when the earliest may be worked on. */
export interface PendingSummary {
  readonly count: number;
  /** Earliest time any pending item becomes workable; undefined when nothing is pending. */
  readonly nextAt: Date | undefined;
}

/**
 * The relay's view of the outbox (system port, across tenants). Pending rows are selected by "not yet published",
 * never by a high-water mark, so rows whose transactions commit out of sequence order are never skipped.
 */
export interface OutboxReader {
  /**
   * Leases up to `limit` publishable rows in sequence order until `now + leaseMs`. Only the earliest unpublished
   * row of each aggregate is publishable, so events of one aggregate are published one after another. With
   * `followers`, up to that many later rows of the claimed aggregates come too (in sequence order, at most
   * `followersPerAggregate` of one aggregate, each aggregate's run stopping at its first row that is not available):
   * the caller publishes an aggregate's rows in the order returned, one after another, and releases the rest of them
   * when one fails.
   */
  claim(options: { limit: number; leaseMs: number; now: Date; followers?: number | undefined; followersPerAggregate?: number | undefined }): Promise<OutboxRecord[]>;
  /** Drops the leases of claimed rows that were not published (the rest of an aggregate's rows after a failure). */
  release(ids: readonly string[]): Promise<void>;
  /** Marks rows published and drops their leases (one id, or several in one statement). */
  markPublished(ids: string | readonly string[], now: Date): Promise<void>;
  /** Puts a row back after a failed publish: counts the attempt and makes it available again at `availableAt`. */
  reschedule(id: string, availableAt: Date, error: string): Promise<void>;
  /** Unpublished rows and the earliest time one may be claimed. */
  pending(): Promise<PendingSummary>;
}

/** Consumer-side dedupe: which consumer has processed which event. */
export interface Inbox {
  /**
   * Records that `consumer` processed `eventId` (tenant from `ctx`), inside the caller's transaction.
   * @returns true when this is the first time; false when it was already recorded (skip the work)
   */
  record(ctx: TenantContext, consumer: string, eventId: string): Promise<boolean>;
}

/** The transaction-bound ports a consumer's handler needs at least; the store's transaction offers more. */
export interface MessagingTx {
  readonly inbox: Inbox;
}

/** Runs a consumer's inbox record and its handler's effects in one transaction. */
export type MessagingTransactionRunner<Tx extends MessagingTx = MessagingTx> = TransactionRunner<Tx>;

/** The state of one consumer's delivery of one event, kept once a first attempt failed or the event had to wait. */
export type DeliveryStatus = 'pending' | 'done' | 'dead';

/** Identifies one consumer's delivery of one event. */
export interface DeliveryTarget extends EventPosition {
  readonly consumer: string;
  readonly tenantId: string;
  readonly envelope: EventEnvelope;
}

/** Retry state of one consumer's delivery of one event (survives restarts). */
export interface DeliveryRecord extends DeliveryTarget {
  readonly status: DeliveryStatus;
  /** Attempts made so far (0 for a delivery that waits behind an earlier event of its aggregate). */
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly lastError: string | null;
  readonly firstFailedAt: Date | null;
}

/** What the delivery state says about one event, for every consumer at once. */
export interface DeliveryLookup {
  /** Consumers that already have a delivery row for this event, by consumer name. */
  readonly existing: ReadonlyMap<string, DeliveryRecord>;
  /** Consumers with a pending delivery of an earlier event of the same aggregate: this event must wait for them. */
  readonly blocked: ReadonlySet<string>;
}

/** Per-consumer retry state (system port, across tenants). */
export interface DeliveryStore {
  /** Looks up the delivery rows of one event and which consumers are blocked by an earlier event of its aggregate. */
  lookup(event: EventPosition & { eventId: string; tenantId: string }): Promise<DeliveryLookup>;
  /** Creates or updates a pending delivery: `attempts` made so far, next try at `nextAttemptAt`. */
  schedule(target: DeliveryTarget, state: { attempts: number; nextAttemptAt: Date; lastError: string | null; now: Date }): Promise<void>;
  /** Marks a delivery done, if a row exists. */
  markDone(consumer: string, eventId: string, now: Date): Promise<void>;
  /**
   * Leases up to `limit` pending deliveries that are due, at most one per consumer and aggregate (the earliest),
   * until `now + leaseMs`.
   */
  claimDue(options: { limit: number; leaseMs: number; now: Date }): Promise<DeliveryRecord[]>;
  /** Pending deliveries and the earliest time one becomes due (ignoring those waiting behind an earlier event). */
  pending(): Promise<PendingSummary>;
}

/** Lifecycle of a dead letter. */
export type DeadLetterStatus = 'open' | 'replayed' | 'discarded';

/** A message a consumer could not process: kept with its error until it is replayed or discarded. */
export interface DeadLetter {
  readonly id: string;
  readonly tenantId: string;
  readonly consumer: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly envelope: EventEnvelope;
  readonly error: string;
  readonly errorKind: ErrorKind;
  /** Attempts made before the message was dead-lettered, plus failed replays. */
  readonly attempts: number;
  readonly firstFailedAt: Date;
  readonly lastFailedAt: Date;
  readonly status: DeadLetterStatus;
  readonly replayedAt: Date | null;
  readonly discardedAt: Date | null;
  readonly replayCount: number;
}

/** Input of {@link DeadLetterStore.add}. */
export interface NewDeadLetter {
  /** The consumer's delivery that failed; its delivery row is marked dead. */
  readonly target: DeliveryTarget;
  readonly error: string;
  readonly errorKind: ErrorKind;
  readonly attempts: number;
  readonly firstFailedAt: Date;
  readonly now: Date;
}

/** Which dead letters to list or replay. */
export interface DeadLetterFilter {
  readonly consumer?: string | undefined;
  readonly eventType?: string | undefined;
  readonly tenantId?: string | undefined;
  /** Only dead letters whose last failure is at or after this time. */
  readonly since?: Date | undefined;
  /** @default 'open' */
  readonly status?: DeadLetterStatus | 'any' | undefined;
}

/** One page of dead letters, with the cursor of the next page when there is one. */
export interface DeadLetterPage {
  readonly items: DeadLetter[];
  readonly nextCursor: string | undefined;
}

/** Dead-letter storage (system port, across tenants; filter by tenant for a tenant's view). */
export interface DeadLetterStore {
  /**
   * Stores a dead letter and marks the consumer's delivery of the event dead, atomically. When an open dead letter
   * for the same consumer and event exists already, returns its id and changes nothing.
   */
  add(input: NewDeadLetter): Promise<string>;
  get(id: string): Promise<DeadLetter | undefined>;
  /** Lists dead letters, oldest first. */
  list(filter: DeadLetterFilter, page?: { limit?: number; cursor?: string | undefined }): Promise<DeadLetterPage>;
  /** Marks an open dead letter replayed (and counts the replay); false when it was not open. */
  markReplayed(id: string, now: Date): Promise<boolean>;
  /** Counts a failed replay: the dead letter stays open with the new error. */
  recordReplayFailure(id: string, failure: { error: string; errorKind: ErrorKind; now: Date }): Promise<void>;
  /** Marks an open dead letter discarded; false when it was not open. */
  discard(id: string, now: Date): Promise<boolean>;
}
