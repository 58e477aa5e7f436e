import { classifyError, TransientError } from './errors.js';

/** Retry policy as data: exponential backoff with full jitter, capped. */
export interface RetryPolicy {
  /** Total attempts including the first. @default 5 */
  maxAttempts: number;
  /** Delay before the second attempt, before jitter. @default 200 */
  initialDelayMs: number;
  /** Upper bound of any one delay. @default 60000 */
  maxDelayMs: number;
  /** Growth factor per attempt. @default 2 */
  multiplier: number;
  /** `full` picks uniformly in [0, delay]; `equal` in [delay/2, delay]; `none` uses the delay as is. @default 'full' */
  jitter: 'full' | 'equal' | 'none';
}

/** The default policy for consumers and steps. */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  initialDelayMs: 200,
  maxDelayMs: 60_000,
  multiplier: 2,
  jitter: 'full',
};

/** Fills a partial policy with the defaults. */
export function retryPolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
  const p = { ...defaultRetryPolicy, ...partial };
  if (!Number.isInteger(p.maxAttempts) || p.maxAttempts < 1) throw new RangeError('maxAttempts must be an integer ≥ 1');
  if (p.initialDelayMs < 0 || p.maxDelayMs < 0 || p.multiplier < 1) throw new RangeError('delays must be ≥ 0, multiplier ≥ 1');
  return p;
}

/**
 * Delay before attempt `attempt + 1`, given that `attempt` (1-based) just failed.
 * @example backoffDelay(defaultRetryPolicy, 1, Math.random) // between 0 and 200
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** Math.max(0, attempt - 1));
  switch (policy.jitter) {
    case 'none':
      return Math.round(base);
    case 'equal':
      return Math.round(base / 2 + random() * (base / 2));
    default:
      return Math.round(random() * base);
  }
}

/** What to do after a failed attempt. */
export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: 'permanent' | 'exhausted' };

/**
 * Decides whether attempt `attempt` (1-based, just failed with `err`) is retried and after how long.
 * A transient error's own `retryAfterMs` wins when it is longer than the backoff.
 */
export function decideRetry(policy: RetryPolicy, attempt: number, err: unknown, random: () => number = Math.random): RetryDecision {
  if (classifyError(err) === 'permanent') return { retry: false, reason: 'permanent' };
  if (attempt >= policy.maxAttempts) return { retry: false, reason: 'exhausted' };
  const backoff = backoffDelay(policy, attempt, random);
  const asked = err instanceof TransientError && err.retryAfterMs !== undefined ? err.retryAfterMs : 0;
  return { retry: true, delayMs: Math.max(backoff, asked) };
}
