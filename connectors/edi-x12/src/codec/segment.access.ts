/**
 * Small readers for segment elements, 1-based like the standard's reference designators (`BEG03` is
 * `elementValue(seg, 3)`).
 */
import type { X12Composite, X12Element, X12SegmentInput } from './x12.types.js';

/** True when the element is a repeated element. */
export function isRepeated(el: X12Element | undefined): el is { repeats: Array<string | X12Composite> } {
  return el !== undefined && typeof el === 'object' && !Array.isArray(el);
}

/** The element's repetitions (a non-repeated element is one repetition; an absent one is none). */
export function elementRepeats(seg: X12SegmentInput, n: number): Array<string | X12Composite> {
  const el = seg.elements[n - 1];
  if (el === undefined) return [];
  if (isRepeated(el)) return el.repeats;
  return [el];
}

/** The text of element `n` (1-based): the first component of its first repetition; `''` when absent. */
export function elementValue(seg: X12SegmentInput, n: number): string {
  const el = seg.elements[n - 1];
  if (el === undefined) return '';
  if (typeof el === 'string') return el;
  const first = Array.isArray(el) ? el : el.repeats[0];
  if (first === undefined) return '';
  if (typeof first === 'string') return first;
  return first[0] ?? '';
}

/** Component `c` (1-based) of element `n` (first repetition); `''` when absent. */
export function componentValue(seg: X12SegmentInput, n: number, c: number): string {
  const el = seg.elements[n - 1];
  if (el === undefined) return '';
  const first = isRepeated(el) ? el.repeats[0] : el;
  if (first === undefined) return '';
  if (typeof first === 'string') return c === 1 ? first : '';
  return first[c - 1] ?? '';
}

/** Element `n` trimmed of padding spaces (ISA fields are fixed width). */
export function trimmedValue(seg: X12SegmentInput, n: number): string {
  return elementValue(seg, n).trim();
}

/** True when element `n` carries any data. */
export function hasValue(seg: X12SegmentInput, n: number): boolean {
  const el = seg.elements[n - 1];
  if (el === undefined) return false;
  if (typeof el === 'string') return el.length > 0;
  if (Array.isArray(el)) return el.some((c) => c.length > 0);
  return el.repeats.some((r) => (typeof r === 'string' ? r.length > 0 : r.some((c) => c.length > 0)));
}

/** Reference designator like `BEG03` for element `n` of a segment id. */
export function elementRef(tag: string, n: number): string {
  return `${tag}${String(n).padStart(2, '0')}`;
}
