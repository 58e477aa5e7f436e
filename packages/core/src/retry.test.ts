import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { backoffDelay, decideRetry, retryPolicy } from './retry.js';
import { InputError, PermanentError, TransientError } from './errors.js';

test('backoff grows exponentially, is capped, and full jitter stays within [0, base]', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
      const p = retryPolicy({ initialDelayMs: 100, maxDelayMs: 10_000, multiplier: 2 });
      const base = Math.min(10_000, 100 * 2 ** (attempt - 1));
      const d = backoffDelay(p, attempt, () => r);
      assert.ok(d >= 0 && d <= base, `${d} not in [0, ${base}]`);
      assert.equal(backoffDelay({ ...p, jitter: 'none' }, attempt), base);
    }),
  );
});

test('permanent errors and domain errors are never retried; unknown errors are retried until the limit', () => {
  const p = retryPolicy({ maxAttempts: 3 });
  assert.deepEqual(decideRetry(p, 1, new PermanentError('TL_X_BAD', 'bad')), { retry: false, reason: 'permanent' });
  assert.deepEqual(decideRetry(p, 1, new InputError('TL_X_INPUT', 'bad')), { retry: false, reason: 'permanent' });
  assert.equal(decideRetry(p, 1, new Error('boom')).retry, true);
  assert.equal(decideRetry(p, 2, new Error('boom')).retry, true);
  assert.deepEqual(decideRetry(p, 3, new Error('boom')), { retry: false, reason: 'exhausted' });
});

test("a transient error's retryAfter wins over a shorter backoff", () => {
  const p = retryPolicy({ initialDelayMs: 10, jitter: 'none' });
  const d = decideRetry(p, 1, new TransientError('TL_ERP_BUSY', 'busy', { retryAfterMs: 5_000 }));
  assert.deepEqual(d, { retry: true, delayMs: 5_000 });
});

test('bad policies are refused', () => {
  assert.throws(() => retryPolicy({ maxAttempts: 0 }), RangeError);
  assert.throws(() => retryPolicy({ multiplier: 0.5 }), RangeError);
});
