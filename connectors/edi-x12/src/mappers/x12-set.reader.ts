/**
 * Reading a transaction set for mapping: find segments and loops, read typed values, and fail with an error that
 * names the segment, its position and the element.
 */
import { type Id, type IdPrefix, type UnitOfMeasure, formatDecimal, newId, parseDecimal } from '@tradelane/canonical';
import { X12MappingError } from '../errors.js';
import { elementRef, elementValue } from '../codec/segment.access.js';
import type { X12GroupInfo, X12InterchangeInfo, X12Position, X12Segment, X12TransactionSet } from '../codec/x12.types.js';
import type { PartnerProfile } from './partner-profile.schema.js';
import { unitPairs } from './x12-code.maps.js';

/** What every inbound mapper needs besides the set. */
export interface X12MappingContext {
  tenantId: string;
  /** The partner's party id (supplier, customer or carrier); defaults to `profile.partyId`. */
  partyId?: Id<'pty'> | undefined;
  profile: PartnerProfile;
  /** Clock for received/created timestamps. @default () => new Date() */
  now?: (() => Date) | undefined;
  /** Id factory. @default canonical newId */
  newId?: (<P extends IdPrefix>(prefix: P) => Id<P>) | undefined;
  /** The envelopes the set came in (used for external ids). */
  envelope?: { interchange: X12InterchangeInfo; group: X12GroupInfo } | undefined;
}

/** Settings for outbound writers. */
export interface X12WriterContext {
  profile: PartnerProfile;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

/** Typed, position-aware access to one transaction set. */
export class X12SetReader {
  /** Body segments (between ST and SE). */
  readonly segments: readonly X12Segment[];
  /** ST01. */
  readonly setId: string;
  /** ST02. */
  readonly controlNumber: string;

  constructor(readonly set: X12TransactionSet, expectedId?: string) {
    this.segments = set.segments;
    this.setId = elementValue(set.header, 1);
    this.controlNumber = elementValue(set.header, 2);
    if (expectedId !== undefined && this.setId !== expectedId) {
      this.fail(set.header, 1, `expected transaction set ${expectedId}, got ${this.setId || '(none)'}`);
    }
  }

  /** Throws a mapping error naming the segment (or, when it is missing, the set header), position and element. */
  fail(seg: X12Segment | string | undefined, element: number | undefined, message: string): never {
    const segment = typeof seg === 'string' ? seg : (seg?.tag ?? 'ST');
    const position: X12Position | undefined = typeof seg === 'object' ? seg.position : this.set.header.position;
    const ref = element === undefined ? undefined : elementRef(segment, element);
    throw new X12MappingError(`${this.setId} ${this.controlNumber}: ${ref ?? segment}${position ? ` (segment ${position.index})` : ''}: ${message}`, {
      segment,
      position,
      element: ref,
      setControlNumber: this.controlNumber,
    });
  }

  /** Throws a mapping error for a canonical document that fails its schema (first issue and its path). */
  schemaFailure(what: string, issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): never {
    const first = issues[0];
    const path = first ? first.path.map(String).join('.') : '';
    throw new X12MappingError(`${this.setId} ${this.controlNumber}: the ${what} is not valid: ${path ? `${path}: ` : ''}${first?.message ?? 'invalid'}`, {
      segment: 'ST',
      position: this.set.header.position,
      setControlNumber: this.controlNumber,
    });
  }

  /** First segment with this tag (within a loop, or the whole body). */
  first(tag: string, within: readonly X12Segment[] = this.segments): X12Segment | undefined {
    return within.find((s) => s.tag === tag);
  }

  /** First segment with this tag whose element `n` equals `value`. */
  firstWith(tag: string, n: number, value: string, within: readonly X12Segment[] = this.segments): X12Segment | undefined {
    return within.find((s) => s.tag === tag && elementValue(s, n) === value);
  }

  /** Every segment with this tag. */
  all(tag: string, within: readonly X12Segment[] = this.segments): X12Segment[] {
    return within.filter((s) => s.tag === tag);
  }

  /** The segment with this tag, or a mapping error saying it is missing. */
  require(tag: string, within: readonly X12Segment[] = this.segments): X12Segment {
    const seg = this.first(tag, within);
    if (!seg) this.fail(tag, undefined, `required segment ${tag} is missing`);
    return seg;
  }

