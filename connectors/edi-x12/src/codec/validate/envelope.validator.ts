/**
 * Streaming validation of X12 envelopes and of the transaction sets we support. The result says, per interchange,
 * group and set, what the TA1 and 997/999 must answer; every error also appears in a flat list with its segment
 * position and a stable code. Memory holds one set's counters at a time plus the (small) per-set results.
 */
import { X12SyntaxError, x12ErrorCodes } from '../../errors.js';
import { X12EnvelopeAssembler, type X12EnvelopeHandler } from '../envelope.assembler.js';
import { elementRef, elementValue, trimmedValue } from '../segment.access.js';
import { versionHasRepetition } from '../segment.tokenizer.js';
import { driveX12Source, type X12ReadOptions } from '../x12.reader.js';
import type { X12Document, X12Issue, X12PartyId, X12Position, X12Segment, X12Separators, X12Source } from '../x12.types.js';
import {
  type ElementErrorCode,
  type GroupErrorCode,
  type GroupStatus,
  type SegmentErrorCode,
  type SetErrorCode,
  type SetStatus,
  type Ta1NoteCode,
  type Ta1Status,
  authorizationQualifiers,
  functionalIdBySet,
  interchangeIdQualifiers,
  securityQualifiers,
  ta1AcceptedWithErrorCodes,
} from './ack.codes.js';
import { type ControlNumberRegistry, InMemoryControlNumberRegistry, normalizeControlNumber } from './control-number.registry.js';
import { builtInCodeLists, segmentRules, setRules, type X12SetRule } from './segment.dictionary.js';
import { type X12ElementCheckContext, type X12ElementError, checkSegment, isValidDate, isValidTime } from './segment.validator.js';

/** Validation settings. */
export interface X12ValidationOptions {
  /** Where inbound interchange control numbers are remembered per partner. @default a fresh in-memory registry (duplicates within this input only) */
  registry?: ControlNumberRegistry | undefined;
  /** Our own interchange ids; when given, an interchange addressed to anyone else gets TA1 note 009. */
  knownReceivers?: readonly X12PartyId[] | undefined;
  /** Transaction sets we accept (ST01). @default every set of the dictionary */
  supportedSets?: readonly string[] | undefined;
  /** Extra or narrower code lists by reference designator, e.g. `{ BEG02: ['SA', 'NE'] }`. */
  codeLists?: Readonly<Record<string, readonly string[]>> | undefined;
  /** Sets whose only problems are segment/element errors are accepted with errors (AK501 E) instead of rejected. @default false */
  acceptSetsWithSegmentErrors?: boolean | undefined;
  /** Segment errors kept per set (the 997 lists at most this many AK3). @default 100 */
  maxSegmentErrorsPerSet?: number | undefined;
  /** Reader settings (segment length limit, encoding). */
  read?: X12ReadOptions | undefined;
}

/** Which level an error belongs to. */
export type X12ErrorLevel = 'input' | 'interchange' | 'group' | 'set' | 'segment' | 'element';

/** One validation error, flat: stable code, position, and the envelope it sits in. */
export interface X12ValidationError {
  /** `TL_EDI_TA1_<note>`, `TL_EDI_AK9_<code>`, `TL_EDI_AK5_<code>`, `TL_EDI_AK3_<code>`, `TL_EDI_AK4_<code>`, or a reader code. */
  code: string;
  level: X12ErrorLevel;
  message: string;
  position: X12Position;
  segmentId?: string | undefined;
  /** Reference designator such as `BEG03`. */
  element?: string | undefined;
  interchangeControlNumber?: string | undefined;
  groupControlNumber?: string | undefined;
  setControlNumber?: string | undefined;
}

/** A segment error inside a set (AK3 / IK3 and its AK4 / IK4). */
export interface X12SegmentError {
  segmentId: string;
  /** Position in the set, ST = 1 (AK302). */
  position: number;
  code: SegmentErrorCode;
  at: X12Position;
  elements: X12ElementError[];
  message: string;
}

/** Result for one transaction set (AK2..AK5). */
export interface X12SetResult {
  id: string;
  controlNumber: string;
  conventionReference?: string | undefined;
  position: X12Position;
  status: SetStatus;
  errorCodes: SetErrorCode[];
  segmentErrors: X12SegmentError[];
  /** Segments counted, ST and SE included. */
  segmentCount: number;
  /** Business key value (e.g. the PO number), when the set has one. */
  businessKey?: { element: string; value: string } | undefined;
}

