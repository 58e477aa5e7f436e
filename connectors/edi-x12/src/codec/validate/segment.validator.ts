/**
 * Element-level syntax checks of one segment against its dictionary rule: requirement, type, length, code lists,
 * dates and times, repetition and composite use, and the segment's syntax notes.
 */
import { elementRef, isRepeated } from '../segment.access.js';
import type { X12Composite, X12Element, X12SegmentInput } from '../x12.types.js';
import type { ElementErrorCode } from './ack.codes.js';
import {
  type X12ElementRule,
  type X12PositionRule,
  type X12SegmentRule,
  isCompositeRule,
  parseSyntaxNote,
} from './segment.dictionary.js';

/** One element error found in a segment (AK4 / IK4). */
export interface X12ElementError {
  /** Element position, 1-based. */
  position: number;
  /** Component position within a composite, 1-based. */
  component?: number;
  /** Repetition, 1-based (5010 repeating elements). */
  repetition?: number;
  /** Data element reference number, when known. */
  reference?: number;
  code: ElementErrorCode;
  /** Copy of the bad data (AK404), when there was data. */
  badValue?: string;
  /** For conditional rules: the element whose presence triggered the requirement (999 CTX). */
  trigger?: number;
  /** Human-readable explanation. */
  message: string;
}

/** What the element checks need besides the rule. */
export interface X12ElementCheckContext {
  /** Code lists by reference designator (`BEG02`), merged over the built-in ones. */
  codeLists: Readonly<Record<string, readonly string[]>>;
  /** 5010 and later: repetitions and component counts have their own codes (12, 13). */
  modernCodes: boolean;
  /** Versions before 004010 use 6-digit dates (YYMMDD). */
  shortDates: boolean;
}

const NUMERIC = /^-?\d+$/;
const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:E-?\d+)?$/;

function hasControlChar(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 32 || c === 127) return true;
  }
  return false;
}

/** True when `v` is a valid CCYYMMDD or YYMMDD date. */
export function isValidDate(v: string): boolean {
  if (!/^\d{6}(?:\d{2})?$/.test(v)) return false;
  const y = v.length === 8 ? Number(v.slice(0, 4)) : 2000 + Number(v.slice(0, 2));
  const m = Number(v.slice(v.length - 4, v.length - 2));
  const d = Number(v.slice(v.length - 2));
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] as number;
  return d <= days;
}

/** True when `v` is a valid HHMM, HHMMSS or HHMMSSd..d time. */
export function isValidTime(v: string): boolean {
  if (!/^\d{4}(?:\d{2}\d{0,2})?$/.test(v)) return false;
  const h = Number(v.slice(0, 2));
  const m = Number(v.slice(2, 4));
  const s = v.length >= 6 ? Number(v.slice(4, 6)) : 0;
  return h <= 23 && m <= 59 && s <= 59;
}

function digitCount(v: string): number {
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
    else if (c === 69) break;
  }
  return n;
}

