/**
 * The X12 data model shared by the reader, the validator and the writer. Plain data (JSON-safe), so documents
 * compare with deep equality and travel through queues unchanged.
 */
import type { X12Position } from '../errors.js';

/** Where a segment is: index within its interchange and byte offset. */
export type { X12Position } from '../errors.js';

/** The four delimiters of one interchange, as declared by its ISA. */
export interface X12Separators {
  /** Data element separator (ISA byte 3), e.g. `*`. */
  element: string;
  /** Component element separator (ISA16), e.g. `:` or `>`. */
  component: string;
  /** Repetition separator (ISA11, versions 00402 and later); undefined when the version has none. */
  repetition: string | undefined;
  /** Segment terminator (the byte after ISA16), e.g. `~`. */
  segment: string;
}

/** A composite data element: its components in order (always two or more after parsing). */
export type X12Composite = string[];

/** A repeated data element: its repetitions in order, each simple or composite (two or more after parsing). */
export interface X12Repeated {
  repeats: Array<string | X12Composite>;
}

/** One data element: a simple value, a composite, or a repeated element. */
export type X12Element = string | X12Composite | X12Repeated;

/** A segment as written by hand or by a mapper (no position yet). */
export interface X12SegmentInput {
  /** Segment id, e.g. `BEG`. */
  tag: string;
  /** Data elements; `elements[0]` is element 01. */
  elements: X12Element[];
}

/** A segment read from input, with where it was. */
export interface X12Segment extends X12SegmentInput {
  /** Where the segment starts (absent on segments built in memory). */
  position?: X12Position;
  /** Only on ISA segments: the separators this ISA declares. */
  separators?: X12Separators;
}

/** A transaction set: ST, its body, SE. */
export interface X12TransactionSet {
  header: X12Segment;
  /** Body segments between ST and SE. */
  segments: X12Segment[];
  /** The SE; undefined when the input ended the set without one. */
  trailer: X12Segment | undefined;
}

/** A functional group: GS, its sets, GE. */
export interface X12Group {
  header: X12Segment;
  sets: X12TransactionSet[];
  /** The GE; undefined when missing. */
  trailer: X12Segment | undefined;
}

/** An interchange: ISA, interchange-level TA1 segments, groups, IEA. */
export interface X12Interchange {
  /** The ISA; its 16 elements are kept exactly as received (fixed width, padded). */
  header: X12Segment;
  separators: X12Separators;
  /** TA1 segments carried directly in the interchange (interchange acknowledgments). */
  acknowledgments: X12Segment[];
  groups: X12Group[];
  /** The IEA; undefined when missing. */
  trailer: X12Segment | undefined;
}

/** A structural problem found while reading that did not stop the reader. */
export interface X12Issue {
  /** Stable `TL_EDI_*` code. */
  code: string;
  message: string;
  position: X12Position;
  /** Segment id concerned, when there is one. */
  segmentId?: string;
}

/** A whole parsed file: one or more interchanges, plus the structural issues met on the way. */
export interface X12Document {
  interchanges: X12Interchange[];
  issues: X12Issue[];
}

/** A trading partner address in an ISA: qualifier (ISA05/07) and id (ISA06/08), trimmed. */
export interface X12PartyId {
  qualifier: string;
  id: string;
}

/** Envelope facts about the interchange a transaction set came in. */
export interface X12InterchangeInfo {
  header: X12Segment;
  separators: X12Separators;
  sender: X12PartyId;
  receiver: X12PartyId;
  /** ISA13 as received. */
  controlNumber: string;
  /** ISA12, e.g. `00401`. */
  version: string;
  /** ISA15: `P` production or `T` test. */
  usage: string;
}

/** Envelope facts about the group a transaction set came in. */
export interface X12GroupInfo {
  header: X12Segment;
  /** GS01, e.g. `PO`. */
  functionalId: string;
  /** GS06. */
  controlNumber: string;
  /** GS08, e.g. `004010`. */
  version: string;
  /** GS02. */
  applicationSender: string;
  /** GS03. */
  applicationReceiver: string;
}

/** A transaction set with the envelopes around it, as streamed by `readTransactionSets`. */
export interface X12EnvelopedSet {
  interchange: X12InterchangeInfo;
  group: X12GroupInfo;
  set: X12TransactionSet;
}

/** Anything the reader accepts: bytes, text, a Node Readable, or any (async) iterable of chunks. */
export type X12Source =
  | Uint8Array
  | string
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>;