/** Result for one functional group (AK1, AK9). */
export interface X12GroupResult {
  functionalId: string;
  controlNumber: string;
  version: string;
  applicationSender: string;
  applicationReceiver: string;
  position: X12Position;
  status: GroupStatus;
  errorCodes: GroupErrorCode[];
  /** AK902: sets the group says it includes (GE01), or the count received when GE01 is unusable. */
  setsIncluded: number;
  /** AK903. */
  setsReceived: number;
  /** AK904. */
  setsAccepted: number;
  sets: X12SetResult[];
}

/** Result for one interchange (TA1). */
export interface X12InterchangeResult {
  controlNumber: string;
  sender: X12PartyId;
  receiver: X12PartyId;
  /** ISA09 / ISA10 as received. */
  date: string;
  time: string;
  version: string;
  usage: string;
  acknowledgmentRequested: boolean;
  separators: X12Separators;
  position: X12Position;
  status: Ta1Status;
  /** TA105: the first rejecting note, else the first note, else `000`. */
  noteCode: Ta1NoteCode;
  noteCodes: Ta1NoteCode[];
  /** Holds only acknowledgments (TA1 segments, FA groups): it is never acknowledged. */
  acknowledgmentOnly: boolean;
  groups: X12GroupResult[];
}

/** The outcome of validating an input. */
export interface X12ValidationReport {
  /** True when nothing at all was wrong. */
  ok: boolean;
  errors: X12ValidationError[];
  interchanges: X12InterchangeResult[];
  /** Set when reading had to stop (no ISA, unreadable ISA, runaway segment). */
  fatal?: { code: string; message: string; position: X12Position } | undefined;
}

const ISA_NOTES: readonly Ta1NoteCode[] = ['010', '011', '012', '013', '005', '006', '007', '008', '014', '015', '016', '017', '018', '019', '020', '027'];
const ISA_WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1] as const;

/** Numeric value of a GS08 version (`004010` → 4010); NaN when not numeric. */
export function groupVersionNumber(gs08: string): number {
  return /^\d{6}/.test(gs08) ? Number.parseInt(gs08.slice(0, 6), 10) : Number.NaN;
}

interface InterchangeState {
  result: X12InterchangeResult;
  groupNumbers: Set<string>;
  hasNonAck: boolean;
  groupCount: number;
}

interface GroupState {
  result: X12GroupResult;
  setNumbers: Set<string>;
  ctx: X12ElementCheckContext;
}

interface SetState {
  result: X12SetResult;
  rule: X12SetRule | undefined;
  count: number;
  seen: Map<string, number>;
  segmentErrorsDropped: number;
}

class Validator implements X12EnvelopeHandler {
  readonly interchanges: X12InterchangeResult[] = [];
  readonly errors: X12ValidationError[] = [];
  fatal: X12ValidationReport['fatal'];
  private ic: InterchangeState | undefined;
  private lastIc: InterchangeState | undefined;
  private group: GroupState | undefined;
  private set: SetState | undefined;
  private readonly supported: ReadonlySet<string>;
  private readonly knownFunctionalIds: ReadonlySet<string>;
  private readonly codeLists: Readonly<Record<string, readonly string[]>>;
  private readonly maxSegErrors: number;
  private runningIndex = 0;

  constructor(private readonly options: X12ValidationOptions) {
    this.supported = new Set(options.supportedSets ?? Object.keys(setRules));
    this.knownFunctionalIds = new Set(Object.entries(functionalIdBySet).filter(([id]) => this.supported.has(id)).map(([, f]) => f));
    this.codeLists = { ...builtInCodeLists, ...(options.codeLists ?? {}) };
    this.maxSegErrors = options.maxSegmentErrorsPerSet ?? 100;
  }

  private pos(seg: X12Segment | undefined): X12Position {
    return seg?.position ?? { index: this.runningIndex, offset: -1 };
  }

  private tick(seg: X12Segment): void {
    this.runningIndex = seg.position ? seg.position.index + 1 : this.runningIndex + 1;
  }

