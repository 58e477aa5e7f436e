import { classifyError, systemClock, TransientError, type Clock } from '@tradelane/core';

/** Options of {@link createCircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Name of the system it protects, in error messages. */
  name: string;
  /** Consecutive transient failures that open the circuit. @default 5 */
  failureThreshold?: number | undefined;
  /** How long the circuit stays open before one trial call is let through (half-open). @default 10000 */
  coolDownMs?: number | undefined;
  /** @default systemClock */
  clock?: Clock | undefined;
}

/** Where a circuit stands. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** A per-system circuit breaker: fails fast while a system is known to be down, so retries do not pile onto it. */
export interface CircuitBreaker {
  /** Runs `fn` unless the circuit is open; an open circuit throws a TransientError `TL_CIRCUIT_OPEN` with `retryAfterMs`. */
  call<T>(fn: () => Promise<T>): Promise<T>;
  state(): CircuitState;
}

/**
 * Builds a circuit breaker: it opens after `failureThreshold` consecutive transient failures, lets one trial through
 * after `coolDownMs` (half-open), closes on its success and opens again on its failure. Permanent errors mean the
 * system answered, so they count as successes of the circuit.
 * @example const erpBreaker = createCircuitBreaker({ name: 'erp' }); await erpBreaker.call(() => erp.commitOrder(ctx, order, order.id));
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const threshold = options.failureThreshold ?? 5;
  const coolDownMs = options.coolDownMs ?? 10_000;
  const clock = options.clock ?? systemClock;
  let failures = 0;
  let openedAt: number | undefined;
  let trialInFlight = false;

  const current = (): CircuitState => {
    if (openedAt === undefined) return 'closed';
    return clock.now().getTime() - openedAt >= coolDownMs ? 'half-open' : 'open';
  };

  return {
    state: current,
    async call<T>(fn: () => Promise<T>): Promise<T> {
      const state = current();
      if (state === 'open' || (state === 'half-open' && trialInFlight)) {
        const retryAfterMs = Math.max(1, coolDownMs - (clock.now().getTime() - (openedAt ?? 0)));
        throw new TransientError('TL_CIRCUIT_OPEN', `${options.name} is unavailable (circuit open)`, { retryAfterMs, details: { system: options.name } });
      }
      const trial = state === 'half-open';
      if (trial) trialInFlight = true;
      try {
        const result = await fn();
        failures = 0;
        openedAt = undefined;
        return result;
      } catch (err) {
        if (classifyError(err) === 'transient') {
          failures += 1;
          if (trial || failures >= threshold) openedAt = clock.now().getTime();
        } else {
          failures = 0;
          openedAt = undefined;
        }
        throw err;
      } finally {
        if (trial) trialInFlight = false;
      }
    },
  };
}
