import { z } from 'zod';
import { divideHalfEven, formatDecimal, isDecimalString, parseDecimal } from './decimal.js';
import { QUANTITY_MAX_SCALE } from './quantity.js';

/** Unit of measure codes understood by every connector (connectors map their own codes to these). */
export const unitCodes = [
  // packaging / count
  'EA', // each
  'PR', // pair
  'DZ', // dozen
  'PK', // pack
  'BX', // box
  'CS', // case
  'CT', // carton
  'BG', // bag
  'BD', // bundle
  'RL', // roll
  'DR', // drum
  'ST', // set
  'KT', // kit
  'PL', // pallet
  // mass
  'G',
  'KG',
  'OZ',
  'LB',
  // length
  'MM',
  'CM',
  'M',
  'IN',
  'FT',
  'YD',
  // volume and area
  'ML',
  'L',
  'GAL', // US gallon
  'M3',
  'M2',
  'FT2',
  // time (services, labour)
  'HR',
] as const;

/** A unit of measure code, e.g. 'EA', 'CS', 'KG'. */
export type UnitOfMeasure = (typeof unitCodes)[number];

/** Zod schema for a unit of measure code. */
export const unitOfMeasureSchema = z.enum(unitCodes, {
  error: (issue) =>
    issue.input === undefined ? undefined : `unknown unit of measure ${JSON.stringify(issue.input)}; expected one of ${unitCodes.join(', ')}`,
});

/** A conversion factor: positive decimal string with up to 10 decimals. */
export const conversionFactorSchema = z
  .string()
  .regex(/^(?!0+(?:\.0+)?$)(?:0|[1-9]\d{0,11})(?:\.\d{1,10})?$/, {
    error: 'factor must be a positive decimal string with up to 10 decimals, e.g. "12" or "0.45359237"',
  });

/** One `from` unit equals `factor` `to` units, e.g. `{ from: 'CS', to: 'EA', factor: '12' }`. */
export const unitConversionSchema = z
  .object({ from: unitOfMeasureSchema, to: unitOfMeasureSchema, factor: conversionFactorSchema })
  .refine((c) => c.from !== c.to, { error: 'a conversion needs two different units', path: ['to'] });

/** A unit conversion: 1 `from` = `factor` `to`. */
export type UnitConversion = z.infer<typeof unitConversionSchema>;

/** Conversions that hold for every item (physical definitions); item-specific ones come from the Item. */
export const standardUnitConversions: readonly UnitConversion[] = [
  { from: 'DZ', to: 'EA', factor: '12' },
  { from: 'PR', to: 'EA', factor: '2' },
  { from: 'KG', to: 'G', factor: '1000' },
  { from: 'LB', to: 'OZ', factor: '16' },
  { from: 'LB', to: 'KG', factor: '0.45359237' },
  { from: 'M', to: 'CM', factor: '100' },
  { from: 'CM', to: 'MM', factor: '10' },
  { from: 'FT', to: 'IN', factor: '12' },
  { from: 'YD', to: 'FT', factor: '3' },
  { from: 'FT', to: 'M', factor: '0.3048' },
  { from: 'L', to: 'ML', factor: '1000' },
  { from: 'M3', to: 'L', factor: '1000' },
  { from: 'GAL', to: 'L', factor: '3.785411784' },
];

/** Why a conversion could not be made. */
export type ConversionFailure = 'invalid_quantity' | 'unknown_unit' | 'no_conversion' | 'inexact';

/** Outcome of {@link convertQuantity}: the converted decimal string, or a reason and message. */
export type ConversionResult =
  | { ok: true; quantity: string }
  | { ok: false; reason: ConversionFailure; message: string };

/** Options for {@link convertQuantity}. */
export interface ConvertQuantityOptions {
  /** Round half-even to this many decimals instead of refusing results that are not exact. @default undefined (exact only) */
  scale?: number;
  /** Also use {@link standardUnitConversions} (dozen, kilogram, foot, ...). @default true */
  standard?: boolean;
}

interface Edge {
  to: string;
  num: bigint;
  den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    [x, y] = [y, x % y];
  }
  return x;
}