  private report(e: Omit<X12ValidationError, 'interchangeControlNumber' | 'groupControlNumber' | 'setControlNumber'>): void {
    this.errors.push({
      code: e.code,
      level: e.level,
      message: e.message,
      position: e.position,
      segmentId: e.segmentId,
      element: e.element,
      interchangeControlNumber: (this.ic ?? this.lastIc)?.result.controlNumber,
      groupControlNumber: this.group?.result.controlNumber,
      setControlNumber: this.set?.result.controlNumber,
    });
  }

  private note(state: InterchangeState | undefined, code: Ta1NoteCode, message: string, at: X12Position, segmentId?: string, element?: string): void {
    if (state && !state.result.noteCodes.includes(code)) state.result.noteCodes.push(code);
    this.report({ code: `TL_EDI_TA1_${code}`, level: 'interchange', message, position: at, segmentId, element });
  }

  private groupError(code: GroupErrorCode, message: string, at: X12Position, segmentId: string): void {
    const g = this.group;
    if (g && !g.result.errorCodes.includes(code)) g.result.errorCodes.push(code);
    this.report({ code: `TL_EDI_AK9_${code}`, level: 'group', message, position: at, segmentId });
  }

  private setError(code: SetErrorCode, message: string, at: X12Position, segmentId: string): void {
    const s = this.set;
    if (s && !s.result.errorCodes.includes(code)) s.result.errorCodes.push(code);
    this.report({ code: `TL_EDI_AK5_${code}`, level: 'set', message, position: at, segmentId });
  }

  private segmentError(seg: X12Segment | { tag: string }, position: number, code: SegmentErrorCode, at: X12Position, elements: X12ElementError[], message: string): void {
    const s = this.set;
    if (!s) return;
    if (s.result.segmentErrors.length >= this.maxSegErrors) {
      s.segmentErrorsDropped++;
      return;
    }
    s.result.segmentErrors.push({ segmentId: seg.tag, position, code, at, elements, message });
    this.report({ code: `TL_EDI_AK3_${code}`, level: 'segment', message, position: at, segmentId: seg.tag });
    for (const e of elements) {
      this.report({
        code: `TL_EDI_AK4_${e.code}`,
        level: 'element',
        message: e.message,
        position: at,
        segmentId: seg.tag,
        element: elementRef(seg.tag, e.position),
      });
    }
  }

  // ---- interchange -------------------------------------------------------------------------------------------

  interchangeStart(isa: X12Segment, separators: X12Separators): void {
    this.runningIndex = 0;
    const at = this.pos(isa);
    this.tick(isa);
    const v = (i: number): string => elementValue(isa, i);
    const result: X12InterchangeResult = {
      controlNumber: v(13),
      sender: { qualifier: trimmedValue(isa, 5), id: trimmedValue(isa, 6) },
      receiver: { qualifier: trimmedValue(isa, 7), id: trimmedValue(isa, 8) },
      date: v(9),
      time: v(10),
      version: v(12),
      usage: v(15),
      acknowledgmentRequested: v(14) === '1',
      separators,
      position: at,
      status: 'A',
      noteCode: '000',
      noteCodes: [],
      acknowledgmentOnly: false,
      groups: [],
    };
    const state: InterchangeState = { result, groupNumbers: new Set(), hasNonAck: false, groupCount: 0 };
    this.ic = state;
    this.lastIc = state;
    this.interchanges.push(result);
    this.checkIsa(isa, state, at);
  }

