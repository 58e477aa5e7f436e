/// <reference types="node" />
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { gs1CheckDigit, gtinSchema, hasValidGs1CheckDigit, ssccSchema } from './gs1.js';

describe('GS1 check digits', () => {
  it('match published examples', () => {
    assert.equal(gs1CheckDigit('400638133393'), 1); // GTIN-13 4006381333931
    assert.equal(gs1CheckDigit('03600029145'), 2); // UPC-A 036000291452
    assert.equal(gs1CheckDigit('9638507'), 4); // GTIN-8 96385074
    assert.equal(gs1CheckDigit('37610425002123456'), 9); // SSCC 376104250021234569
  });

  it('accept valid GTINs of every length and the SSCC-18', () => {
    for (const gtin of ['96385074', '036000291452', '4006381333931', '10614141000415']) {
      assert.equal(gtinSchema.safeParse(gtin).success, true, gtin);
    }
    assert.equal(ssccSchema.safeParse('376104250021234569').success, true);
  });

  it('refuse a wrong check digit with the expected one in the message', () => {
    const gtin = gtinSchema.safeParse('4006381333932');
    assert.deepEqual(gtin.error?.issues.map((i) => ({ path: i.path, message: i.message })), [
      { path: [], message: 'GTIN check digit must be 1, got 2' },
    ]);
    const sscc = ssccSchema.safeParse('376104250021234561');
    assert.deepEqual(sscc.error?.issues.map((i) => i.message), ['SSCC check digit must be 9, got 1']);
  });

  it('refuse wrong lengths and non-digits with one clear issue', () => {
    for (const bad of ['1234567', '12345678901', '400638133393X', '', '4006381333931 ']) {
      const result = gtinSchema.safeParse(bad);
      assert.deepEqual(result.error?.issues.map((i) => i.message), ['GTIN must be 8, 12, 13 or 14 digits'], bad);
    }
    assert.deepEqual(ssccSchema.safeParse('37610425002123456').error?.issues.map((i) => i.message), ['SSCC must be 18 digits']);
  });

  it('detect every single-digit error', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/), fc.nat(17), fc.integer({ min: 1, max: 9 }), (body, position, delta) => {
        const valid = body + gs1CheckDigit(body);
        assert.equal(hasValidGs1CheckDigit(valid), true);
        const digits = [...valid];
        digits[position] = String((Number(digits[position]) + delta) % 10);
        assert.equal(hasValidGs1CheckDigit(digits.join('')), false);
      }),
    );
  });
});
