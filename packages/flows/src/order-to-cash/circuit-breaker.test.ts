import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError, TransientError } from '@tradelane/core';
import { manualClock } from '../flow-test.fixture.js';
import { createCircuitBreaker } from './circuit-breaker.js';

const down = () => Promise.reject(new TransientError('TL_TEST_DOWN', 'down'));

describe('createCircuitBreaker', () => {
  it('opens after consecutive transient failures and fails fast with retryAfterMs', async () => {
    const clock = manualClock();
    const breaker = createCircuitBreaker({ name: 'erp', failureThreshold: 3, coolDownMs: 1000, clock });
    for (let i = 0; i < 3; i += 1) await assert.rejects(breaker.call(down), /down/);
    assert.equal(breaker.state(), 'open');
    let called = false;
    await assert.rejects(
      breaker.call(async () => {
        called = true;
      }),
      (err: unknown) => err instanceof TransientError && err.code === 'TL_CIRCUIT_OPEN' && err.retryAfterMs === 1000,
    );
    assert.equal(called, false);
  });

  it('lets one trial through after the cool-down and closes on success, reopens on failure', async () => {
    const clock = manualClock();
    const breaker = createCircuitBreaker({ name: 'erp', failureThreshold: 1, coolDownMs: 1000, clock });
    await assert.rejects(breaker.call(down));
    clock.advance(1000);
    assert.equal(breaker.state(), 'half-open');
    await assert.rejects(breaker.call(down), /down/);
    assert.equal(breaker.state(), 'open');
    clock.advance(1000);
    assert.equal(await breaker.call(async () => 42), 42);
    assert.equal(breaker.state(), 'closed');
  });

  it('does not count permanent errors (the system answered)', async () => {
    const breaker = createCircuitBreaker({ name: 'erp', failureThreshold: 1, clock: manualClock() });
    await assert.rejects(breaker.call(() => Promise.reject(new InputError('TL_X', 'bad'))));
    assert.equal(breaker.state(), 'closed');
  });
});
