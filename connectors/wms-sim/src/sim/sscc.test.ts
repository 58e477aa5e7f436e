import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasValidGs1CheckDigit, ssccSchema } from '@tradelane/canonical';
import { buildSscc } from './sscc.js';

test('SSCC-18 matches the GS1 worked example and always carries a valid check digit', () => {
  assert.equal(buildSscc(1, '0614141', 123456789), '106141411234567897');
  for (let serial = 0; serial < 500; serial += 7) {
    const sscc = buildSscc(serial % 10, '0614141', 900_000_000 + serial);
    assert.equal(sscc.length, 18);
    assert.ok(hasValidGs1CheckDigit(sscc));
    ssccSchema.parse(sscc);
  }
  assert.equal(buildSscc(0, '061414112345', 42).length, 18);
  assert.throws(() => buildSscc(10, '0614141', 1), RangeError);
  assert.throws(() => buildSscc(0, '06', 1), RangeError);
});
