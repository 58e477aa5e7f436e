/**
 * The simulator's money arithmetic: amounts held as BigInt ten-thousandths (4 decimals), rounded half away from zero
 * when printed with fewer decimals, as classic ERPs do. Never a JavaScript float.
 */

const SCALE = 4;
const FACTOR = 10n ** BigInt(SCALE);

/** Parses a decimal string with at most 4 decimals into ten-thousandths. */
export function toUnits(amount: string): bigint {
  const match = /^(-)?(\d+)(?:\.(\d{1,4}))?$/.exec(amount);
  if (!match) throw new RangeError(`not an amount: ${JSON.stringify(amount)}`);
  const units = BigInt(match[2]!) * FACTOR + BigInt((match[3] ?? '').padEnd(SCALE, '0'));
  return match[1] ? -units : units;
}

/** Rounds ten-thousandths to `decimals` (0-4), half away from zero; the result is still in ten-thousandths. */
export function roundUnits(units: bigint, decimals: number): bigint {
  const step = 10n ** BigInt(SCALE - decimals);
  const magnitude = units < 0n ? -units : units;
  const rounded = ((magnitude + step / 2n) / step) * step;
  return units < 0n ? -rounded : rounded;
}

/** Formats ten-thousandths with exactly `decimals` decimals (rounding half away from zero). */
export function formatUnits(units: bigint, decimals = 2): string {
  const rounded = roundUnits(units, decimals);
  const negative = rounded < 0n;
  const magnitude = negative ? -rounded : rounded;
  const whole = magnitude / FACTOR;
  const fraction = (magnitude % FACTOR).toString().padStart(SCALE, '0').slice(0, decimals);
  return `${negative && magnitude !== 0n ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}`;
}

/** `units` × `percent` / 100, rounded half away from zero to cents (result in ten-thousandths). */
export function percentOf(units: bigint, percent: string): bigint {
  const raw = units * toUnits(percent); // 8 decimals of amount × percent
  const divisor = 100n * 1_000_000n; // percent, then 8 → 2 decimals
  const magnitude = raw < 0n ? -raw : raw;
  const cents = (magnitude * 2n + divisor) / (2n * divisor);
  return (raw < 0n ? -cents : cents) * 100n;
}
