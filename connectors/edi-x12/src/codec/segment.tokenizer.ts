/**
 * Push tokenizer: bytes in, segments out. Keeps only the unfinished tail of the input (bounded by
 * `maxSegmentLength`), so memory does not grow with the file. Separators are read from every ISA, so each
 * interchange of a file may use its own.
 */
import { X12SyntaxError, x12ErrorCodes } from '../errors.js';
import type { X12Composite, X12Element, X12Issue, X12Repeated, X12Segment, X12Separators } from './x12.types.js';

/** Tokenizer settings. */
export interface X12TokenizerOptions {
  /**
   * Longest segment accepted, in bytes; a longer one (or garbage without terminators) stops reading.
   * @default 1048576
   */
  maxSegmentLength?: number;
  /**
   * How element bytes become text: `utf8` decodes non-ASCII bytes as UTF-8, `latin1` maps bytes 1:1.
   * @default 'utf8'
   */
  encoding?: 'utf8' | 'latin1';
  /** Receives problems that did not stop reading (e.g. an unterminated segment at the end). */
  onIssue?: (issue: X12Issue) => void;
}

/** Receives each segment as soon as it is complete. */
export type X12SegmentSink = (segment: X12Segment) => void;

const ISA_LENGTH = 106;
/** Fixed positions of the 16 element separators of a standard-width ISA. */
const ISA_SEPARATOR_POSITIONS = [3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103] as const;
/** Longest non-standard ISA we still try to read (padded fields missing or too long). */
const ISA_SCAN_LIMIT = 256;
const BOM = '\xEF\xBB\xBF';
const NON_ASCII = /[\x80-\xFF]/;

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isSkippable(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0;
}

function toBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function fromLatin1(s: string): string {
  return Buffer.from(s, 'latin1').toString('utf8');
}

function decodeElement(el: X12Element): X12Element {
  if (typeof el === 'string') return NON_ASCII.test(el) ? fromLatin1(el) : el;
  if (Array.isArray(el)) return el.map(fromLatin1);
  return { repeats: el.repeats.map((r) => (typeof r === 'string' ? fromLatin1(r) : r.map(fromLatin1))) };
}

/** Which separator is unusable, and why. */
export interface SeparatorProblem {
  which: 'element' | 'component' | 'segment' | 'repetition';
  message: string;
}

/** Checks a separator set for use: single ASCII non-alphanumeric characters, all different. */
export function findSeparatorProblem(seps: X12Separators): SeparatorProblem | undefined {
  const list: Array<[SeparatorProblem['which'], string | undefined]> = [
    ['element', seps.element],
    ['segment', seps.segment],
    ['component', seps.component],
    ['repetition', seps.repetition],
  ];
  const seen = new Set<string>();
  for (const [which, ch] of list) {
    if (ch === undefined) continue;
    const fail = (message: string): SeparatorProblem => ({ which, message: `${which} separator ${message}` });
    if (ch.length !== 1) return fail('must be one character');
    const c = ch.charCodeAt(0);
    if (c > 127) return fail('must be an ASCII character');
    if (isAlnum(c)) return fail('must not be a letter or digit');
    if (c === 32) return fail('must not be a space');
    if (seen.has(ch)) return fail(`"${ch}" is also used as another separator`);
    seen.add(ch);
  }
  return undefined;
}

/** Like {@link findSeparatorProblem}, as a message. */
export function separatorProblem(seps: X12Separators): string | undefined {
  return findSeparatorProblem(seps)?.message;
}

/** True when an ISA12 version declares a repetition separator in ISA11 (00402 and later). */
export function versionHasRepetition(version: string): boolean {
  const n = Number.parseInt(version, 10);
  return Number.isFinite(n) && n >= 402;
}

/**
 * Splits a byte stream into segments. Call {@link X12Tokenizer.push} per chunk and {@link X12Tokenizer.end} once.
 * @example
 * const t = new X12Tokenizer();
 * t.push(buffer, (seg) => console.log(seg.tag));
 * t.end((seg) => console.log(seg.tag));
 */
