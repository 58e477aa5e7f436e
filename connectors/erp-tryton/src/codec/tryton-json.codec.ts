/** Tryton's JSON-RPC encoding of dates, datetimes and decimals (`{"__class__": …}` objects). */

/** A decimal as Tryton sends and expects it. */
export interface TrytonDecimal {
  __class__: 'Decimal';
  decimal: string;
}

/** A naive UTC datetime as Tryton encodes it. */
export interface TrytonDateTime {
  __class__: 'datetime';
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
}

/** Encodes a decimal string for Tryton. */
export function toTrytonDecimal(value: string): TrytonDecimal {
  return { __class__: 'Decimal', decimal: value };
}

/** Encodes a date (`YYYY-MM-DD`) for Tryton. */
export function toTrytonDate(isoDate: string): { __class__: 'date'; year: number; month: number; day: number } {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return { __class__: 'date', year: y, month: m, day: d };
}

/**
 * Encodes a timestamp with microseconds for Tryton: `us` is microseconds since the epoch (UTC), so no precision is lost
 * against the microsecond `write_date` values Tryton stores.
 */
export function toTrytonDateTime(us: bigint): TrytonDateTime {
  const ms = Number(us / 1000n);
  const d = new Date(ms);
  return {
    __class__: 'datetime',
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    microsecond: Number(us % 1_000_000n),
  };
}

/** Microseconds since the epoch of a Tryton datetime (read as UTC, as trytond stores them). */
export function microsOf(value: unknown): bigint | null {
  if (!value || typeof value !== 'object' || (value as { __class__?: unknown }).__class__ !== 'datetime') return null;
  const v = value as TrytonDateTime;
  const ms = Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, v.second);
  return BigInt(ms) * 1000n + BigInt(v.microsecond ?? 0);
}

/** ISO 8601 UTC string (millisecond precision) of microseconds since the epoch. */
export function isoOfMicros(us: bigint): string {
  return new Date(Number(us / 1000n)).toISOString();
}

/** ISO date-time of a Tryton datetime, or `fallback` when absent. */
export function isoDateTimeOf(value: unknown, fallback: string): string {
  const us = microsOf(value);
  return us === null ? fallback : isoOfMicros(us);
}

/** `YYYY-MM-DD` of a Tryton date, or undefined. */
export function isoDateOf(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || (value as { __class__?: unknown }).__class__ !== 'date') return undefined;
  const v = value as { year: number; month: number; day: number };
  return `${String(v.year).padStart(4, '0')}-${String(v.month).padStart(2, '0')}-${String(v.day).padStart(2, '0')}`;
}

/** The decimal string of a Tryton number (Decimal object, number or string); `'0'` when absent. */
export function decimalOf(value: unknown): string {
  if (value === null || value === undefined || value === false) return '0';
  if (typeof value === 'object' && (value as { __class__?: unknown }).__class__ === 'Decimal') return normalizeDecimal(String((value as TrytonDecimal).decimal));
  if (typeof value === 'number') return normalizeDecimal(String(value));
  return normalizeDecimal(String(value));
}

/** Removes exponent notation and trailing zeros after the point: `'2.000'` → `'2'`, `'1E+1'` → `'10'`. */
export function normalizeDecimal(text: string): string {
  let s = text.trim();
  if (/e/i.test(s)) s = Number(s).toFixed(10);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  if (s === '-0' || s === '') s = '0';
  return s;
}
