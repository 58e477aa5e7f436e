/// <reference types="node" />
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDecimal, compareDecimal, divideHalfEven, formatDecimal, multiplyDecimal, parseDecimal, subtractDecimal } from './decimal.js';
import {
  addMoney,
  compareMoney,
  money,
  moneyFromMinor,
  moneySchema,
  moneyToMinor,
  multiplyMoney,
  negateMoney,
  roundMoney,
  subtractMoney,
  sumMoney,
} from './money.js';
import { positiveQuantitySchema, quantitySchema, signedQuantitySchema } from './quantity.js';

// Reference model: every value as an integer count of 10^-4 (money) or 10^-6 (quantity), computed independently.
const amountUnitsArb = fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n });
const quantityUnitsArb = fc.bigInt({ min: 0n, max: 10n ** 13n });

function fromUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function toUnits(value: string, scale: number): bigint {
  const negative = value.startsWith('-');
  const [whole, fraction = ''] = (negative ? value.slice(1) : value).split('.');
  assert.ok(fraction.length <= scale, `${value} has more than ${scale} decimals`);
  const units = BigInt(whole! + fraction.padEnd(scale, '0'));
  return negative ? -units : units;
}

/** Reference half-even rounding of n / d (d > 0) written differently from the implementation: via floor. */
function referenceHalfEven(n: bigint, d: bigint): bigint {
  const floor = n >= 0n ? n / d : -((-n + d - 1n) / d);
  const remainder2 = (n - floor * d) * 2n; // in [0, 2d)
  if (remainder2 < d) return floor;
  if (remainder2 > d) return floor + 1n;
  return floor % 2n === 0n ? floor : floor + 1n;
}

const usd = (units: bigint) => money(fromUnits(units, 4), 'USD');