export class X12Tokenizer {
  /** Working buffer: the carried-over tail of the previous chunk followed by the new chunk (reused). */
  private scratch: Buffer = Buffer.allocUnsafe(0);
  /** Length of the carried-over tail at the start of `scratch`. */
  private pendingLength = 0;
  /** Text (latin1) of the chunk being scanned. */
  private buf = '';
  /** Bytes of the chunk being scanned (same indices as `buf`). */
  private bytes: Uint8Array = new Uint8Array(0);
  /** Positions of the element separators of the segment being scanned (reused). */
  private bounds = new Int32Array(64);
  private bufOffset = 0;
  private started = false;
  private index = 0;
  private es = -1;
  private cs = -1;
  private rs = -1;
  private ts = -1;
  private separators: X12Separators | undefined;
  private readonly maxSegmentLength: number;
  private readonly utf8: boolean;
  private readonly onIssue: ((issue: X12Issue) => void) | undefined;
  private ended = false;

  constructor(options: X12TokenizerOptions = {}) {
    this.maxSegmentLength = options.maxSegmentLength ?? 1_048_576;
    this.utf8 = (options.encoding ?? 'utf8') === 'utf8';
    this.onIssue = options.onIssue;
  }

  /** Separators of the interchange being read, once its ISA has been seen. */
  get currentSeparators(): X12Separators | undefined {
    return this.separators;
  }

  /** Bytes consumed so far (the offset just after the last complete segment). */
  get bytesConsumed(): number {
    return this.bufOffset;
  }

  /** Segments read so far in the current interchange (the index the next segment gets). */
  get segmentIndex(): number {
    return this.index;
  }

  /** Feeds one chunk; complete segments go to `sink`. */
  push(chunk: Uint8Array | string, sink: X12SegmentSink): void {
    if (this.ended) throw new Error('X12Tokenizer: push after end');
    const bytes = toBuffer(chunk);
    if (bytes.length === 0) return;
    let all: Buffer;
    if (this.pendingLength === 0) {
      all = bytes;
    } else {
      const total = this.pendingLength + bytes.length;
      if (this.scratch.length < total) {
        const grown = Buffer.allocUnsafe(Math.max(total, this.scratch.length * 2, 1 << 16));
        this.scratch.copy(grown, 0, 0, this.pendingLength);
        this.scratch = grown;
      }
      bytes.copy(this.scratch, this.pendingLength);
      all = this.scratch.subarray(0, total);
    }
    // One flat one-byte string per chunk: slices stay cheap; bytes are scanned, the string is sliced.
    this.buf = all.toString('latin1');
    this.bytes = all;
    const pos = this.scan(sink, false);
    this.buf = '';
    this.bytes = new Uint8Array(0);
    const rest = all.length - pos;
    if (rest > 0) {
      if (this.scratch.length < rest) this.scratch = Buffer.allocUnsafe(Math.max(rest * 2, 1 << 16));
      if (all.buffer === this.scratch.buffer && all.byteOffset === this.scratch.byteOffset) this.scratch.copyWithin(0, pos, all.length);
      else all.copy(this.scratch, 0, pos);
    }
    this.pendingLength = rest;
  }

  /** Signals the end of input; flushes what is left and reports an unterminated tail as an issue. */
  end(sink: X12SegmentSink): void {
    if (this.ended) return;
    this.ended = true;
    const rest = this.scratch.subarray(0, this.pendingLength);
    this.buf = rest.toString('latin1');
    this.bytes = rest;
    this.pendingLength = 0;
    this.scan(sink, true);
    this.buf = '';
    this.bytes = new Uint8Array(0);
  }

  private fail(code: (typeof x12ErrorCodes)[keyof typeof x12ErrorCodes], message: string, at: number, details?: Record<string, unknown>): never {
    throw new X12SyntaxError(code, message, { index: this.started ? this.index : 0, offset: this.bufOffset + at }, details);
  }

