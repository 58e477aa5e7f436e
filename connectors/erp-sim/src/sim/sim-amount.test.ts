import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatUnits, percentOf, roundUnits, toUnits } from './sim-amount.js';

test('amounts are exact ten-thousandths, rounded half away from zero', () => {
  assert.equal(toUnits('12.5'), 125000n);
  assert.equal(toUnits('-0.0001'), -1n);
  assert.equal(formatUnits(toUnits('12.345')), '12.35');
  assert.equal(formatUnits(toUnits('-12.345')), '-12.35');
  assert.equal(formatUnits(toUnits('12.3449')), '12.34');
  assert.equal(formatUnits(toUnits('7'), 4), '7.0000');
  assert.equal(roundUnits(toUnits('0.005'), 2), toUnits('0.01'));
  assert.throws(() => toUnits('1.23456'), RangeError);
});

test('tax is a percentage rounded to cents', () => {
  assert.equal(formatUnits(percentOf(toUnits('100.00'), '10.25')), '10.25');
  assert.equal(formatUnits(percentOf(toUnits('33.33'), '7.25')), '2.42');
  assert.equal(formatUnits(percentOf(toUnits('-33.33'), '7.25')), '-2.42');
  assert.equal(formatUnits(percentOf(toUnits('0.10'), '5')), '0.01');
  assert.equal(formatUnits(percentOf(toUnits('99.99'), '0')), '0.00');
});