  /**
   * Splits segments into loops: each starts at a `start` segment and runs until the next `start` or a `stop` tag.
   * @example reader.loops('PO1', ['CTT', 'AMT'])
   */
  loops(start: string, stop: readonly string[] = [], within: readonly X12Segment[] = this.segments): X12Segment[][] {
    const out: X12Segment[][] = [];
    let current: X12Segment[] | undefined;
    for (const s of within) {
      if (s.tag === start) {
        current = [s];
        out.push(current);
      } else if (stop.includes(s.tag)) {
        current = undefined;
      } else if (current) {
        current.push(s);
      }
    }
    return out;
  }

  /** Segments before the first `start` segment (the header area). */
  before(start: string, within: readonly X12Segment[] = this.segments): X12Segment[] {
    const i = within.findIndex((s) => s.tag === start);
    return i < 0 ? [...within] : within.slice(0, i);
  }

  /** Element `n` trimmed; `''` when absent. */
  text(seg: X12Segment, n: number): string {
    return elementValue(seg, n).trim();
  }

  /** Element `n` trimmed, or a mapping error. */
  requireText(seg: X12Segment, n: number, what: string): string {
    const v = this.text(seg, n);
    if (!v) this.fail(seg, n, `${what} is missing`);
    return v;
  }

  /** Element `n` as a normalised decimal string (R type), or undefined when empty. */
  decimal(seg: X12Segment, n: number): string | undefined {
    const raw = this.text(seg, n);
    if (!raw) return undefined;
    if (!DECIMAL.test(raw)) this.fail(seg, n, `"${raw}" is not a number`);
    let v = raw.startsWith('+') ? raw.slice(1) : raw;
    if (v.startsWith('.') || v.startsWith('-.')) v = v.replace('.', '0.');
    if (v.endsWith('.')) v = v.slice(0, -1);
    return formatDecimal(parseDecimal(v));
  }

  /** Element `n` as a decimal, or a mapping error. */
  requireDecimal(seg: X12Segment, n: number, what: string): string {
    const v = this.decimal(seg, n);
    if (v === undefined) this.fail(seg, n, `${what} is missing`);
    return v;
  }

  /** Element `n` as a strictly positive quantity (at most 6 decimals). */
  quantity(seg: X12Segment, n: number, what: string): string {
    const v = this.requireDecimal(seg, n, what);
    const d = parseDecimal(v);
    if (d.units <= 0n) this.fail(seg, n, `${what} must be positive, got ${v}`);
    if (d.scale > 6) this.fail(seg, n, `${what} has more than 6 decimals`);
    return v;
  }

  /** Element `n` as a non-negative price (at most 4 decimals). */
  price(seg: X12Segment, n: number, what: string): string {
    const v = this.requireDecimal(seg, n, what);
    const d = parseDecimal(v);
    if (d.units < 0n) this.fail(seg, n, `${what} must not be negative`);
    if (d.scale > 4) this.fail(seg, n, `${what} has more than 4 decimals`);
    return v;
  }

  /** Element `n` as an N2 (implied two decimals) amount, e.g. `280900` → `2809.00`. */
  implied(seg: X12Segment, n: number, scale = 2): string | undefined {
    const raw = this.text(seg, n);
    if (!raw) return undefined;
    if (!/^-?\d+$/.test(raw)) this.fail(seg, n, `"${raw}" is not an implied-decimal number`);
    return formatDecimal({ units: BigInt(raw), scale }, scale);
  }

  /** Element `n` (CCYYMMDD or YYMMDD) as an ISO date, or undefined when empty. */
  date(seg: X12Segment, n: number): string | undefined {
    const raw = this.text(seg, n);
    if (!raw) return undefined;
    const m = /^(\d{2})?(\d{2})(\d{2})(\d{2})$/.exec(raw);
    if (!m) this.fail(seg, n, `"${raw}" is not a date (CCYYMMDD)`);
    const year = m[1] === undefined ? 2000 + Number(m[2]) : Number(`${m[1]}${m[2]}`);
    const month = Number(m[3]);
    const day = Number(m[4]);
    const d = new Date(Date.UTC(year, month - 1, day));
    if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) this.fail(seg, n, `"${raw}" is not a calendar date`);
    return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }

