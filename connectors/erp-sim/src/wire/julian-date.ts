import type { JulianDate, TimeOfDay } from './sim-wire.types.js';

const DAY_MS = 86_400_000;

/** The Julian date `CYYDDD` of an instant's UTC calendar day, e.g. 2025-02-01 → 125032. */
export function toJulian(date: Date): JulianDate {
  const year = date.getUTCFullYear();
  const day = Math.floor((Date.UTC(year, date.getUTCMonth(), date.getUTCDate()) - Date.UTC(year, 0, 1)) / DAY_MS) + 1;
  return (year - 1900) * 1000 + day;
}

/** True when `value` is a plausible Julian date (century 0-1, day 1 to the year's length). */
export function isJulian(value: unknown): value is JulianDate {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 199_366) return false;
  const year = Math.floor(value / 1000) + 1900;
  const day = value % 1000;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day >= 1 && day <= (leap ? 366 : 365);
}

/** Midnight UTC of a Julian date. */
export function fromJulian(julian: JulianDate): Date {
  return new Date(Date.UTC(Math.floor(julian / 1000) + 1900, 0, julian % 1000));
}

/** A Julian date as ISO `YYYY-MM-DD`. */
export function julianToIsoDate(julian: JulianDate): string {
  return fromJulian(julian).toISOString().slice(0, 10);
}

/** An ISO `YYYY-MM-DD` date (or date-time, whose UTC day is used) as a Julian date. */
export function isoToJulian(iso: string): JulianDate {
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not an ISO date: ${iso}`);
  return toJulian(date);
}

/** The Julian date `days` later (or earlier when negative). */
export function addDaysJulian(julian: JulianDate, days: number): JulianDate {
  return toJulian(new Date(fromJulian(julian).getTime() + days * DAY_MS));
}

/** An instant's UTC time of day as `HHMMSS`. */
export function toTimeOfDay(date: Date): TimeOfDay {
  return date.getUTCHours() * 10_000 + date.getUTCMinutes() * 100 + date.getUTCSeconds();
}

/** A Julian date and `HHMMSS` time (UTC) as an RFC 3339 instant, e.g. `2025-02-01T14:05:00Z`. */
export function julianToIsoDateTime(julian: JulianDate, time: TimeOfDay = 0): string {
  const hh = Math.floor(time / 10_000);
  const mm = Math.floor(time / 100) % 100;
  const ss = time % 100;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${julianToIsoDate(julian)}T${pad(hh)}:${pad(mm)}:${pad(ss)}Z`;
}
