import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryControlNumberRegistry, normalizeControlNumber } from './control-number.registry.js';

describe('InMemoryControlNumberRegistry', () => {
  it('records per partner and reports duplicates numerically', () => {
    const r = new InMemoryControlNumberRegistry();
    assert.equal(r.register('ZZ:A', '000000042'), true);
    assert.equal(r.register('ZZ:A', '42'), false);
    assert.equal(r.register('ZZ:B', '000000042'), true);
    assert.equal(normalizeControlNumber(' 0007 '), '7');
    assert.equal(normalizeControlNumber('A1'), 'A1');
  });

  it('forgets the oldest numbers beyond its capacity', () => {
    const r = new InMemoryControlNumberRegistry(2);
    r.register('p', '1');
    r.register('p', '2');
    r.register('p', '3');
    assert.equal(r.register('p', '1'), true);
    assert.equal(r.register('p', '3'), false);
  });
});
