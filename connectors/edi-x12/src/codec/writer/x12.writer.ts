/**
 * Writing X12 text. X12 has no escape mechanism, so a value that contains one of the interchange's separators is
 * refused with `TL_EDI_SEPARATOR_IN_DATA` rather than silently corrupting the file.
 */
import { X12WriteError, x12ErrorCodes } from '../../errors.js';
import { elementRef } from '../segment.access.js';
import { separatorProblem, versionHasRepetition } from '../segment.tokenizer.js';
import type { X12Composite, X12Document, X12Element, X12Interchange, X12SegmentInput, X12Separators } from '../x12.types.js';

/** Output settings. */
export interface X12WriteOptions {
  /**
   * Text written after every segment terminator (characters equal to the terminator are dropped).
   * @default ''
   */
  lineEnding?: '' | '\n' | '\r\n';
}

/** Fixed widths of ISA01..ISA16. */
export const isaFieldWidths = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1] as const;

const SEPARATOR_NAMES = ['element', 'component', 'repetition', 'segment'] as const;

/** Throws unless the separators can be used to write an interchange. */
export function assertSeparators(seps: X12Separators): void {
  const problem = separatorProblem(seps);
  if (problem) throw new X12WriteError(x12ErrorCodes.separatorsInvalid, `cannot write with these separators: ${problem}`, { separators: seps });
}

class ValueChecker {
  private readonly chars: Array<[string, (typeof SEPARATOR_NAMES)[number]]>;
  constructor(seps: X12Separators) {
    this.chars = [];
    for (const name of SEPARATOR_NAMES) {
      const ch = seps[name];
      if (ch !== undefined) this.chars.push([ch, name]);
    }
  }
  check(value: string, tag: string, element: number, component?: number, repetition?: number): string {
    if (typeof value !== 'string') {
      throw new X12WriteError(x12ErrorCodes.isaFieldInvalid, `${elementRef(tag, element)} is not text`, { segment: tag, element: elementRef(tag, element) });
    }
    for (const [ch, name] of this.chars) {
      if (value.includes(ch)) {
        throw new X12WriteError(
          x12ErrorCodes.separatorInData,
          `${elementRef(tag, element)}${component ? `-${component}` : ''} contains the ${name} separator "${ch}"; X12 cannot escape it`,
          { segment: tag, element: elementRef(tag, element), component, repetition, separator: ch, separatorKind: name },
        );
      }
    }
    return value;
  }
}

function encodeComposite(c: X12Composite, cs: string, checker: ValueChecker, tag: string, n: number, rep?: number): string {
  let out = '';
  for (let i = 0; i < c.length; i++) {
    if (i > 0) out += cs;
    out += checker.check(c[i] as string, tag, n, i + 1, rep);
  }
  return out;
}

function encodeElement(el: X12Element, seps: X12Separators, checker: ValueChecker, tag: string, n: number): string {
  if (typeof el === 'string') return checker.check(el, tag, n);
  if (Array.isArray(el)) return encodeComposite(el, seps.component, checker, tag, n);
  const rs = seps.repetition;
  if (rs === undefined && el.repeats.length > 1) {
    throw new X12WriteError(x12ErrorCodes.repetitionUnsupported, `${elementRef(tag, n)} repeats, but this interchange has no repetition separator (ISA12 before 00402)`, {
      segment: tag,
      element: elementRef(tag, n),
    });
  }
  let out = '';
  for (let r = 0; r < el.repeats.length; r++) {
    if (r > 0) out += rs;
    const item = el.repeats[r] as string | X12Composite;
    out += typeof item === 'string' ? checker.check(item, tag, n, undefined, r + 1) : encodeComposite(item, seps.component, checker, tag, n, r + 1);
  }
  return out;
}

function checkerFor(seps: X12Separators): ValueChecker {
  return new ValueChecker(seps);
}

/** Writes one non-ISA segment, terminator included. */
export function writeSegment(seg: X12SegmentInput, seps: X12Separators): string {
  assertSeparators(seps);
  return encodeSegment(seg, seps, checkerFor(seps));
}

function encodeSegment(seg: X12SegmentInput, seps: X12Separators, checker: ValueChecker): string {
  if (seg.tag === 'ISA') return writeIsa(seg, seps);
  let out = checker.check(seg.tag, seg.tag, 0);
  const es = seps.element;
  const els = seg.elements;
  for (let i = 0; i < els.length; i++) out += es + encodeElement(els[i] as X12Element, seps, checker, seg.tag, i + 1);
  return out + seps.segment;
}