function checkValue(
  v: string,
  rule: X12ElementRule,
  ref: string,
  ctx: X12ElementCheckContext,
): { code: ElementErrorCode; message: string } | undefined {
  if (hasControlChar(v)) return { code: '6', message: `${ref} contains a control character` };
  switch (rule.type) {
    case 'N0':
    case 'N2': {
      if (!NUMERIC.test(v)) return { code: '6', message: `${ref} "${v}" must be an integer (implied decimals)` };
      const len = digitCount(v);
      if (len < rule.min) return { code: '4', message: `${ref} is shorter than ${rule.min}` };
      if (len > rule.max) return { code: '5', message: `${ref} is longer than ${rule.max}` };
      return undefined;
    }
    case 'R': {
      if (!DECIMAL.test(v)) return { code: '6', message: `${ref} "${v}" must be a decimal number` };
      const len = digitCount(v);
      if (len < rule.min) return { code: '4', message: `${ref} is shorter than ${rule.min}` };
      if (len > rule.max) return { code: '5', message: `${ref} is longer than ${rule.max}` };
      return undefined;
    }
    case 'DT': {
      const min = ctx.shortDates ? 6 : rule.min;
      if (v.length < min) return { code: '4', message: `${ref} "${v}" is too short for a date` };
      if (v.length > rule.max) return { code: '5', message: `${ref} "${v}" is too long for a date` };
      if (!isValidDate(v)) return { code: '8', message: `${ref} "${v}" is not a valid date` };
      return undefined;
    }
    case 'TM':
      if (v.length < rule.min) return { code: '4', message: `${ref} "${v}" is too short for a time` };
      if (v.length > rule.max) return { code: '5', message: `${ref} "${v}" is too long for a time` };
      if (!isValidTime(v)) return { code: '9', message: `${ref} "${v}" is not a valid time` };
      return undefined;
    default: {
      if (v.length < rule.min) return { code: '4', message: `${ref} "${v}" is shorter than ${rule.min}` };
      if (v.length > rule.max) return { code: '5', message: `${ref} is longer than ${rule.max}` };
      const list = ctx.codeLists[ref];
      if (list && !list.includes(v)) return { code: '7', message: `${ref} "${v}" is not an allowed code` };
      return undefined;
    }
  }
}

function isEmptyElement(el: X12Element | undefined): boolean {
  if (el === undefined) return true;
  if (typeof el === 'string') return el.length === 0;
  if (Array.isArray(el)) return el.every((c) => c.length === 0);
  return el.repeats.every((r) => (typeof r === 'string' ? r.length === 0 : r.every((c) => c.length === 0)));
}

function truncate(v: string): string {
  return v.length > 99 ? v.slice(0, 99) : v;
}

function checkOccurrence(
  item: string | X12Composite,
  rule: X12PositionRule,
  tag: string,
  pos: number,
  repetition: number | undefined,
  ctx: X12ElementCheckContext,
  out: X12ElementError[],
): void {
  const ref = elementRef(tag, pos);
  if (isCompositeRule(rule)) {
    const comps = typeof item === 'string' ? [item] : item;
    if (comps.length > rule.composite.length) {
      out.push({
        position: pos,
        component: rule.composite.length + 1,
        repetition,
        code: ctx.modernCodes ? '13' : '3',
        message: `${ref} has ${comps.length} components, at most ${rule.composite.length} allowed`,
      });
    }
    rule.composite.forEach((crule, ci) => {
      const v = comps[ci] ?? '';
      const cref = `${ref}-${String(ci + 1).padStart(2, '0')}`;
      if (v.length === 0) {
        if (crule.req === 'M' && comps.some((c) => c.length > 0)) {
          out.push({ position: pos, component: ci + 1, repetition, reference: crule.ref, code: '1', message: `${cref} is required` });
        }
        return;
      }
      const bad = checkValue(v, crule, cref, ctx);
      if (bad) out.push({ position: pos, component: ci + 1, repetition, reference: crule.ref, code: bad.code, badValue: truncate(v), message: bad.message });
    });
    return;
  }
  if (typeof item !== 'string') {
    out.push({
      position: pos,
      repetition,
      reference: rule.ref,
      code: ctx.modernCodes ? '13' : '6',
      badValue: truncate(item.join('')),
      message: `${ref} is a simple element but carries components`,
    });
    return;
  }
  if (item.length === 0) return;
  const bad = checkValue(item, rule, ref, ctx);
  if (bad) out.push({ position: pos, repetition, reference: rule.ref, code: bad.code, badValue: truncate(item), message: bad.message });
}

/**
 * Checks a segment's elements against its rule; returns the errors (empty when fine).
 * @example
 * checkSegment({ tag: 'BEG', elements: ['00', 'SA'] }, segmentRules.BEG!, ctx); // BEG03 and BEG05 missing
 */
