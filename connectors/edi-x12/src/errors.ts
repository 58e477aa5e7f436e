/**
 * Errors of the EDI X12 connector. Everything the codec or the mappers reject is an input problem of the partner's
 * data (permanent: retrying the same bytes cannot help); every error carries a stable `TL_EDI_*` code and, where it
 * applies, the segment position and element it is about.
 */
import { InputError, type ErrorDetails, classifyError, type ErrorKind } from '@tradelane/core';

/** Where in the input something happened: segment index within its interchange (ISA = 0) and byte offset. */
export interface X12Position {
  /** 0-based segment index within the interchange (the ISA is 0). */
  index: number;
  /** 0-based byte offset of the segment's first byte in the input. */
  offset: number;
}

/** Stable codes of the codec's own errors and issues. */
export const x12ErrorCodes = {
  isaExpected: 'TL_EDI_ISA_EXPECTED',
  isaInvalid: 'TL_EDI_ISA_INVALID',
  segmentTooLong: 'TL_EDI_SEGMENT_TOO_LONG',
  unterminatedSegment: 'TL_EDI_UNTERMINATED_SEGMENT',
  noInterchange: 'TL_EDI_NO_INTERCHANGE',
  unexpectedSegment: 'TL_EDI_UNEXPECTED_SEGMENT',
  setTrailerMissing: 'TL_EDI_SET_TRAILER_MISSING',
  groupTrailerMissing: 'TL_EDI_GROUP_TRAILER_MISSING',
  interchangeTrailerMissing: 'TL_EDI_INTERCHANGE_TRAILER_MISSING',
  separatorInData: 'TL_EDI_SEPARATOR_IN_DATA',
  separatorsInvalid: 'TL_EDI_SEPARATORS_INVALID',
  repetitionUnsupported: 'TL_EDI_REPETITION_UNSUPPORTED',
  isaFieldInvalid: 'TL_EDI_ISA_FIELD_INVALID',
  mapping: 'TL_EDI_MAPPING_FAILED',
} as const;

/** One of the codec's error codes. */
export type X12ErrorCode = (typeof x12ErrorCodes)[keyof typeof x12ErrorCodes];

/** The input cannot be read as X12 at all from this point on (no ISA, unreadable ISA, runaway segment). */
export class X12SyntaxError extends InputError {
  /** Where reading stopped. */
  readonly position: X12Position;
  constructor(code: X12ErrorCode, message: string, position: X12Position, details?: ErrorDetails) {
    super(code, message, { ...details, segmentIndex: position.index, offset: position.offset });
    this.position = position;
  }
}

/** Data cannot be written because a value contains a separator (X12 has no escaping) or an envelope value is bad. */
export class X12WriteError extends InputError {}

/** A transaction set does not carry what its canonical document needs; names segment, position and element. */
export class X12MappingError extends InputError {
  /** Segment id, e.g. `PO1`. */
  readonly segment: string;
  /** Position of the segment, or of the set's header when the segment is missing. */
  readonly position: X12Position | undefined;
  /** Element reference like `PO102`, when one element is at fault. */
  readonly element: string | undefined;
  constructor(message: string, where: { segment: string; position?: X12Position | undefined; element?: string | undefined; setControlNumber?: string | undefined }) {
    super(x12ErrorCodes.mapping, message, {
      segment: where.segment,
      element: where.element,
      segmentIndex: where.position?.index,
      offset: where.position?.offset,
      setControlNumber: where.setControlNumber,
    });
    this.segment = where.segment;
    this.position = where.position;
    this.element = where.element;
  }
}

/** Classifies a failure of this connector: codec and mapping errors are permanent, unknown ones transient. */
export function classifyX12Error(err: unknown): ErrorKind {
  return classifyError(err);
}
