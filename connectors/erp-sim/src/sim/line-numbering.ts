import { formatLnid, parseLnid } from '../wire/line-number.js';
import { SimError } from './sim.errors.js';

/**
 * Numbers the lines of a new document as they are read: the requested `LNID`, else one after the highest so far.
 * A number that is not whole and positive (`LIN001`) or is used twice (`LIN002`) is refused, naming `<field>.LNID`.
 * @example const next = lineNumbering(); const n = next(requested.LNID, `LINES.${i}`);
 */
export function lineNumbering(): (lnid: string | undefined, field: string) => number {
  const seen = new Set<number>();
  let last = 0;
  return (lnid, field) => {
    const number = lnid !== undefined ? parseLnid(lnid) : last + 1;
    if (!Number.isInteger(number) || number < 1) throw new SimError(400, 'LIN001', `line number ${lnid} is not a whole line number like "1.000"`, `${field}.LNID`);
    if (seen.has(number)) throw new SimError(400, 'LIN002', `line number ${formatLnid(number)} is used twice`, `${field}.LNID`);
    seen.add(number);
    last = Math.max(last, number);
    return number;
  };
}
