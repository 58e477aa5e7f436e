/**
 * Reading one CSV value as a typed canonical value: numbers with the partner's decimal and grouping separators,
 * dates and date-times in the partner's formats, units and codes through the mapping's tables. Each reader returns
 * the value or a specific message.
 */
import { acknowledgmentActions, formatDecimal, parseDecimal, unitCodes, type AcknowledgmentAction, type UnitOfMeasure } from '@tradelane/canonical';
import { unitFromX12 } from '../mappers/x12-set.reader.js';
import type { CsvFormat, CsvMapping } from './csv-mapping.schema.js';

/** A value, or why the text is not one. */
export type CsvValueResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

const ok = <T>(value: T): CsvValueResult<T> => ({ ok: true, value });
const bad = (code: string, message: string): CsvValueResult<never> => ({ ok: false, code, message });

/**
 * A decimal number written with the file's separators, as a canonical decimal string (`1.234,50` → `1234.5` with
 * decimal `,` and grouping `.`). `maxScale` limits the decimals; `sign` says what is allowed.
 */
export function readCsvDecimal(text: string, format: Pick<CsvFormat, 'decimalSeparator' | 'thousandsSeparator'>, options: { maxScale: number; sign: 'positive' | 'non-negative' | 'any' }): CsvValueResult<string> {
  const { decimalSeparator: dec, thousandsSeparator: group } = format;
  const esc = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const grouped = group ? `\\d{1,3}(?:${esc(group)}\\d{3})+|\\d+` : '\\d+';
  const pattern = new RegExp(`^([+-]?)(${grouped})(?:${esc(dec)}(\\d+))?$`);
  const m = pattern.exec(text);
  const example = `${group ? `1${group}234` : '1234'}${dec}5`;
  if (!m) return bad('TL_EDI_CSV_BAD_NUMBER', `"${text}" is not a number (decimal separator "${dec}"${group ? `, grouping "${group}"` : ''}, e.g. ${example})`);
  const digits = (m[2] as string).split(group || '\u0000').join('');
  const fraction = m[3] ?? '';
  const canonical = formatDecimal(parseDecimal(`${m[1] === '-' ? '-' : ''}${digits}${fraction ? `.${fraction}` : ''}`));
  const scale = canonical.includes('.') ? (canonical.split('.')[1] as string).length : 0;
  if (scale > options.maxScale) return bad('TL_EDI_CSV_BAD_NUMBER', `"${text}" has ${scale} decimals, at most ${options.maxScale} are allowed`);
  if (options.sign !== 'any' && canonical.startsWith('-')) return bad('TL_EDI_CSV_BAD_NUMBER', `"${text}" must not be negative`);
  if (options.sign === 'positive' && /^0(?:\.0+)?$/.test(canonical)) return bad('TL_EDI_CSV_BAD_NUMBER', `"${text}" must be greater than zero`);
  if (digits.replace(/^0+/, '').length > 12) return bad('TL_EDI_CSV_BAD_NUMBER', `"${text}" has more than 12 integer digits`);
  return ok(canonical);
}

/** A whole number ≥ 1 (line numbers). */
export function readCsvInt(text: string): CsvValueResult<number> {
  if (!/^\+?\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 99999) return bad('TL_EDI_CSV_BAD_NUMBER', `"${text}" is not a whole number from 1 to 99999`);
  return ok(Number(text));
}

interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  hasTime: boolean;
  offset?: string | undefined;
}

const TOKENS: ReadonlyArray<[string, string, keyof DateParts]> = [
  ['YYYY', '(\\d{4})', 'year'],
  ['YY', '(\\d{2})', 'year'],
  ['MM', '(\\d{2})', 'month'],
  ['M', '(\\d{1,2})', 'month'],
  ['DD', '(\\d{2})', 'day'],
  ['D', '(\\d{1,2})', 'day'],
  ['HH', '(\\d{2})', 'hour'],
  ['H', '(\\d{1,2})', 'hour'],
  ['mm', '(\\d{2})', 'minute'],
  ['ss', '(\\d{2})', 'second'],
];

const compiled = new Map<string, { re: RegExp; parts: Array<{ key: keyof DateParts; two: boolean }> }>();

