import { z } from 'zod';
import { formatDecimal, parseDecimal, rescaleDecimal, type ScaledDecimal } from './decimal.js';

/** Most decimals a money amount may carry. */
export const MONEY_MAX_SCALE = 4;

const amountNotANumber = (issue: { input?: unknown }) =>
  typeof issue.input === 'number' ? 'money amounts are decimal strings such as "12.50", never JSON numbers' : undefined;

/** ISO 4217 alphabetic currency code: three upper-case letters. */
export const currencyCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'currency must be an ISO 4217 code: three upper-case letters, e.g. "USD"' });

/** A money amount: decimal string, up to 4 decimals, optional leading '-', at most 15 integer digits. */
export const moneyAmountSchema = z
  .string({ error: amountNotANumber })
  .regex(/^(?!-0+(?:\.0+)?$)-?(?:0|[1-9]\d{0,14})(?:\.\d{1,4})?$/, {
    error: 'amount must be a decimal string with up to 4 decimals and an optional leading "-", e.g. "12.50"',
  });

/** A money amount that may not be negative (prices, limits). */
export const nonNegativeMoneyAmountSchema = z
  .string({ error: amountNotANumber })
  .regex(/^(?:0|[1-9]\d{0,14})(?:\.\d{1,4})?$/, {
    error: 'amount must be a non-negative decimal string with up to 4 decimals, e.g. "12.50"',
  });

/** Money: a decimal-string amount and an ISO 4217 currency. Never a float. */
export const moneySchema = z.object({ amount: moneyAmountSchema, currency: currencyCodeSchema });

/** Money whose amount is zero or more (unit prices, credit limits). */
export const nonNegativeMoneySchema = z.object({ amount: nonNegativeMoneyAmountSchema, currency: currencyCodeSchema });

/** Money: `{ amount: "12.50", currency: "USD" }`. */
export type Money = z.infer<typeof moneySchema>;

const MINOR_UNITS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0,
  VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** Number of minor-unit digits of a currency per ISO 4217 (2 unless listed otherwise, e.g. JPY 0, KWD 3). */
export function currencyMinorUnits(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

function fromScaled(value: ScaledDecimal, currency: string): Money {
  return { amount: formatDecimal(value, Math.min(currencyMinorUnits(currency), MONEY_MAX_SCALE)), currency };
}

function sameCurrency(a: Money, b: Money, operation: string): void {
  if (a.currency !== b.currency) {
    throw new RangeError(`TL_MONEY_CURRENCY_MISMATCH: cannot ${operation} ${a.currency} and ${b.currency}`);
  }
}

/**
 * Builds a validated Money, normalised to at least the currency's minor-unit digits; throws a TypeError on bad input.
 * @example money('12.5', 'USD') // { amount: '12.50', currency: 'USD' }
 */
export function money(amount: string, currency: string): Money {
  const parsed = moneySchema.safeParse({ amount, currency });
  if (!parsed.success) {
    throw new TypeError(`invalid money: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  return fromScaled(parseDecimal(amount), currency);
}

/** Exact sum of two amounts of the same currency; throws a RangeError when currencies differ. */
export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b, 'add');
  const x = parseDecimal(a.amount);
  const y = parseDecimal(b.amount);
  const scale = Math.max(x.scale, y.scale);
  return fromScaled({ units: rescaleDecimal(x, scale).units + rescaleDecimal(y, scale).units, scale }, a.currency);
}

/** Exact difference `a - b` of two amounts of the same currency; throws a RangeError when currencies differ. */
export function subtractMoney(a: Money, b: Money): Money {
  return addMoney(a, negateMoney(b));
}

/** The same amount with the opposite sign. */
export function negateMoney(m: Money): Money {
  const x = parseDecimal(m.amount);
  return fromScaled({ units: -x.units, scale: x.scale }, m.currency);
}

/** Exact sum of a list of amounts, all in `currency` (an empty list sums to zero). */
export function sumMoney(items: readonly Money[], currency: string): Money {
  return items.reduce<Money>((total, item) => addMoney(total, item), fromScaled({ units: 0n, scale: 0 }, currency));
}

/**
 * Multiplies a money amount by a decimal-string quantity, exactly, then rounds half-even to 4 decimals.
 * @example multiplyMoney(money('1.99', 'USD'), '3') // { amount: '5.97', currency: 'USD' }
 */
export function multiplyMoney(m: Money, quantity: string): Money {
  const x = parseDecimal(m.amount);
  const q = parseDecimal(quantity);
  const product: ScaledDecimal = { units: x.units * q.units, scale: x.scale + q.scale };
  return fromScaled(product.scale > MONEY_MAX_SCALE ? rescaleDecimal(product, MONEY_MAX_SCALE) : product, m.currency);
}

/** Rounds half-even to `scale` decimals (default: the currency's minor units, e.g. 2 for USD). */
export function roundMoney(m: Money, scale: number = currencyMinorUnits(m.currency)): Money {
  return fromScaled(rescaleDecimal(parseDecimal(m.amount), Math.min(scale, MONEY_MAX_SCALE)), m.currency);
}

/** Compares two amounts of the same currency: -1, 0 or 1; throws a RangeError when currencies differ. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b, 'compare');
  const x = parseDecimal(a.amount);
  const y = parseDecimal(b.amount);
  const scale = Math.max(x.scale, y.scale);
  const xu = rescaleDecimal(x, scale).units;
  const yu = rescaleDecimal(y, scale).units;
  return xu < yu ? -1 : xu > yu ? 1 : 0;
}

/** True when the amount is zero. */
export function isZeroMoney(m: Money): boolean {
  return parseDecimal(m.amount).units === 0n;
}

/**
 * The amount as an integer count of 10^-scale units (default scale: the currency's minor units), rounded half-even.
 * @example moneyToMinor(money('12.345', 'USD'), 2) // 1234n
 */
export function moneyToMinor(m: Money, scale: number = currencyMinorUnits(m.currency)): bigint {
  return rescaleDecimal(parseDecimal(m.amount), scale).units;
}

/** Builds Money from an integer count of 10^-scale units (default scale: the currency's minor units, at most 4). */
export function moneyFromMinor(minor: bigint, currency: string, scale: number = currencyMinorUnits(currency)): Money {
  if (!Number.isInteger(scale) || scale < 0 || scale > MONEY_MAX_SCALE) {
    throw new RangeError(`scale must be an integer from 0 to ${MONEY_MAX_SCALE}, got ${scale}`);
  }
  return fromScaled({ units: minor, scale }, currency);
}
