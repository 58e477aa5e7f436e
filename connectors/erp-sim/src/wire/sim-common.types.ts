/**
 * The simulator's wire basics shared by its sales and purchasing records: unit codes, Julian dates, times of day and
 * the last-update stamp every record carries.
 */

/** Units of measure the simulator knows (its own codes: `CA` case, `PA` pallet, `GA` gallon). */
export const simUnitCodes = ['EA', 'CA', 'BX', 'PA', 'FT', 'RL', 'GA', 'PR', 'PK'] as const;

/** A simulator unit of measure code. */
export type SimUom = (typeof simUnitCodes)[number];

/** Julian date `CYYDDD`: (year - 1900) * 1000 + day of year, e.g. 125032 = 2025-02-01. */
export type JulianDate = number;

/** Time of day `HHMMSS` as a number, UTC, e.g. 140500 = 14:05:00. */
export type TimeOfDay = number;

/** Last-update stamp carried by every record. */
export interface SimStamp {
  /** Date updated (Julian). */
  UPMJ: JulianDate;
  /** Time updated (HHMMSS). */
  TDAY: TimeOfDay;
}