  /** Element `n` as an ISO date, or a mapping error. */
  requireDate(seg: X12Segment, n: number, what: string): string {
    const v = this.date(seg, n);
    if (v === undefined) this.fail(seg, n, `${what} is missing`);
    return v;
  }

  /** Element `n` (HHMM[SS]) as `HH:MM:SS`, or undefined when empty. */
  time(seg: X12Segment, n: number): string | undefined {
    const raw = this.text(seg, n);
    if (!raw) return undefined;
    const m = /^([01]\d|2[0-3])([0-5]\d)([0-5]\d)?\d*$/.exec(raw);
    if (!m) this.fail(seg, n, `"${raw}" is not a time (HHMM)`);
    return `${m[1]}:${m[2]}:${m[3] ?? '00'}`;
  }

  /** Element `n` as a canonical unit, through the profile's and the built-in unit tables. */
  unit(seg: X12Segment, n: number, profile: PartnerProfile, what = 'unit of measure'): UnitOfMeasure {
    const code = this.requireText(seg, n, what);
    const unit = profile.codes.units[code] ?? unitFromX12(code);
    if (!unit) this.fail(seg, n, `unit of measure "${code}" is not known (add it to the partner profile's codes.units)`);
    return unit;
  }

  /** Reads qualifier/value pairs starting at element `from` (e.g. PO106/PO107, PO108/PO109 …). */
  productIds(seg: X12Segment, from: number): Array<{ qualifier: string; value: string }> {
    const out: Array<{ qualifier: string; value: string }> = [];
    for (let i = from; i < seg.elements.length + 1; i += 2) {
      const qualifier = this.text(seg, i);
      const value = this.text(seg, i + 1);
      if (qualifier && value) out.push({ qualifier, value });
    }
    return out;
  }
}

const unitByX12 = new Map<string, UnitOfMeasure>();
const x12ByUnit = new Map<UnitOfMeasure, string>();
for (const [x12, unit] of unitPairs) {
  if (!unitByX12.has(x12)) unitByX12.set(x12, unit);
  if (!x12ByUnit.has(unit)) x12ByUnit.set(unit, x12);
}

/** Built-in X12 → canonical unit translation. */
export function unitFromX12(code: string): UnitOfMeasure | undefined {
  return unitByX12.get(code);
}

/** Canonical unit → the X12 unit code we write (the profile's table is searched first). */
export function unitToX12(unit: UnitOfMeasure, profile?: PartnerProfile): string {
  if (profile) {
    for (const [code, u] of Object.entries(profile.codes.units)) if (u === unit) return code;
  }
  return x12ByUnit.get(unit) ?? unit;
}

/** The clock reading and id factory of a context, with defaults. */
export function clockOf(ctx: X12MappingContext): { now: Date; id: <P extends IdPrefix>(prefix: P) => Id<P> } {
  return { now: (ctx.now ?? (() => new Date()))(), id: ctx.newId ?? newId };
}

/** Clock, id factory and the partner's party id (a mapping error when neither context nor profile has one). */
export function contextTools(ctx: X12MappingContext): { now: Date; id: <P extends IdPrefix>(prefix: P) => Id<P>; partyId: Id<'pty'> } {
  const partyId = ctx.partyId ?? (ctx.profile.partyId as Id<'pty'> | undefined);
  if (!partyId) throw new X12MappingError('the partner has no party id: set partyId in the mapping context or the partner profile', { segment: 'ST' });
  return { ...clockOf(ctx), partyId };
}

/** `2025-03-01T12:00:00.000Z` → `2025-03-01T12:00:00Z`. */
export function isoInstant(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** External id for a set: `<ISA13>-<GS06>-<ST02>` under the key `edi-x12`, when the envelope is known. */
export function externalIdsFor(ctx: X12MappingContext, reader: X12SetReader): Record<string, string> {
  const env = ctx.envelope;
  if (!env) return {};
  return { 'edi-x12': `${env.interchange.sender.id}:${env.interchange.controlNumber}:${env.group.controlNumber}:${reader.controlNumber}`.slice(0, 100) };
}
