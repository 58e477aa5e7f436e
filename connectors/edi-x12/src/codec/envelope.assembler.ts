/**
 * Turns a flat segment stream into envelope events (interchange → group → transaction set). Lenient: a missing
 * trailer or a segment in the wrong place becomes an issue and reading goes on, so the validator can answer with
 * the right acknowledgment codes instead of giving up.
 */
import { x12ErrorCodes } from '../errors.js';
import type { X12Issue, X12Position, X12Segment, X12Separators } from './x12.types.js';

/** Callbacks for the envelope structure, in input order. */
export interface X12EnvelopeHandler {
  interchangeStart(isa: X12Segment, separators: X12Separators): void;
  /** A segment directly inside the interchange (a TA1). */
  interchangeSegment(segment: X12Segment): void;
  groupStart(gs: X12Segment): void;
  setStart(st: X12Segment): void;
  setSegment(segment: X12Segment): void;
  /** `se` is undefined when the set was closed by something else; `at` is where that happened. */
  setEnd(se: X12Segment | undefined, at: X12Position): void;
  groupEnd(ge: X12Segment | undefined, at: X12Position): void;
  interchangeEnd(iea: X12Segment | undefined, at: X12Position): void;
  issue(issue: X12Issue): void;
}

const Level = { None: 0, Interchange: 1, Group: 2, Set: 3 } as const;
type Level = (typeof Level)[keyof typeof Level];

/**
 * Feeds segments to an {@link X12EnvelopeHandler}, closing envelopes that the input forgot to close.
 * @example
 * const asm = new X12EnvelopeAssembler(handler);
 * tokenizer.push(chunk, (seg) => asm.segment(seg));
 */
export class X12EnvelopeAssembler {
  private level: Level = Level.None;
  private lastPosition: X12Position = { index: 0, offset: 0 };
  private interchanges = 0;

  constructor(private readonly handler: X12EnvelopeHandler) {}

  /** Handles the next segment. */
  segment(seg: X12Segment): void {
    const at = seg.position ?? this.lastPosition;
    this.lastPosition = at;
    const h = this.handler;
    switch (seg.tag) {
      case 'ISA':
        this.closeTo(Level.None, at, seg.tag);
        this.level = Level.Interchange;
        this.interchanges++;
        h.interchangeStart(seg, seg.separators ?? { element: '*', component: ':', repetition: undefined, segment: '~' });
        return;
      case 'IEA':
        if (this.level === Level.None) return this.unexpected(seg, 'IEA without an open interchange');
        this.closeTo(Level.Interchange, at, seg.tag);
        this.level = Level.None;
        h.interchangeEnd(seg, at);
        return;
      case 'GS':
        if (this.level === Level.None) return this.unexpected(seg, 'GS outside an interchange');
        this.closeTo(Level.Interchange, at, seg.tag);
        this.level = Level.Group;
        h.groupStart(seg);
        return;
      case 'GE':
        if (this.level < Level.Group) return this.unexpected(seg, 'GE without an open functional group');
        this.closeTo(Level.Group, at, seg.tag);
        this.level = Level.Interchange;
        h.groupEnd(seg, at);
        return;
      case 'ST':
        if (this.level < Level.Group) return this.unexpected(seg, 'ST outside a functional group');
        this.closeTo(Level.Group, at, seg.tag);
        this.level = Level.Set;
        h.setStart(seg);
        return;
      case 'SE':
        if (this.level !== Level.Set) return this.unexpected(seg, 'SE without an open transaction set');
        this.level = Level.Group;
        h.setEnd(seg, at);
        return;
      case 'TA1':
        if (this.level === Level.Interchange) return h.interchangeSegment(seg);
        break;
      default:
        break;
    }
    if (this.level === Level.Set) h.setSegment(seg);
    else this.unexpected(seg, `${seg.tag || 'empty segment'} outside a transaction set`);
  }

  /** Closes whatever is still open at the end of input. `at` is the end position (next index, total bytes). */
  end(at: X12Position): void {
    this.closeTo(Level.None, at, undefined);
    if (this.interchanges === 0) {
      this.handler.issue({ code: x12ErrorCodes.noInterchange, message: 'the input holds no interchange', position: at });
    }
  }

  private unexpected(seg: X12Segment, message: string): void {
    this.handler.issue({
      code: x12ErrorCodes.unexpectedSegment,
      message,
      position: seg.position ?? this.lastPosition,
      segmentId: seg.tag,
    });
  }

  private closeTo(target: Level, at: X12Position, by: string | undefined): void {
    const h = this.handler;
    const what = by === undefined ? 'the end of input' : by;
    if (this.level === Level.Set && target < Level.Set) {
      h.issue({ code: x12ErrorCodes.setTrailerMissing, message: `transaction set closed by ${what} without SE`, position: at, segmentId: 'SE' });
      h.setEnd(undefined, at);
      this.level = Level.Group;
    }
    if (this.level === Level.Group && target < Level.Group) {
      h.issue({ code: x12ErrorCodes.groupTrailerMissing, message: `functional group closed by ${what} without GE`, position: at, segmentId: 'GE' });
      h.groupEnd(undefined, at);
      this.level = Level.Interchange;
    }
    if (this.level === Level.Interchange && target < Level.Interchange) {
      h.issue({
        code: x12ErrorCodes.interchangeTrailerMissing,
        message: `interchange closed by ${what} without IEA`,
        position: at,
        segmentId: 'IEA',
      });
      h.interchangeEnd(undefined, at);
      this.level = Level.None;
    }
  }
}