  private checkIsa(isa: X12Segment, state: InterchangeState, at: X12Position): void {
    const bad = (i: number, message: string): void => this.note(state, ISA_NOTES[i - 1] as Ta1NoteCode, message, at, 'ISA', elementRef('ISA', i));
    const els = isa.elements;
    for (let i = 0; i < 16; i++) {
      const el = els[i];
      if (typeof el !== 'string' || el.length !== ISA_WIDTHS[i]) {
        bad(i + 1, `${elementRef('ISA', i + 1)} must be exactly ${ISA_WIDTHS[i]} characters`);
      }
    }
    const v = (i: number): string => elementValue(isa, i);
    if (!authorizationQualifiers.has(v(1))) bad(1, `ISA01 "${v(1)}" is not an authorization information qualifier`);
    if (!securityQualifiers.has(v(3))) bad(3, `ISA03 "${v(3)}" is not a security information qualifier`);
    if (!interchangeIdQualifiers.has(v(5))) bad(5, `ISA05 "${v(5)}" is not an interchange id qualifier`);
    if (v(6).trim() === '') bad(6, 'ISA06 sender id is blank');
    if (!interchangeIdQualifiers.has(v(7))) bad(7, `ISA07 "${v(7)}" is not an interchange id qualifier`);
    if (v(8).trim() === '') bad(8, 'ISA08 receiver id is blank');
    if (!/^\d{6}$/.test(v(9)) || !isValidDate(v(9))) bad(9, `ISA09 "${v(9)}" is not a YYMMDD date`);
    if (!/^\d{4}$/.test(v(10)) || !isValidTime(v(10))) bad(10, `ISA10 "${v(10)}" is not an HHMM time`);
    const version = v(12);
    if (!/^\d{5}$/.test(version)) bad(12, `ISA12 "${version}" is not a 5-digit version`);
    else {
      const n = Number.parseInt(version, 10);
      if (n < 200 || n > 801) this.note(state, '003', `ISA12 version ${version} is not supported (00200 to 00801)`, at, 'ISA', 'ISA12');
      if (!versionHasRepetition(version) && v(11) !== 'U') bad(11, `ISA11 "${v(11)}" must be U (control standards identifier) before version 00402`);
    }
    if (!/^\d{9}$/.test(v(13))) bad(13, `ISA13 "${v(13)}" must be 9 digits`);
    if (v(14) !== '0' && v(14) !== '1') bad(14, `ISA14 "${v(14)}" must be 0 or 1`);
    if (v(15) !== 'P' && v(15) !== 'T') bad(15, `ISA15 "${v(15)}" must be P or T`);
    const known = this.options.knownReceivers;
    if (known && known.length > 0) {
      const r = state.result.receiver;
      if (!known.some((k) => k.qualifier === r.qualifier && k.id === r.id)) {
        this.note(state, '009', `interchange receiver ${r.qualifier}:${r.id} is not one of ours`, at, 'ISA', 'ISA08');
      }
    }
  }

  interchangeSegment(segment: X12Segment): void {
    this.tick(segment);
  }

  interchangeEnd(iea: X12Segment | undefined, at: X12Position): void {
    const state = this.ic;
    if (!state) return;
    if (!iea) {
      this.note(state, '023', 'interchange ends without IEA (premature end of file)', at, 'IEA');
    } else {
      this.tick(iea);
      const ieaAt = this.pos(iea);
      const count = elementValue(iea, 1);
      if (!/^\d{1,5}$/.test(count) || Number(count) !== state.groupCount) {
        this.note(state, '021', `IEA01 says ${count || 'nothing'} groups, the interchange has ${state.groupCount}`, ieaAt, 'IEA', 'IEA01');
      }
      if (normalizeControlNumber(elementValue(iea, 2)) !== normalizeControlNumber(state.result.controlNumber) || elementValue(iea, 2) === '') {
        this.note(state, '001', `IEA02 "${elementValue(iea, 2)}" does not match ISA13 "${state.result.controlNumber}"`, ieaAt, 'IEA', 'IEA02');
      }
    }
    state.result.acknowledgmentOnly = !state.hasNonAck;
    this.ic = undefined;
  }

  // ---- group -------------------------------------------------------------------------------------------------

