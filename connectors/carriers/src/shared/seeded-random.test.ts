import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashSeed, pick, randomInt, seededRandom } from './seeded-random.js';

test('the same seed gives the same sequence; another seed another one', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const c = seededRandom(43);
  const seqA = [a(), a(), a()];
  assert.deepEqual(seqA, [b(), b(), b()]);
  assert.notDeepEqual(seqA, [c(), c(), c()]);
  for (const x of seqA) assert.ok(x >= 0 && x < 1);
});

test('hashSeed is stable and separates parts', () => {
  assert.equal(hashSeed('PR', 1), hashSeed('PR', 1));
  assert.notEqual(hashSeed('a', 'bc'), hashSeed('ab', 'c'));
  const r = seededRandom(7);
  for (let i = 0; i < 100; i++) assert.ok(randomInt(r, 5) < 5);
  assert.ok(['x', 'y'].includes(pick(seededRandom(1), ['x', 'y'])));
});
