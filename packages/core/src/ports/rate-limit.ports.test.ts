import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryRateLimitStore } from './rate-limit.ports.js';

test('memory rate limit store counts per key and fixed window', async () => {
  const store = createMemoryRateLimitStore();
  assert.deepEqual(await store.hit('a', 60_000, 120_500), { count: 1, resetAt: 180_000 });
  assert.deepEqual(await store.hit('a', 60_000, 179_999), { count: 2, resetAt: 180_000 });
  assert.deepEqual(await store.hit('b', 60_000, 130_000), { count: 1, resetAt: 180_000 });
  assert.deepEqual(await store.hit('a', 60_000, 180_000), { count: 1, resetAt: 240_000 });
});

test('memory rate limit store stays within maxKeys', async () => {
  const store = createMemoryRateLimitStore({ maxKeys: 3 });
  for (const k of ['a', 'b', 'c', 'd']) await store.hit(k, 60_000, 0);
  assert.equal((await store.hit('a', 60_000, 0)).count, 1, 'the oldest key was dropped');
  assert.equal((await store.hit('d', 60_000, 0)).count, 2);
});