  groupStart(gs: X12Segment): void {
    const at = this.pos(gs);
    this.tick(gs);
    const ic = this.ic;
    const v = (i: number): string => elementValue(gs, i);
    const version = v(8);
    const vn = groupVersionNumber(version);
    const result: X12GroupResult = {
      functionalId: v(1),
      controlNumber: v(6),
      version,
      applicationSender: v(2),
      applicationReceiver: v(3),
      position: at,
      status: 'A',
      errorCodes: [],
      setsIncluded: 0,
      setsReceived: 0,
      setsAccepted: 0,
      sets: [],
    };
    this.group = {
      result,
      setNumbers: new Set(),
      ctx: { codeLists: this.codeLists, modernCodes: vn >= 5010, shortDates: vn < 4010 },
    };
    if (ic) {
      ic.groupCount++;
      ic.result.groups.push(result);
      if (result.functionalId !== 'FA') ic.hasNonAck = true;
    }
    // GS syntax problems make the interchange content invalid (TA1 024).
    const gsProblems: string[] = [];
    if (!/^[A-Z0-9]{2}$/.test(v(1))) gsProblems.push(`GS01 "${v(1)}" is not a functional identifier code`);
    for (const i of [2, 3]) if (v(i).length < 2 || v(i).length > 15) gsProblems.push(`GS0${i} must be 2 to 15 characters`);
    const dateOk = vn < 4010 ? /^\d{6}(\d{2})?$/.test(v(4)) : /^\d{8}$/.test(v(4));
    if (!dateOk || !isValidDate(v(4))) gsProblems.push(`GS04 "${v(4)}" is not a valid date`);
    if (!isValidTime(v(5))) gsProblems.push(`GS05 "${v(5)}" is not a valid time`);
    if (v(7) !== 'X' && v(7) !== 'T') gsProblems.push(`GS07 "${v(7)}" must be X`);
    if (gs.elements.length > 8) gsProblems.push(`GS has ${gs.elements.length} elements, 8 allowed`);
    if (gsProblems.length > 0) this.note(ic, '024', `invalid GS segment: ${gsProblems.join('; ')}`, at, 'GS');
    if (!/^\d{1,9}$/.test(v(6))) this.groupError('6', `GS06 "${v(6)}" must be 1 to 9 digits`, at, 'GS');
    else if (ic) {
      const key = normalizeControlNumber(v(6));
      if (ic.groupNumbers.has(key)) this.groupError('19', `group control number ${v(6)} is used twice in this interchange`, at, 'GS');
      ic.groupNumbers.add(key);
    }
    if (!(vn >= 2000 && vn <= 8010)) this.groupError('2', `GS08 version "${version}" is not supported`, at, 'GS');
    if (!this.knownFunctionalIds.has(v(1))) this.groupError('1', `functional group ${v(1) || '(blank)'} is not supported`, at, 'GS');
  }

  groupEnd(ge: X12Segment | undefined, at: X12Position): void {
    const g = this.group;
    if (!g) return;
    const r = g.result;
    r.setsReceived = r.sets.length;
    r.setsIncluded = r.sets.length;
    if (!ge) {
      this.groupError('3', 'functional group ends without GE', at, 'GE');
    } else {
      this.tick(ge);
      const geAt = this.pos(ge);
      const count = elementValue(ge, 1);
      if (/^\d{1,6}$/.test(count)) r.setsIncluded = Number(count);
      if (!/^\d{1,6}$/.test(count) || Number(count) !== r.sets.length) {
        this.groupError('5', `GE01 says ${count || 'nothing'} sets, the group has ${r.sets.length}`, geAt, 'GE');
      }
      if (normalizeControlNumber(elementValue(ge, 2)) !== normalizeControlNumber(r.controlNumber) || elementValue(ge, 2) === '') {
        this.groupError('4', `GE02 "${elementValue(ge, 2)}" does not match GS06 "${r.controlNumber}"`, geAt, 'GE');
      }
    }
    r.setsAccepted = r.sets.filter((s) => s.status === 'A' || s.status === 'E').length;
    if (r.errorCodes.length > 0) r.status = 'R';
    else if (r.sets.length === 0) r.status = 'A';
    else if (r.setsAccepted === r.sets.length) r.status = r.sets.some((s) => s.status === 'E') ? 'E' : 'A';
    else if (r.setsAccepted === 0) r.status = 'R';
    else r.status = 'P';
    this.group = undefined;
  }

  // ---- set ---------------------------------------------------------------------------------------------------