function findRatio(from: string, to: string, conversions: readonly UnitConversion[]): { num: bigint; den: bigint } | undefined {
  const graph = new Map<string, Edge[]>();
  const link = (a: string, edge: Edge) => {
    const list = graph.get(a) ?? [];
    list.push(edge);
    graph.set(a, list);
  };
  for (const c of conversions) {
    const f = parseDecimal(c.factor);
    const pow = 10n ** BigInt(f.scale);
    link(c.from, { to: c.to, num: f.units, den: pow });
    link(c.to, { to: c.from, num: pow, den: f.units });
  }
  // Breadth-first: the shortest chain of conversions wins; earlier conversions win ties.
  const seen = new Set([from]);
  const queue: { unit: string; num: bigint; den: bigint }[] = [{ unit: from, num: 1n, den: 1n }];
  for (let head = 0; head < queue.length; head += 1) {
    const current = queue[head]!;
    if (current.unit === to) {
      return { num: current.num, den: current.den };
    }
    for (const edge of graph.get(current.unit) ?? []) {
      if (!seen.has(edge.to)) {
        seen.add(edge.to);
        const num = current.num * edge.num;
        const den = current.den * edge.den;
        const g = gcd(num, den);
        queue.push({ unit: edge.to, num: num / g, den: den / g });
      }
    }
  }
  return undefined;
}

/**
 * Converts a decimal-string quantity between units using item conversions (and the standard ones), exactly.
 * @example convertQuantity('2', 'CS', 'EA', [{ from: 'CS', to: 'EA', factor: '12' }]) // { ok: true, quantity: '24' }
 */
export function convertQuantity(
  quantity: string,
  from: string,
  to: string,
  conversions: readonly UnitConversion[],
  options: ConvertQuantityOptions = {},
): ConversionResult {
  if (!isDecimalString(quantity)) {
    return { ok: false, reason: 'invalid_quantity', message: `quantity ${JSON.stringify(quantity)} is not a decimal string` };
  }
  for (const unit of [from, to]) {
    if (!(unitCodes as readonly string[]).includes(unit)) {
      return { ok: false, reason: 'unknown_unit', message: `unknown unit of measure ${JSON.stringify(unit)}` };
    }
  }
  const all = options.standard === false ? conversions : [...conversions, ...standardUnitConversions];
  const ratio = from === to ? { num: 1n, den: 1n } : findRatio(from, to, all);
  if (!ratio) {
    return { ok: false, reason: 'no_conversion', message: `no conversion from ${from} to ${to}` };
  }
  const q = parseDecimal(quantity);
  let num = q.units * ratio.num;
  let den = 10n ** BigInt(q.scale) * ratio.den;
  const g = gcd(num, den) || 1n;
  num /= g;
  den /= g;

  if (options.scale !== undefined) {
    if (!Number.isInteger(options.scale) || options.scale < 0 || options.scale > QUANTITY_MAX_SCALE) {
      return { ok: false, reason: 'inexact', message: `scale must be an integer from 0 to ${QUANTITY_MAX_SCALE}` };
    }
    const units = divideHalfEven(num * 10n ** BigInt(options.scale), den);
    return { ok: true, quantity: formatDecimal({ units, scale: options.scale }) };
  }

  // Exact only: the reduced denominator must be 2^a * 5^b, and the result must fit in QUANTITY_MAX_SCALE decimals.
  let rest = den;
  let twos = 0;
  let fives = 0;
  while (rest % 2n === 0n) {
    rest /= 2n;
    twos += 1;
  }
  while (rest % 5n === 0n) {
    rest /= 5n;
    fives += 1;
  }
  const scale = Math.max(twos, fives);
  if (rest !== 1n || scale > QUANTITY_MAX_SCALE) {
    return {
      ok: false,
      reason: 'inexact',
      message: `${quantity} ${from} cannot be expressed exactly in ${to} with at most ${QUANTITY_MAX_SCALE} decimals; pass { scale } to round`,
    };
  }
  return { ok: true, quantity: formatDecimal({ units: (num * 10n ** BigInt(scale)) / den, scale }) };
}