/** Writes an ISA: fixed-width fields (padded), ISA11 and ISA16 taken from the separators. */
export function writeIsa(isa: X12SegmentInput, seps: X12Separators): string {
  assertSeparators(seps);
  const values: string[] = [];
  const version = typeof isa.elements[11] === 'string' ? (isa.elements[11] as string) : '';
  for (let i = 0; i < 16; i++) {
    const width = isaFieldWidths[i] as number;
    const el = isa.elements[i];
    let v: string;
    if (i === 15) v = seps.component;
    else if (i === 10 && versionHasRepetition(version) && seps.repetition !== undefined) v = seps.repetition;
    else {
      if (el !== undefined && typeof el !== 'string') {
        throw new X12WriteError(x12ErrorCodes.isaFieldInvalid, `${elementRef('ISA', i + 1)} must be a simple value`, { element: elementRef('ISA', i + 1) });
      }
      v = el ?? '';
      if (i === 10 && v === '') v = 'U';
      if (v.length < width) v = i === 12 && /^\d*$/.test(v) ? v.padStart(width, '0') : v.padEnd(width, ' ');
      if (v.length > width) {
        throw new X12WriteError(x12ErrorCodes.isaFieldInvalid, `${elementRef('ISA', i + 1)} "${v}" is longer than its fixed width ${width}`, {
          element: elementRef('ISA', i + 1),
          width,
        });
      }
      for (const ch of [seps.element, seps.segment, seps.component, ...(i === 10 ? [] : [seps.repetition])]) {
        if (ch !== undefined && v.includes(ch)) {
          throw new X12WriteError(x12ErrorCodes.separatorInData, `${elementRef('ISA', i + 1)} contains the separator "${ch}"`, {
            segment: 'ISA',
            element: elementRef('ISA', i + 1),
            separator: ch,
          });
        }
      }
    }
    values.push(v);
  }
  return 'ISA' + seps.element + values.join(seps.element) + seps.segment;
}

function suffixFor(seps: X12Separators, options: X12WriteOptions): string {
  const le = options.lineEnding ?? '';
  return le.split(seps.segment).join('');
}

/** Writes one interchange segment by segment (ISA, TA1s, groups, IEA); trailers that are missing are not invented. */
export function* serializeInterchange(ic: X12Interchange, options: X12WriteOptions = {}): Generator<string, void, undefined> {
  const seps = ic.separators;
  assertSeparators(seps);
  const checker = checkerFor(seps);
  const nl = suffixFor(seps, options);
  yield writeIsa(ic.header, seps) + nl;
  for (const ta1 of ic.acknowledgments) yield encodeSegment(ta1, seps, checker) + nl;
  for (const g of ic.groups) {
    yield encodeSegment(g.header, seps, checker) + nl;
    for (const set of g.sets) {
      yield encodeSegment(set.header, seps, checker) + nl;
      let chunk = '';
      for (const seg of set.segments) {
        chunk += encodeSegment(seg, seps, checker) + nl;
        if (chunk.length > 65536) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
      if (set.trailer) yield encodeSegment(set.trailer, seps, checker) + nl;
    }
    if (g.trailer) yield encodeSegment(g.trailer, seps, checker) + nl;
  }
  if (ic.trailer) yield encodeSegment(ic.trailer, seps, checker) + nl;
}

function interchangesOf(doc: X12Document | X12Interchange | readonly X12Interchange[]): readonly X12Interchange[] {
  if (Array.isArray(doc)) return doc as readonly X12Interchange[];
  if ('interchanges' in doc) return doc.interchanges;
  return [doc as X12Interchange];
}

/** Writes interchanges as text pieces (for piping into a file without building one big string). */
export function* serializeX12(doc: X12Document | X12Interchange | readonly X12Interchange[], options: X12WriteOptions = {}): Generator<string, void, undefined> {
  for (const ic of interchangesOf(doc)) yield* serializeInterchange(ic, options);
}

/**
 * Writes a document, one interchange or a list of interchanges as X12 text, each with its own separators.
 * @example
 * const text = writeX12(parseX12(input), { lineEnding: '\n' });
 */
export function writeX12(doc: X12Document | X12Interchange | readonly X12Interchange[], options: X12WriteOptions = {}): string {
  let out = '';
  for (const piece of serializeX12(doc, options)) out += piece;
  return out;
}