  setStart(st: X12Segment): void {
    const at = this.pos(st);
    this.tick(st);
    const g = this.group;
    const id = elementValue(st, 1);
    const cn = elementValue(st, 2);
    const result: X12SetResult = {
      id,
      controlNumber: cn,
      conventionReference: elementValue(st, 3) || undefined,
      position: at,
      status: 'A',
      errorCodes: [],
      segmentErrors: [],
      segmentCount: 1,
    };
    const rule = this.supported.has(id) ? setRules[id] : undefined;
    this.set = { result, rule, count: 1, seen: new Map(), segmentErrorsDropped: 0 };
    g?.result.sets.push(result);
    if (!/^\d{3}$/.test(id)) this.setError('6', `ST01 "${id}" is not a transaction set identifier`, at, 'ST');
    else if (!rule) this.setError('1', `transaction set ${id} is not supported`, at, 'ST');
    else if (g && g.result.functionalId !== rule.functionalId) {
      this.setError('6', `transaction set ${id} belongs in a ${rule.functionalId} group, not ${g.result.functionalId}`, at, 'ST');
    }
    if (!/^[\x21-\x7E][\x20-\x7E]{3,8}$/.test(cn)) this.setError('7', `ST02 "${cn}" must be 4 to 9 characters`, at, 'ST');
    else if (g) {
      if (g.setNumbers.has(cn)) this.setError('23', `set control number ${cn} is used twice in this group`, at, 'ST');
      g.setNumbers.add(cn);
    }
    if (g && rule) {
      const problems = checkSegment(st, segmentRules.ST!, g.ctx).filter((e) => e.position === 3);
      if (problems.length > 0) this.segmentError(st, 1, '8', at, problems, 'ST has data element errors');
    }
  }

  setSegment(seg: X12Segment): void {
    const s = this.set;
    if (!s) return;
    this.tick(seg);
    s.count++;
    const rule = s.rule;
    if (!rule) return;
    const at = this.pos(seg);
    const position = s.count;
    const tag = seg.tag;
    const seen = (s.seen.get(tag) ?? 0) + 1;
    s.seen.set(tag, seen);
    if (!/^[A-Z][A-Z0-9]{1,2}$/.test(tag)) {
      this.segmentError(seg, position, '1', at, [], `"${tag}" is not a segment id`);
      return;
    }
    if (!rule.allowed.has(tag)) {
      this.segmentError(seg, position, '6', at, [], `${tag} is not a segment of transaction set ${s.result.id}`);
      return;
    }
    if (tag === rule.beginning) {
      if (seen > 1) {
        this.segmentError(seg, position, '5', at, [], `${tag} may occur only once`);
        return;
      }
      if (position !== 2) {
        this.segmentError(seg, position, '7', at, [], `${tag} must directly follow ST`);
        return;
      }
    } else if (position === 2) {
      this.segmentError(seg, position, '7', at, [], `transaction set ${s.result.id} must begin with ${rule.beginning}, found ${tag}`);
      return;
    }
    const segRule = segmentRules[tag];
    const g = this.group;
    if (!segRule || !g) return;
    const problems = checkSegment(seg, segRule, g.ctx);
    if (problems.length > 0) this.segmentError(seg, position, '8', at, problems, `${tag} has data element errors`);
  }

  setEnd(se: X12Segment | undefined, at: X12Position): void {
    const s = this.set;
    if (!s) return;
    const r = s.result;
    if (se) {
      this.tick(se);
      s.count++;
    }
    r.segmentCount = s.count;
    const seAt = se ? this.pos(se) : at;
    if (s.rule) {
      for (const m of s.rule.mandatory) {
        if (!s.seen.has(m)) this.segmentError({ tag: m }, s.count, '3', seAt, [], `required segment ${m} is missing`);
      }
      const key = s.rule.businessKey;
      if (key && !r.businessKey) r.businessKey = { element: key, value: '' };
    }
    if (!se) {
      this.setError('2', `transaction set ${r.controlNumber} ends without SE`, at, 'SE');
    } else {
      const count = elementValue(se, 1);
      if (!/^\d{1,10}$/.test(count) || Number(count) !== s.count) {
        this.setError('4', `SE01 says ${count || 'nothing'} segments, the set has ${s.count}`, seAt, 'SE');
      }
      if (elementValue(se, 2) !== r.controlNumber) {
        this.setError('3', `SE02 "${elementValue(se, 2)}" does not match ST02 "${r.controlNumber}"`, seAt, 'SE');
      }
    }
    if (r.segmentErrors.length > 0 && !r.errorCodes.includes('5')) {
      r.errorCodes.push('5');
      this.report({ code: 'TL_EDI_AK5_5', level: 'set', message: `transaction set ${r.controlNumber} has segment errors`, position: seAt, segmentId: 'SE' });
    }
    const onlySegmentErrors = r.errorCodes.every((c) => c === '5');
    if (r.errorCodes.length === 0) r.status = 'A';
    else if (onlySegmentErrors && this.options.acceptSetsWithSegmentErrors) r.status = 'E';
    else r.status = 'R';
    this.set = undefined;
  }

