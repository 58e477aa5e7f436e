/// <reference types="node" />
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compareDecimal } from './decimal.js';
import { convertQuantity, standardUnitConversions, unitCodes, unitConversionSchema, unitOfMeasureSchema, type UnitConversion } from './units.js';

const quantityArb = fc.stringMatching(/^(?:0|[1-9]\d{0,8})(?:\.\d{1,6})?$/);
const intFactorArb = fc.integer({ min: 1, max: 10_000 }).map(String);

function expectOk(result: ReturnType<typeof convertQuantity>): string {
  if (!result.ok) {
    assert.fail(`conversion failed: ${result.reason}: ${result.message}`);
  }
  return result.quantity;
}

describe('convertQuantity', () => {
  const caseOf12: UnitConversion[] = [
    { from: 'CS', to: 'EA', factor: '12' },
    { from: 'PL', to: 'CS', factor: '40' },
  ];

  it('converts along direct, inverse and chained conversions', () => {
    assert.deepEqual(convertQuantity('2', 'CS', 'EA', caseOf12), { ok: true, quantity: '24' });
    assert.deepEqual(convertQuantity('36', 'EA', 'CS', caseOf12), { ok: true, quantity: '3' });
    assert.deepEqual(convertQuantity('6', 'EA', 'CS', caseOf12), { ok: true, quantity: '0.5' });
    assert.deepEqual(convertQuantity('1', 'PL', 'EA', caseOf12), { ok: true, quantity: '480' });
    assert.deepEqual(convertQuantity('1.5', 'PL', 'EA', caseOf12), { ok: true, quantity: '720' });
    assert.deepEqual(convertQuantity('7', 'EA', 'EA', caseOf12), { ok: true, quantity: '7' });
  });

  it('knows the standard conversions', () => {
    assert.deepEqual(convertQuantity('2', 'DZ', 'EA', []), { ok: true, quantity: '24' });
    assert.deepEqual(convertQuantity('100', 'LB', 'KG', []), { ok: true, quantity: '45.359237' });
    assert.deepEqual(convertQuantity('1', 'GAL', 'ML', [], { scale: 2 }), { ok: true, quantity: '3785.41' });
    assert.deepEqual(convertQuantity('10', 'FT', 'M', []), { ok: true, quantity: '3.048' });
    assert.deepEqual(convertQuantity('1', 'YD', 'IN', []), { ok: true, quantity: '36' });
    assert.deepEqual(convertQuantity('2', 'M3', 'ML', []), { ok: true, quantity: '2000000' });
    assert.equal(convertQuantity('2', 'DZ', 'EA', [], { standard: false }).ok, false);
  });

  it('refuses what cannot be exact, unless a scale is given', () => {
    const third = convertQuantity('1', 'EA', 'CS', caseOf12);
    assert.equal(third.ok, false);
    assert.equal(!third.ok && third.reason, 'inexact');
    assert.deepEqual(convertQuantity('1', 'EA', 'CS', caseOf12, { scale: 4 }), { ok: true, quantity: '0.0833' });
    assert.deepEqual(convertQuantity('1', 'KG', 'LB', [], { scale: 3 }), { ok: true, quantity: '2.205' });
    // 1 LB = 0.45359237 KG needs 8 decimals: more than a quantity may hold.
    assert.equal(convertQuantity('1', 'LB', 'KG', []).ok, false);
    assert.deepEqual(convertQuantity('1', 'LB', 'KG', [], { scale: 6 }), { ok: true, quantity: '0.453592' });
  });

  it('explains failures with a reason code', () => {
    const cases: [ReturnType<typeof convertQuantity>, string][] = [
      [convertQuantity('1', 'CS', 'KG', caseOf12), 'no_conversion'],
      [convertQuantity('1', 'XX', 'EA', caseOf12), 'unknown_unit'],
      [convertQuantity('1e3', 'CS', 'EA', caseOf12), 'invalid_quantity'],
      [convertQuantity(12 as unknown as string, 'CS', 'EA', caseOf12), 'invalid_quantity'],
    ];
    for (const [result, reason] of cases) {
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.reason, reason);
      assert.ok(!result.ok && result.message.length > 0);
    }
  });

  it('round-trips through integer factors exactly', () => {
    fc.assert(
      fc.property(quantityArb, intFactorArb, intFactorArb, (q, caseFactor, palletFactor) => {
        const conversions: UnitConversion[] = [
          { from: 'CS', to: 'EA', factor: caseFactor },
          { from: 'PL', to: 'CS', factor: palletFactor },
        ];
        for (const [from, to] of [['PL', 'EA'], ['CS', 'EA'], ['PL', 'CS']] as const) {
          const there = expectOk(convertQuantity(q, from, to, conversions));
          const back = expectOk(convertQuantity(there, to, from, conversions));
          assert.equal(compareDecimal(back, q), 0, `${q} ${from} → ${there} ${to} → ${back} ${from}`);
        }
      }),
    );
  });

  it('round-trips through decimal factors whenever the way there is exact', () => {
    fc.assert(
      fc.property(quantityArb, fc.stringMatching(/^[1-9]\d{0,2}(?:\.\d{1,3})?$/), (q, factor) => {
        const conversions: UnitConversion[] = [{ from: 'BX', to: 'KG', factor }];
        const there = convertQuantity(q, 'BX', 'KG', conversions);
        if (there.ok) {
          assert.equal(compareDecimal(expectOk(convertQuantity(there.quantity, 'KG', 'BX', conversions)), q), 0);
        } else {
          assert.equal(there.reason, 'inexact');
        }
      }),
    );
  });

  it('is linear: converting a sum equals the sum of conversions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), intFactorArb, (a, b, factor) => {
        const conversions: UnitConversion[] = [{ from: 'CS', to: 'EA', factor }];
        const sum = expectOk(convertQuantity(String(a + b), 'CS', 'EA', conversions));
        assert.equal(BigInt(sum), BigInt(expectOk(convertQuantity(String(a), 'CS', 'EA', conversions))) + BigInt(expectOk(convertQuantity(String(b), 'CS', 'EA', conversions))));
      }),
    );
  });
});

describe('unit schemas', () => {
  it('accepts known codes only, with a helpful message', () => {
    for (const code of unitCodes) {
      assert.equal(unitOfMeasureSchema.safeParse(code).success, true);
    }
    const bad = unitOfMeasureSchema.safeParse('ea');
    assert.match(bad.error?.issues[0]?.message ?? '', /unknown unit of measure "ea"/);
  });

  it('validates conversions', () => {
    assert.equal(unitConversionSchema.safeParse({ from: 'CS', to: 'EA', factor: '12' }).success, true);
    const same = unitConversionSchema.safeParse({ from: 'CS', to: 'CS', factor: '1' });
    assert.deepEqual(same.error?.issues.map((i) => [i.path, i.message]), [[['to'], 'a conversion needs two different units']]);
    const zero = unitConversionSchema.safeParse({ from: 'CS', to: 'EA', factor: '0' });
    assert.deepEqual(zero.error?.issues[0]?.path, ['factor']);
    const float = unitConversionSchema.safeParse({ from: 'CS', to: 'EA', factor: 12 });
    assert.deepEqual(float.error?.issues[0]?.path, ['factor']);
    for (const c of standardUnitConversions) {
      assert.equal(unitConversionSchema.safeParse(c).success, true, JSON.stringify(c));
    }
  });
});
