import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDaysJulian, isJulian, isoToJulian, julianToIsoDate, julianToIsoDateTime, toJulian, toTimeOfDay } from './julian-date.js';
import { formatLnid, parseLnid } from './line-number.js';

test('Julian CYYDDD dates round-trip through ISO dates', () => {
  assert.equal(toJulian(new Date('2025-02-01T23:59:59Z')), 125032);
  assert.equal(julianToIsoDate(125032), '2025-02-01');
  assert.equal(isoToJulian('1999-12-31'), 99365);
  assert.equal(julianToIsoDate(124366), '2024-12-31');
  assert.equal(addDaysJulian(124366, 1), 125001);
  assert.equal(addDaysJulian(125001, -1), 124366);
  assert.ok(isJulian(124366));
  assert.ok(!isJulian(125366));
  assert.ok(!isJulian(125000));
});

test('times of day are HHMMSS in UTC', () => {
  const at = new Date('2025-03-01T14:05:09.500Z');
  assert.equal(toTimeOfDay(at), 140509);
  assert.equal(julianToIsoDateTime(toJulian(at), toTimeOfDay(at)), '2025-03-01T14:05:09Z');
});

test('line numbers are "n.000"', () => {
  assert.equal(formatLnid(3), '3.000');
  assert.equal(parseLnid('3.000'), 3);
  assert.equal(parseLnid('3'), 3);
  assert.ok(Number.isNaN(parseLnid('3.500')));
});