function compileFormat(format: string): { re: RegExp; parts: Array<{ key: keyof DateParts; two: boolean }> } {
  const cached = compiled.get(format);
  if (cached) return cached;
  let re = '';
  const parts: Array<{ key: keyof DateParts; two: boolean }> = [];
  for (let i = 0; i < format.length; ) {
    const token = TOKENS.find(([t]) => format.startsWith(t, i));
    if (token) {
      re += token[1];
      parts.push({ key: token[2], two: token[0] === 'YY' });
      i += token[0].length;
    } else {
      re += (format[i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i += 1;
    }
  }
  const out = { re: new RegExp(`^${re}$`), parts };
  compiled.set(format, out);
  return out;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function partsOf(text: string, formats: readonly string[]): DateParts | undefined {
  for (const format of formats) {
    if (format === 'ISO') {
      const m = ISO.exec(text);
      if (!m) continue;
      return {
        year: Number(m[1]),
        month: Number(m[2]),
        day: Number(m[3]),
        hour: Number(m[4] ?? 0),
        minute: Number(m[5] ?? 0),
        second: Number(m[6] ?? 0),
        hasTime: m[4] !== undefined,
        offset: m[7],
      };
    }
    const { re, parts } = compileFormat(format);
    const m = re.exec(text);
    if (!m) continue;
    const p: DateParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, hasTime: false };
    parts.forEach((part, i) => {
      const n = Number(m[i + 1]);
      (p[part.key] as number) = part.key === 'year' && part.two ? 2000 + n : n;
      if (part.key === 'hour') p.hasTime = true;
    });
    return p;
  }
  return undefined;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function validParts(p: DateParts): boolean {
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day));
  return d.getUTCFullYear() === p.year && d.getUTCMonth() === p.month - 1 && d.getUTCDate() === p.day && p.hour < 24 && p.minute < 60 && p.second < 60;
}

/** A calendar date in one of the mapping's formats, as `YYYY-MM-DD`. */
export function readCsvDate(text: string, mapping: Pick<CsvMapping, 'dateFormats'>): CsvValueResult<string> {
  const p = partsOf(text, mapping.dateFormats);
  if (!p) return bad('TL_EDI_CSV_BAD_DATE', `"${text}" is not a date in the format${mapping.dateFormats.length > 1 ? 's' : ''} ${mapping.dateFormats.join(', ')}`);
  if (!validParts(p)) return bad('TL_EDI_CSV_BAD_DATE', `"${text}" is not a calendar date`);
  return ok(`${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`);
}

/** A date or date-time in one of the mapping's formats (or RFC 3339), as an RFC 3339 instant with an offset. */
export function readCsvDateTime(text: string, mapping: Pick<CsvMapping, 'dateFormats' | 'utcOffset'>): CsvValueResult<string> {
  const p = partsOf(text, mapping.dateFormats) ?? partsOf(text, ['ISO']);
  if (!p) return bad('TL_EDI_CSV_BAD_DATE', `"${text}" is not a date or date-time in the format${mapping.dateFormats.length > 1 ? 's' : ''} ${mapping.dateFormats.join(', ')}`);
  if (!validParts(p)) return bad('TL_EDI_CSV_BAD_DATE', `"${text}" is not a valid calendar date and time`);
  return ok(`${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${p.offset ?? mapping.utcOffset}`);
}

/** A unit: the mapping's table, then canonical codes, then X12 unit codes. */
export function readCsvUnit(text: string, mapping: Pick<CsvMapping, 'units'>): CsvValueResult<UnitOfMeasure> {
  const unit = mapping.units[text] ?? ((unitCodes as readonly string[]).includes(text.toUpperCase()) ? (text.toUpperCase() as UnitOfMeasure) : unitFromX12(text.toUpperCase()));
  if (!unit) return bad('TL_EDI_CSV_UNKNOWN_UNIT', `unit "${text}" is not known (add it to the mapping's units, e.g. { "${text}": "EA" })`);
  return ok(unit);
}

/** An acknowledgment action: the mapping's table, then canonical names. */
export function readCsvAction(text: string, mapping: Pick<CsvMapping, 'actions'>): CsvValueResult<AcknowledgmentAction> {
  const action = mapping.actions[text] ?? (acknowledgmentActions as readonly string[]).find((a) => a === text.toLowerCase());
  if (!action) return bad('TL_EDI_CSV_UNKNOWN_CODE', `action "${text}" is not known: use ${acknowledgmentActions.join(', ')} or map it in the mapping's actions`);
  return ok(action as AcknowledgmentAction);
}

const PACKAGING = ['pallet', 'carton', 'case', 'tote', 'bundle', 'other'] as const;

/** A packaging kind: the mapping's table, then canonical names. */
export function readCsvPackaging(text: string, mapping: Pick<CsvMapping, 'packaging'>): CsvValueResult<(typeof PACKAGING)[number]> {
  const kind = mapping.packaging[text] ?? PACKAGING.find((p) => p === text.toLowerCase());
  if (!kind) return bad('TL_EDI_CSV_UNKNOWN_CODE', `packaging "${text}" is not known: use ${PACKAGING.join(', ')} or map it in the mapping's packaging`);
  return ok(kind);
}
