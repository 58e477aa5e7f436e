/**
 * Exact decimal arithmetic on strings, backed by BigInt scaled integers.
 *
 * A decimal string such as "12.50" is held as `{ units: 1250n, scale: 2 }` (value = units / 10^scale).
 * Nothing in this file ever goes through a JavaScript number, so no binary floating-point error can creep in.
 */

/** A decimal value held exactly: `units / 10^scale`. */
export interface ScaledDecimal {
  readonly units: bigint;
  readonly scale: number;
}

const LOOSE_DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** True when `value` is a plain decimal string (optional '-', digits, optional fraction; no exponent, no '+'). */
export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && LOOSE_DECIMAL.test(value);
}

/** Parses a decimal string into a scaled integer; throws a TypeError when the string is not a plain decimal. */
export function parseDecimal(value: string): ScaledDecimal {
  const match = typeof value === 'string' ? LOOSE_DECIMAL.exec(value) : null;
  if (!match) {
    throw new TypeError(`not a decimal string: ${JSON.stringify(value)}`);
  }
  const [, sign, whole = '0', fraction = ''] = match;
  const magnitude = BigInt(whole + fraction);
  return { units: sign ? -magnitude : magnitude, scale: fraction.length };
}

/** Formats a scaled integer as a decimal string, trimming trailing fraction zeros down to `minFractionDigits`. */
export function formatDecimal(value: ScaledDecimal, minFractionDigits = 0): string {
  let { units, scale } = value;
  if (scale < minFractionDigits) {
    units *= 10n ** BigInt(minFractionDigits - scale);
    scale = minFractionDigits;
  }
  while (scale > minFractionDigits && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

/** Divides `numerator` by a positive `denominator`, rounding half to even (banker's rounding). */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) {
    throw new RangeError('denominator must be positive');
  }
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  const twiceRemainder = (magnitude % denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) {
    quotient += 1n;
  }
  return negative ? -quotient : quotient;
}

/** Changes the scale of a decimal: exact when growing, rounded half-even when shrinking. */
export function rescaleDecimal(value: ScaledDecimal, scale: number): ScaledDecimal {
  if (!Number.isInteger(scale) || scale < 0) {
    throw new RangeError(`scale must be a non-negative integer, got ${scale}`);
  }
  if (scale >= value.scale) {
    return { units: value.units * 10n ** BigInt(scale - value.scale), scale };
  }
  return { units: divideHalfEven(value.units, 10n ** BigInt(value.scale - scale)), scale };
}

function align(a: ScaledDecimal, b: ScaledDecimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [rescaleDecimal(a, scale).units, rescaleDecimal(b, scale).units, scale];
}

/** Exact sum of two decimal strings. */
export function addDecimal(a: string, b: string): string {
  const [x, y, scale] = align(parseDecimal(a), parseDecimal(b));
  return formatDecimal({ units: x + y, scale });
}

/** Exact difference `a - b` of two decimal strings. */
export function subtractDecimal(a: string, b: string): string {
  const [x, y, scale] = align(parseDecimal(a), parseDecimal(b));
  return formatDecimal({ units: x - y, scale });
}

/** Product of two decimal strings: exact, or rounded half-even to `maxScale` decimals when given. */
export function multiplyDecimal(a: string, b: string, maxScale?: number): string {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const product: ScaledDecimal = { units: x.units * y.units, scale: x.scale + y.scale };
  return formatDecimal(maxScale === undefined || product.scale <= maxScale ? product : rescaleDecimal(product, maxScale));
}

/** Compares two decimal strings numerically: -1, 0 or 1. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const [x, y] = align(parseDecimal(a), parseDecimal(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** True when the decimal string is numerically zero ("0", "0.00", "-0"). */
export function isZeroDecimal(value: string): boolean {
  return parseDecimal(value).units === 0n;
}
