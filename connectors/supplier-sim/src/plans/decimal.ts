/** Number of decimals written in a decimal string (`"9.4800"` → 4). */
export function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** Parses a decimal string; throws on anything else. */
export function parseDecimal(text: string): number {
  if (!/^-?\d+(\.\d+)?$/.test(text.trim())) throw new RangeError(`not a decimal: ${text}`);
  return Number(text);
}

/** Writes `value` with `decimals` decimals. */
export function formatDecimal(value: number, decimals: number): string {
  return value.toFixed(decimals);
}

/** Adds `days` to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a date: ${date}`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The earlier of two `YYYY-MM-DD` dates. */
export function minDate(a: string, b: string): string {
  return a <= b ? a : b;
}

/** The later of two `YYYY-MM-DD` dates. */
export function maxDate(a: string, b: string): string {
  return a >= b ? a : b;
}