  /** Records the business key value when the beginning segment passes (kept small: one string per set). */
  noteBusinessKey(seg: X12Segment): void {
    const s = this.set;
    const key = s?.rule?.businessKey;
    if (!s || !key || key.slice(0, -2) !== seg.tag || s.result.businessKey) return;
    const n = Number(key.slice(seg.tag.length));
    s.result.businessKey = { element: key, value: elementValue(seg, n) };
  }

  // ---- issues and end ----------------------------------------------------------------------------------------

  issue(issue: X12Issue): void {
    switch (issue.code) {
      case x12ErrorCodes.setTrailerMissing:
      case x12ErrorCodes.groupTrailerMissing:
      case x12ErrorCodes.interchangeTrailerMissing:
        return; // reported by the matching *End(undefined) call
      case x12ErrorCodes.unexpectedSegment: {
        const state = this.ic ?? this.lastIc;
        this.note(state, '022', `${issue.message} (invalid control structure)`, issue.position, issue.segmentId);
        if (this.ic) this.runningIndex++;
        return;
      }
      case x12ErrorCodes.unterminatedSegment: {
        const state = this.ic ?? this.lastIc;
        if (state) this.note(state, '023', issue.message, issue.position, issue.segmentId);
        else this.report({ code: issue.code, level: 'input', message: issue.message, position: issue.position, segmentId: issue.segmentId });
        return;
      }
      default:
        this.report({ code: issue.code, level: 'input', message: issue.message, position: issue.position, segmentId: issue.segmentId });
    }
  }

  stop(err: X12SyntaxError): void {
    this.fatal = { code: err.code, message: err.message, position: err.position };
    const isaText = typeof err.details?.['isa'] === 'string' ? (err.details['isa'] as string) : undefined;
    this.report({ code: err.code, level: 'input', message: err.message, position: err.position });
    if (err.code === x12ErrorCodes.isaInvalid && isaText && isaText.length >= 106) this.rejectUnreadableIsa(isaText, err);
    else if (this.ic) this.note(this.ic, '024', `reading stopped: ${err.message}`, err.position);
  }

  /** A fixed-width ISA whose separators are unusable: answer with a TA1 built from the fixed positions. */
  private rejectUnreadableIsa(isa: string, err: X12SyntaxError): void {
    const at = (a: number, b: number): string => isa.slice(a, b);
    const which = err.details?.['separator'];
    const note: Ta1NoteCode = which === 'component' ? '027' : which === 'segment' ? '004' : '026';
    const result: X12InterchangeResult = {
      controlNumber: at(90, 99),
      sender: { qualifier: at(32, 34), id: at(35, 50).trim() },
      receiver: { qualifier: at(51, 53), id: at(54, 69).trim() },
      date: at(70, 76),
      time: at(77, 81),
      version: at(84, 89),
      usage: at(102, 103),
      acknowledgmentRequested: at(100, 101) === '1',
      separators: { element: '*', component: '>', repetition: undefined, segment: '~' },
      position: err.position,
      status: 'R',
      noteCode: note,
      noteCodes: [note],
      acknowledgmentOnly: false,
      groups: [],
    };
    if (!/^\d{9}$/.test(result.controlNumber)) return;
    this.interchanges.push(result);
    this.errors.push({ code: `TL_EDI_TA1_${note}`, level: 'interchange', message: err.message, position: err.position, segmentId: 'ISA', interchangeControlNumber: result.controlNumber });
  }

  async finish(registry: ControlNumberRegistry): Promise<void> {
    for (const ic of this.interchanges) {
      if (ic.noteCodes.some((c) => !ta1AcceptedWithErrorCodes.has(c))) continue;
      if (!/^\d{9}$/.test(ic.controlNumber)) continue;
      const fresh = await registry.register(`${ic.sender.qualifier}:${ic.sender.id}`, ic.controlNumber);
      if (!fresh) {
        ic.noteCodes.push('025');
        this.errors.push({
          code: 'TL_EDI_TA1_025',
          level: 'interchange',
          message: `interchange control number ${ic.controlNumber} from ${ic.sender.qualifier}:${ic.sender.id} was received before`,
          position: ic.position,
          segmentId: 'ISA',
          element: 'ISA13',
          interchangeControlNumber: ic.controlNumber,
        });
      }
    }
    for (const ic of this.interchanges) {
      const rejecting = ic.noteCodes.find((c) => !ta1AcceptedWithErrorCodes.has(c));
      ic.noteCode = rejecting ?? ic.noteCodes[0] ?? '000';
      ic.status = rejecting ? 'R' : ic.noteCodes.length > 0 ? 'E' : 'A';
    }
  }
}