export function checkSegment(seg: X12SegmentInput, rule: X12SegmentRule, ctx: X12ElementCheckContext): X12ElementError[] {
  const out: X12ElementError[] = [];
  const els = seg.elements;
  const n = els.length;
  if (n > rule.count) {
    out.push({ position: rule.count + 1, code: '3', message: `${seg.tag} has ${n} elements, at most ${rule.count} allowed` });
  }
  const limit = Math.min(n, rule.count);
  for (let i = 0; i < Math.max(limit, rule.elements.length); i++) {
    const pos = i + 1;
    const r = rule.elements[i];
    const value = i < limit ? els[i] : undefined;
    if (r === undefined) continue;
    if (isEmptyElement(value)) {
      if (r.req === 'M') {
        out.push({ position: pos, reference: isCompositeRule(r) ? undefined : r.ref, code: '1', message: `${elementRef(seg.tag, pos)} is required` });
      }
      continue;
    }
    const v = value as X12Element;
    if (isRepeated(v)) {
      const repeatable = !isCompositeRule(r) && r.repeatable === true;
      if (!repeatable && v.repeats.length > 1) {
        out.push({
          position: pos,
          repetition: 2,
          reference: isCompositeRule(r) ? undefined : r.ref,
          code: ctx.modernCodes ? '12' : '6',
          message: `${elementRef(seg.tag, pos)} does not repeat`,
        });
        checkOccurrence(v.repeats[0] as string | X12Composite, r, seg.tag, pos, undefined, ctx, out);
      } else {
        v.repeats.forEach((item, ri) => checkOccurrence(item, r, seg.tag, pos, ri + 1, ctx, out));
      }
    } else {
      checkOccurrence(v, r, seg.tag, pos, undefined, ctx, out);
    }
  }
  for (const note of rule.notes) checkNote(seg, rule, note, out);
  out.sort((a, b) => a.position - b.position || (a.component ?? 0) - (b.component ?? 0));
  return out;
}

function checkNote(seg: X12SegmentInput, rule: X12SegmentRule, noteText: string, out: X12ElementError[]): void {
  const note = parseSyntaxNote(noteText);
  const present = note.positions.map((p) => !isEmptyElement(seg.elements[p - 1]));
  const [first] = note.positions;
  if (first === undefined) return;
  const ref = (p: number): string => elementRef(seg.tag, p);
  const refNumber = (p: number): number | undefined => {
    const r = rule.elements[p - 1];
    return r === undefined || isCompositeRule(r) ? undefined : r.ref;
  };
  const missing = (p: number, trigger: number | undefined, why: string): void => {
    if (out.some((e) => e.position === p && e.code === '1')) return;
    out.push({ position: p, reference: refNumber(p), code: '2', trigger, message: `${ref(p)} is required ${why}` });
  };
  switch (note.kind) {
    case 'P': {
      const anyIdx = present.indexOf(true);
      if (anyIdx >= 0) {
        note.positions.forEach((p, i) => {
          if (!present[i]) missing(p, note.positions[anyIdx], `when ${ref(note.positions[anyIdx] as number)} is present (${noteText})`);
        });
      }
      return;
    }
    case 'R':
      if (!present.some(Boolean)) missing(first, undefined, `(at least one of ${note.positions.map(ref).join(', ')}; ${noteText})`);
      return;
    case 'E': {
      const idx = present.map((p, i) => (p ? i : -1)).filter((i) => i >= 0);
      if (idx.length > 1) {
        const p = note.positions[idx[1] as number] as number;
        out.push({ position: p, reference: refNumber(p), code: '10', trigger: note.positions[idx[0] as number], message: `${ref(p)} must not be used together with ${ref(note.positions[idx[0] as number] as number)} (${noteText})` });
      }
      return;
    }
    case 'C':
      if (present[0]) {
        note.positions.slice(1).forEach((p, i) => {
          if (!present[i + 1]) missing(p, first, `when ${ref(first)} is present (${noteText})`);
        });
      }
      return;
    case 'L':
      if (present[0] && !present.slice(1).some(Boolean)) {
        missing(note.positions[1] ?? first, first, `(one of ${note.positions.slice(1).map(ref).join(', ')} when ${ref(first)} is present; ${noteText})`);
      }
      return;
  }
}