  /** Scans `this.buf`; returns how many characters were consumed. */
  private scan(sink: X12SegmentSink, final: boolean): number {
    const s = this.buf;
    const b = this.bytes;
    const n = s.length;
    let pos = 0;
    for (;;) {
      // Whitespace (and NUL padding) between segments, unless it is itself a separator.
      while (pos < n) {
        const c = b[pos] as number;
        if (isSkippable(c) && c !== this.ts && c !== this.es && c !== this.cs && c !== this.rs) pos++;
        else break;
      }
      if (pos >= n) break;
      if (b[pos] === 0xef) {
        // UTF-8 byte order mark at the start of the file or of a concatenated part.
        if (n - pos < 3) {
          if (!final && BOM.startsWith(s.slice(pos))) break;
        } else if (s.startsWith(BOM, pos)) {
          pos += 3;
          continue;
        }
      }
      const isaState = this.startsIsa(s, pos, n, final);
      if (isaState === 'wait') break;
      if (isaState === 'isa') {
        const next = this.readIsa(s, pos, n, final, sink);
        if (next < 0) break;
        pos = next;
        continue;
      }
      if (!this.started) {
        if (final && 'ISA'.startsWith(s.slice(pos, Math.min(n, pos + 3)))) break;
        this.fail(x12ErrorCodes.isaExpected, 'input must start with an ISA segment', pos);
      }
      // One pass over the bytes: find the terminator, note where elements start, and whether the segment has
      // components, repetitions or non-ASCII bytes (then the general path splits it).
      const es = this.es;
      const ts = this.ts;
      const cs = this.cs;
      const rs = this.rs;
      const limit = Math.min(n, pos + this.maxSegmentLength + 1);
      let bounds = this.bounds;
      let nb = 0;
      let special = false;
      let i = pos;
      for (; i < limit; i++) {
        const c = b[i] as number;
        if (c === ts) break;
        if (c === es) {
          if (nb === bounds.length) {
            const grown = new Int32Array(bounds.length * 2);
            grown.set(bounds);
            bounds = grown;
            this.bounds = grown;
          }
          bounds[nb++] = i;
        } else if (c === cs || c === rs || c > 127) special = true;
      }
      if (i >= limit) {
        if (i - pos > this.maxSegmentLength) {
          this.fail(x12ErrorCodes.segmentTooLong, `no segment terminator within ${this.maxSegmentLength} bytes`, pos);
        }
        break;
      }
      const end = i;
      sink(special ? this.fullSegment(s, pos, end) : this.simpleSegment(s, pos, end, bounds, nb));
      pos = end + 1;
    }
    if (final) {
      let tail = pos;
      while (tail < n && isSkippable(s.charCodeAt(tail))) tail++;
      if (tail < n) {
        const issue: X12Issue = {
          code: x12ErrorCodes.unterminatedSegment,
          message: 'input ends inside a segment (no terminator): the file is truncated',
          position: { index: this.started ? this.index : 0, offset: this.bufOffset + tail },
        };
        this.onIssue?.(issue);
      }
      this.bufOffset += n;
      return n;
    }
    this.bufOffset += pos;
    return pos;
  }

  private startsIsa(s: string, pos: number, n: number, final: boolean): 'isa' | 'no' | 'wait' {
    if (s.charCodeAt(pos) !== 73) return 'no';
    if (n - pos < 4) {
      if (!final) return 'wait';
      return 'no';
    }
    if (s.charCodeAt(pos + 1) !== 83 || s.charCodeAt(pos + 2) !== 65) return 'no';
    const c = s.charCodeAt(pos + 3);
    if (isAlnum(c)) return 'no';
    // Inside an interchange, "ISA" followed by something other than a plausible separator is data.
    return 'isa';
  }

  /** Reads an ISA at `pos`; returns the position after its terminator, or -1 when more input is needed. */
  private readIsa(s: string, pos: number, n: number, final: boolean, sink: X12SegmentSink): number {
    const es = s.charCodeAt(pos + 3);
    let cPos: number;
    if (n - pos >= ISA_LENGTH && ISA_SEPARATOR_POSITIONS.every((p) => s.charCodeAt(pos + p) === es)) {
      cPos = pos + 104;
    } else if (n - pos < ISA_LENGTH && !final) {
      return -1;
    } else {
      // Not standard width: count 16 element separators within a bounded window.
      const limit = Math.min(n, pos + ISA_SCAN_LIMIT);
      let count = 1;
      let i = pos + 4;
      while (i < limit && count < 16) {
        if (s.charCodeAt(i) === es) count++;
        i++;
      }
      if (count < 16) {
        if (!final && limit === n && n - pos < ISA_SCAN_LIMIT) return -1;
        if (final && i >= n) return this.truncatedIsa(pos);
        this.fail(x12ErrorCodes.isaInvalid, 'ISA does not have 16 elements', pos, { reason: 'element count', isa: s.slice(pos, limit) });
      }
      cPos = i;
    }
    if (cPos + 1 >= n) {
      if (!final) return -1;
      return this.truncatedIsa(pos);
    }
    const element = s[pos + 3] as string;
    const component = s[cPos] as string;
    const segment = s[cPos + 1] as string;
    const text = s.slice(pos + 4, cPos - 1);
    const parts = text.split(element);
    parts.push(component);
    const elements = parts;
    const version = elements[11] ?? '';
    const isa11 = elements[10] ?? '';
    let repetition: string | undefined;
    if (versionHasRepetition(version) && isa11.length === 1) {
      const rc = isa11.charCodeAt(0);
      if (rc < 128 && !isAlnum(rc) && rc !== 32 && isa11 !== element && isa11 !== component && isa11 !== segment) repetition = isa11;
    }
    const seps: X12Separators = { element, component, repetition, segment };
    const problem = findSeparatorProblem({ ...seps, repetition: undefined });
    if (problem) {
      this.fail(x12ErrorCodes.isaInvalid, `ISA declares unusable separators: ${problem.message}`, pos, {
        reason: problem.message,
        separator: problem.which,
        isa: s.slice(pos, cPos + 2),
      });
    }
    this.started = true;
    this.index = 0;
    this.separators = seps;
    this.es = es;
    this.cs = component.charCodeAt(0);
    this.rs = repetition === undefined ? -1 : repetition.charCodeAt(0);
    this.ts = segment.charCodeAt(0);
    const isa: X12Segment = {
      tag: 'ISA',
      elements: this.utf8 ? elements.map(decodeElement) : elements,
      position: { index: this.index++, offset: this.bufOffset + pos },
      separators: seps,
    };
    sink(isa);
    return cPos + 2;
  }