describe('money', () => {
  it('adds and subtracts exactly (BigInt reference)', () => {
    fc.assert(
      fc.property(amountUnitsArb, amountUnitsArb, (a, b) => {
        assert.equal(toUnits(addMoney(usd(a), usd(b)).amount, 4), a + b);
        assert.equal(toUnits(subtractMoney(usd(a), usd(b)).amount, 4), a - b);
      }),
    );
  });

  it('sums exactly and in any order', () => {
    fc.assert(
      fc.property(fc.array(amountUnitsArb, { maxLength: 20 }), (values) => {
        const expected = values.reduce((s, v) => s + v, 0n);
        assert.equal(toUnits(sumMoney(values.map(usd), 'USD').amount, 4), expected);
        assert.deepEqual(sumMoney([...values].reverse().map(usd), 'USD'), sumMoney(values.map(usd), 'USD'));
      }),
    );
  });

  it('multiplies by a decimal quantity exactly, then rounds half-even to 4 decimals', () => {
    fc.assert(
      fc.property(amountUnitsArb, quantityUnitsArb, (a, q) => {
        const product = multiplyMoney(usd(a), fromUnits(q, 6));
        // a/10^4 * q/10^6 = a*q / 10^10 → to 10^-4 units: a*q / 10^6, rounded half-even.
        assert.equal(toUnits(product.amount, 4), referenceHalfEven(a * q, 10n ** 6n));
      }),
    );
  });

  it('rounds half to even', () => {
    assert.equal(multiplyMoney(money('0.0001', 'USD'), '0.5').amount, '0.00');
    assert.equal(multiplyMoney(money('0.0003', 'USD'), '0.5').amount, '0.0002');
    assert.equal(multiplyMoney(money('-0.0003', 'USD'), '0.5').amount, '-0.0002');
    assert.equal(roundMoney(money('2.345', 'USD')).amount, '2.34');
    assert.equal(roundMoney(money('2.355', 'USD')).amount, '2.36');
    assert.equal(roundMoney(money('2.5', 'JPY')).amount, '2');
    assert.equal(roundMoney(money('3.5', 'JPY')).amount, '4');
    assert.equal(multiplyMoney(money('1.99', 'USD'), '3').amount, '5.97');
    assert.equal(multiplyMoney(money('0.1', 'USD'), '3').amount, '0.30'); // 0.1 * 3 with floats is 0.30000000000000004
  });

  it('compares like BigInt', () => {
    fc.assert(
      fc.property(amountUnitsArb, amountUnitsArb, (a, b) => {
        assert.equal(compareMoney(usd(a), usd(b)), a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });

  it('converts to and from minor units', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.constantFrom('USD', 'JPY', 'KWD'), (minor, currency) => {
        assert.equal(moneyToMinor(moneyFromMinor(minor, currency), undefined), minor);
      }),
    );
    assert.equal(moneyToMinor(money('12.345', 'USD'), 2), 1234n);
    assert.equal(moneyToMinor(money('12.355', 'USD'), 2), 1236n);
    assert.equal(moneyToMinor(money('12.5', 'USD')), 1250n);
    assert.equal(moneyToMinor(money('1500', 'JPY')), 1500n);
    assert.equal(moneyToMinor(money('1.5', 'KWD')), 1500n);
    assert.deepEqual(moneyFromMinor(1999n, 'USD'), { amount: '19.99', currency: 'USD' });
  });

  it('normalises to the currency minor unit and keeps extra precision', () => {
    assert.deepEqual(money('12.5', 'USD'), { amount: '12.50', currency: 'USD' });
    assert.deepEqual(money('12.5000', 'USD'), { amount: '12.50', currency: 'USD' });
    assert.deepEqual(money('12.1234', 'USD'), { amount: '12.1234', currency: 'USD' });
    assert.deepEqual(money('100', 'JPY'), { amount: '100', currency: 'JPY' });
    assert.deepEqual(money('1', 'KWD'), { amount: '1.000', currency: 'KWD' });
    assert.deepEqual(negateMoney(money('0', 'USD')), { amount: '0.00', currency: 'USD' });
    assert.deepEqual(sumMoney([], 'EUR'), { amount: '0.00', currency: 'EUR' });
  });

  it('refuses mixed currencies', () => {
    assert.throws(() => addMoney(money('1', 'USD'), money('1', 'EUR')), /TL_MONEY_CURRENCY_MISMATCH/);
    assert.throws(() => compareMoney(money('1', 'USD'), money('1', 'EUR')), /TL_MONEY_CURRENCY_MISMATCH/);
  });

  it('refuses floats and malformed amounts', () => {
    const float = moneySchema.safeParse({ amount: 12.5, currency: 'USD' });
    assert.equal(float.success, false);
    assert.deepEqual(
      float.error?.issues.map((i) => ({ path: i.path, code: i.code, message: i.message })),
      [{ path: ['amount'], code: 'invalid_type', message: 'money amounts are decimal strings such as "12.50", never JSON numbers' }],
    );
    for (const amount of ['12.12345', '1e3', '+1', '.5', '5.', '01', '-0', '-0.00', ' 1', '1,000.00', '1234567890123456', 'NaN']) {
      const result = moneySchema.safeParse({ amount, currency: 'USD' });
      assert.equal(result.success, false, amount);
      assert.deepEqual(result.error?.issues[0]?.path, ['amount'], amount);
    }
    const currency = moneySchema.safeParse({ amount: '1', currency: 'usd' });
    assert.deepEqual(currency.error?.issues[0]?.path, ['currency']);
    assert.match(currency.error?.issues[0]?.message ?? '', /ISO 4217/);
    assert.throws(() => money(12.5 as unknown as string, 'USD'), TypeError);
    assert.throws(() => money('12.50', 'US'), /ISO 4217/);
  });
});

describe('decimal', () => {
  it('parses and formats losslessly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 12 }), (units, scale) => {
        const text = formatDecimal({ units, scale }, scale);
        const back = parseDecimal(text);
        assert.equal(back.units, units);
        assert.equal(back.scale, scale);
      }),
    );
  });

  it('add, subtract, multiply and compare agree with BigInt', () => {
    fc.assert(
      fc.property(amountUnitsArb, quantityUnitsArb, (a, q) => {
        const x = fromUnits(a, 4);
        const y = fromUnits(q, 6);
        assert.equal(toUnits(addDecimal(x, y), 6), a * 100n + q);
        assert.equal(toUnits(subtractDecimal(x, y), 6), a * 100n - q);
        assert.equal(toUnits(multiplyDecimal(x, y), 10), a * q);
        assert.equal(compareDecimal(x, y), a * 100n < q ? -1 : a * 100n > q ? 1 : 0);
      }),
    );
  });

  it('divides half-even like the reference', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        assert.equal(divideHalfEven(n, d), referenceHalfEven(n, d));
      }),
    );
  });

  it('refuses non-decimal text', () => {
    for (const bad of ['', '1e5', '0x10', '1.2.3', '--1', 'abc']) {
      assert.throws(() => parseDecimal(bad), TypeError, bad);
    }
  });
});

describe('quantity schemas', () => {
  it('accept decimal strings and refuse numbers, negatives and excess precision', () => {
    assert.equal(quantitySchema.safeParse('0').success, true);
    assert.equal(quantitySchema.safeParse('12.125').success, true);
    assert.equal(quantitySchema.safeParse('-1').success, false);
    assert.equal(quantitySchema.safeParse('1.1234567').success, false);
    assert.equal(positiveQuantitySchema.safeParse('0.000').success, false);
    assert.equal(positiveQuantitySchema.safeParse('0.001').success, true);
    assert.equal(signedQuantitySchema.safeParse('-3.5').success, true);
    assert.equal(signedQuantitySchema.safeParse('-0').success, false);
    const number = quantitySchema.safeParse(3);
    assert.equal(number.error?.issues[0]?.code, 'invalid_type');
    assert.match(number.error?.issues[0]?.message ?? '', /never a JSON number/);
  });
});
