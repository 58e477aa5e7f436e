import {
  ConflictError,
  NotFoundError,
  systemClock,
  type Clock,
  type DeadLetter,
  type DeadLetterStore,
  type ErrorKind,
} from '@tradelane/core';
import type { Dispatcher } from './dispatcher.js';

/** Options of {@link createReplayer}. */
export interface ReplayerOptions {
  readonly dispatcher: Dispatcher;
  readonly deadLetters: DeadLetterStore;
  /** @default systemClock */
  readonly clock?: Clock | undefined;
}

/** Which open dead letters {@link Replayer.replayDeadLetters} replays. */
export interface ReplayFilter {
  readonly consumer?: string | undefined;
  readonly eventType?: string | undefined;
  readonly tenantId?: string | undefined;
  /** Only dead letters whose last failure is at or after this time. */
  readonly since?: Date | undefined;
}

/** Outcome of replaying one dead letter. */
export interface ReplayResult {
  readonly id: string;
  readonly consumer: string;
  readonly eventId: string;
  /** `replayed`: the consumer succeeded (or had processed the event already); `failed`: it stays open. */
  readonly outcome: 'replayed' | 'failed';
  /** `duplicate` when the consumer's inbox had the event already. */
  readonly result?: 'applied' | 'duplicate' | undefined;
  readonly error?: string | undefined;
  readonly errorKind?: ErrorKind | undefined;
}

/** Outcome of a bulk replay. */
export interface ReplaySummary {
  readonly replayed: number;
  readonly failed: number;
  readonly results: ReplayResult[];
}

/** Restricts an operation to one tenant's dead letters (the ops API passes the caller's tenant). */
export interface TenantScope {
  readonly tenantId?: string | undefined;
}

/** Replays or discards dead letters (the operations API and console call this). */
export interface Replayer {
  /**
   * Runs the dead letter's consumer once more (inbox dedupe still applies). Success marks it replayed; failure
   * keeps it open with the new error and one more replay counted.
   */
  replayDeadLetter(id: string, scope?: TenantScope): Promise<ReplayResult>;
  /** Replays every open dead letter that matches the filter, oldest first, up to `max`. @default max 1000 */
  replayDeadLetters(filter: ReplayFilter, options?: { max?: number }): Promise<ReplaySummary>;
  /** Marks an open dead letter discarded: the message is given up on purpose. */
  discardDeadLetter(id: string, scope?: TenantScope): Promise<void>;
}

/** Builds the replayer over the dispatcher and the dead-letter store. */
export function createReplayer(options: ReplayerOptions): Replayer {
  const { dispatcher, deadLetters } = options;
  const clock = options.clock ?? systemClock;

  async function openDeadLetter(id: string, scope: TenantScope = {}): Promise<DeadLetter> {
    const dl = await deadLetters.get(id);
    if (!dl || (scope.tenantId !== undefined && dl.tenantId !== scope.tenantId)) {
      throw new NotFoundError('TL_BUS_DEAD_LETTER_NOT_FOUND', `dead letter ${id} not found`, { id });
    }
    if (dl.status !== 'open') {
      throw new ConflictError('TL_BUS_DEAD_LETTER_NOT_OPEN', `dead letter ${id} is ${dl.status}, not open`, { id, status: dl.status });
    }
    return dl;
  }

  async function replay(dl: DeadLetter): Promise<ReplayResult> {
    const base = { id: dl.id, consumer: dl.consumer, eventId: dl.eventId };
    const result = await dispatcher.replay(dl.consumer, dl.envelope, dl.attempts + 1);
    if (result.ok) {
      await deadLetters.markReplayed(dl.id, clock.now());
      return { ...base, outcome: 'replayed', result: result.result };
    }
    await deadLetters.recordReplayFailure(dl.id, { error: result.error, errorKind: result.errorKind, now: clock.now() });
    return { ...base, outcome: 'failed', error: result.error, errorKind: result.errorKind };
  }

  return {
    async replayDeadLetter(id, scope) {
      return replay(await openDeadLetter(id, scope));
    },

    async replayDeadLetters(filter, { max = 1_000 } = {}) {
      const results: ReplayResult[] = [];
      let cursor: string | undefined;
      do {
        const page = await deadLetters.list({ ...filter, status: 'open' }, { limit: Math.max(1, Math.min(100, max - results.length)), cursor });
        for (const dl of page.items) results.push(await replay(dl));
        cursor = page.nextCursor;
      } while (cursor && results.length < max);
      return {
        replayed: results.filter((r) => r.outcome === 'replayed').length,
        failed: results.filter((r) => r.outcome === 'failed').length,
        results,
      };
    },

    async discardDeadLetter(id, scope) {
      await openDeadLetter(id, scope);
      if (!(await deadLetters.discard(id, clock.now()))) {
        throw new ConflictError('TL_BUS_DEAD_LETTER_NOT_OPEN', `dead letter ${id} is no longer open`, { id });
      }
    },
  };
}