  private truncatedIsa(pos: number): number {
    this.onIssue?.({
      code: x12ErrorCodes.unterminatedSegment,
      message: 'input ends inside an ISA segment: the file is truncated',
      position: { index: 0, offset: this.bufOffset + pos },
      segmentId: 'ISA',
    });
    return this.buf.length;
  }

  /** Fast path: only element separators in the segment, at the recorded positions. */
  private simpleSegment(s: string, start: number, end: number, bounds: Int32Array, nb: number): X12Segment {
    const tag = s.slice(start, nb > 0 ? (bounds[0] as number) : end);
    const elements: X12Element[] = new Array<X12Element>(nb);
    for (let k = 0; k < nb; k++) {
      const from = (bounds[k] as number) + 1;
      elements[k] = s.slice(from, k + 1 < nb ? (bounds[k + 1] as number) : end);
    }
    return { tag, elements, position: { index: this.index++, offset: this.bufOffset + start } };
  }

  private fullSegment(s: string, start: number, end: number): X12Segment {
    const b = this.bytes;
    const es = this.es;
    const cs = this.cs;
    const rs = this.rs;
    let hi = 0;
    let k = start;
    for (; k < end; k++) {
      const c = b[k] as number;
      if (c === es) break;
      hi |= c;
    }
    const tag = s.slice(start, k);
    const elements: X12Element[] = [];
    if (k < end) {
      let from = k + 1;
      let comps: X12Composite | null = null;
      let reps: Array<string | X12Composite> | null = null;
      for (let i = from; ; i++) {
        if (i === end) {
          const v = s.slice(from, i);
          let item: string | X12Composite = v;
          if (comps !== null) {
            comps.push(v);
            item = comps;
          }
          if (reps !== null) {
            reps.push(item);
            elements.push({ repeats: reps } satisfies X12Repeated);
          } else elements.push(item);
          break;
        }
        const c = b[i] as number;
        hi |= c;
        if (c === es) {
          const v = s.slice(from, i);
          let item: string | X12Composite = v;
          if (comps !== null) {
            comps.push(v);
            item = comps;
            comps = null;
          }
          if (reps !== null) {
            reps.push(item);
            elements.push({ repeats: reps });
            reps = null;
          } else elements.push(item);
          from = i + 1;
        } else if (c === cs) {
          if (comps === null) comps = [s.slice(from, i)];
          else comps.push(s.slice(from, i));
          from = i + 1;
        } else if (c === rs) {
          const v = s.slice(from, i);
          let item: string | X12Composite = v;
          if (comps !== null) {
            comps.push(v);
            item = comps;
            comps = null;
          }
          if (reps === null) reps = [item];
          else reps.push(item);
          from = i + 1;
        }
      }
    }
    const seg: X12Segment = {
      tag: hi > 127 && this.utf8 && NON_ASCII.test(tag) ? fromLatin1(tag) : tag,
      elements: hi > 127 && this.utf8 ? elements.map(decodeElement) : elements,
      position: { index: this.index++, offset: this.bufOffset + start },
    };
    return seg;
  }
}