/** Validator plus the glue that feeds it, shared by the stream and document entry points. */
class ValidationRun {
  readonly validator: Validator;
  readonly assembler: X12EnvelopeAssembler;
  constructor(options: X12ValidationOptions) {
    this.validator = new Validator(options);
    const v = this.validator;
    this.assembler = new X12EnvelopeAssembler({
      interchangeStart: (isa, seps) => v.interchangeStart(isa, seps),
      interchangeSegment: (seg) => v.interchangeSegment(seg),
      groupStart: (gs) => v.groupStart(gs),
      setStart: (st) => v.setStart(st),
      setSegment: (seg) => {
        v.setSegment(seg);
        v.noteBusinessKey(seg);
      },
      setEnd: (se, at) => v.setEnd(se, at),
      groupEnd: (ge, at) => v.groupEnd(ge, at),
      interchangeEnd: (iea, at) => v.interchangeEnd(iea, at),
      issue: (i) => v.issue(i),
    });
  }
  async report(options: X12ValidationOptions): Promise<X12ValidationReport> {
    const v = this.validator;
    await v.finish(options.registry ?? new InMemoryControlNumberRegistry());
    return { ok: v.errors.length === 0 && v.fatal === undefined, errors: v.errors, interchanges: v.interchanges, fatal: v.fatal };
  }
}

/**
 * Validates an input (bytes, text, stream) without holding it in memory; never throws for bad content, only for
 * I/O failures of the source.
 * @example
 * const report = await validateX12(createReadStream('in.edi'), { registry });
 * const acks = await buildAcknowledgments(report, { sequence });
 */
export async function validateX12(source: X12Source, options: X12ValidationOptions = {}): Promise<X12ValidationReport> {
  const run = new ValidationRun(options);
  let end: X12Position = { index: 0, offset: 0 };
  let tokenizerEnd: X12Position | undefined;
  try {
    tokenizerEnd = await driveX12Source(
      source,
      { ...options.read, onIssue: (i) => run.validator.issue(i) },
      (seg) => run.assembler.segment(seg),
      () => undefined,
    );
    end = tokenizerEnd;
  } catch (err) {
    if (!(err instanceof X12SyntaxError)) throw err;
    run.validator.stop(err);
    end = err.position;
  }
  run.assembler.end(end);
  return run.report(options);
}

function* segmentsOf(doc: X12Document): Generator<X12Segment> {
  for (const ic of doc.interchanges) {
    yield { ...ic.header, separators: ic.separators };
    yield* ic.acknowledgments;
    for (const g of ic.groups) {
      yield g.header;
      for (const s of g.sets) {
        yield s.header;
        yield* s.segments;
        if (s.trailer) yield s.trailer;
      }
      if (g.trailer) yield g.trailer;
    }
    if (ic.trailer) yield ic.trailer;
  }
}

/** Validates a document already in memory (parsed, or built by a mapper before sending). */
export async function validateX12Document(doc: X12Document, options: X12ValidationOptions = {}): Promise<X12ValidationReport> {
  const run = new ValidationRun(options);
  const issues = [...doc.issues].sort((a, b) => a.position.offset - b.position.offset);
  let next = 0;
  let last: X12Position = { index: 0, offset: 0 };
  for (const seg of segmentsOf(doc)) {
    const off = seg.position?.offset;
    while (off !== undefined && next < issues.length && (issues[next] as X12Issue).position.offset < off) {
      const issue = issues[next++] as X12Issue;
      if (issue.code !== x12ErrorCodes.noInterchange) run.validator.issue(issue);
    }
    run.assembler.segment(seg);
    if (seg.position) last = { index: seg.position.index + 1, offset: seg.position.offset };
  }
  for (; next < issues.length; next++) {
    const issue = issues[next] as X12Issue;
    if (issue.code !== x12ErrorCodes.noInterchange) run.validator.issue(issue);
  }
  run.assembler.end(last);
  return run.report(options);
}
