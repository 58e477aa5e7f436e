import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { componentValue, elementRef, elementRepeats, elementValue, hasValue, trimmedValue } from './segment.access.js';

const seg = { tag: 'N1', elements: ['ST', ['A', 'B'], { repeats: [['R1', 'C'], 'R2'] }, '', ' pad '] };

describe('segment access', () => {
  it('reads elements, components and repetitions 1-based', () => {
    assert.equal(elementValue(seg, 1), 'ST');
    assert.equal(elementValue(seg, 2), 'A');
    assert.equal(elementValue(seg, 3), 'R1');
    assert.equal(elementValue(seg, 9), '');
    assert.equal(componentValue(seg, 2, 2), 'B');
    assert.equal(componentValue(seg, 3, 2), 'C');
    assert.equal(componentValue(seg, 1, 2), '');
    assert.deepEqual(elementRepeats(seg, 3), [['R1', 'C'], 'R2']);
    assert.deepEqual(elementRepeats(seg, 1), ['ST']);
    assert.equal(trimmedValue(seg, 5), 'pad');
    assert.equal(hasValue(seg, 4), false);
    assert.equal(hasValue(seg, 3), true);
    assert.equal(elementRef('PO1', 7), 'PO107');
  });
});
