/**
 * The slice of the X12 dictionary we validate against: element requirement, type, length and reference number for
 * the segments of the transaction sets we support (850, 855, 856, 810, 846, 214, 997, 999), their syntax notes
 * (P paired, R required, E exclusion, C conditional, L list conditional) and each set's segment list.
 * Lengths follow the most permissive of versions 004010 and 005010.
 */

/** Data element types: AN string, ID code, DT date, TM time, N0/N2 implied-decimal numbers, R decimal. */
export type X12DataType = 'AN' | 'ID' | 'DT' | 'TM' | 'N0' | 'N2' | 'R';

/** Usage of an element: mandatory, optional, or conditional (governed by a syntax note). */
export type X12Requirement = 'M' | 'O' | 'C';

/** Rule for one simple data element (or one component). */
export interface X12ElementRule {
  req: X12Requirement;
  type: X12DataType;
  min: number;
  max: number;
  /** Data element reference number (AK402). */
  ref?: number | undefined;
  /** The element may repeat (5010 repeating elements). */
  repeatable?: boolean | undefined;
}

/** Rule for a composite element. */
export interface X12CompositeRule {
  req: X12Requirement;
  composite: X12ElementRule[];
}

/** Rule for one element position. */
export type X12PositionRule = X12ElementRule | X12CompositeRule;

/** Rules of one segment. */
export interface X12SegmentRule {
  /** Known element rules, in order; positions beyond are unchecked. */
  elements: X12PositionRule[];
  /** Most elements the segment may have. */
  count: number;
  /** Syntax notes like `P0203`. */
  notes: string[];
}

/** Rules of one transaction set. */
export interface X12SetRule {
  /** Functional identifier (GS01) the set travels under. */
  functionalId: string;
  /** The beginning segment, which must directly follow ST and occur once. */
  beginning: string;
  /** Segments that must occur at least once. */
  mandatory: string[];
  /** Every segment id allowed in the body. */
  allowed: ReadonlySet<string>;
  /** Element holding the document's business key (used as CTX business unit in 999), e.g. `BEG03`. */
  businessKey?: string | undefined;
}

function el(spec: string): X12ElementRule {
  const [req, type, min, max, ref, rep] = spec.split(' ');
  return {
    req: req as X12Requirement,
    type: type as X12DataType,
    min: Number(min),
    max: Number(max),
    ref: ref && ref !== '-' ? Number(ref) : undefined,
    repeatable: rep === '*' ? true : undefined,
  };
}

function comp(req: X12Requirement, ...specs: string[]): X12CompositeRule {
  return { req, composite: specs.map(el) };
}

function seg(count: number, elements: Array<string | X12CompositeRule>, notes: string[] = []): X12SegmentRule {
  return { count, elements: elements.map((e) => (typeof e === 'string' ? el(e) : e)), notes };
}

/** Pairs of optional ID/AN product id elements (qualifier + id) starting at `from` up to `to` (inclusive). */
function productIds(from: number, to: number): { specs: string[]; notes: string[] } {
  const specs: string[] = [];
  const notes: string[] = [];
  for (let i = from; i + 1 <= to; i += 2) {
    specs.push('C ID 2 2 235', 'C AN 1 48 234');
    notes.push(`P${String(i).padStart(2, '0')}${String(i + 1).padStart(2, '0')}`);
  }
  return { specs, notes };
}

const po1Ids = productIds(6, 25);
const it1Ids = productIds(6, 25);
const linIds = productIds(4, 31);
const ackIds = productIds(7, 28);

const C030 = comp('M', 'M N0 1 4 722', 'O N0 1 2 1528', 'O N0 1 4 1686');
const C001 = comp('C', 'M ID 2 2 355', 'O R 1 15 1018', 'O R 1 10 649');

/** Segment rules by segment id. */
export const segmentRules: Readonly<Record<string, X12SegmentRule>> = {
  ST: seg(3, ['M ID 3 3 143', 'M AN 4 9 329', 'O AN 1 35 1705']),
  SE: seg(2, ['M N0 1 10 96', 'M AN 4 9 329']),
  BEG: seg(12, ['M ID 2 2 353', 'M ID 2 2 92', 'M AN 1 22 324', 'O AN 1 30 328', 'M DT 8 8 373', 'O AN 1 30 367', 'O ID 2 2 587', 'O ID 2 2 1019', 'O ID 2 2 1166', 'O ID 2 2 1232', 'O ID 1 2 786', 'O ID 2 2 640']),
  BAK: seg(12, ['M ID 2 2 353', 'M ID 2 2 587', 'M AN 1 22 324', 'M DT 8 8 373', 'O AN 1 30 328', 'O AN 1 30 326', 'O AN 1 30 367', 'O AN 1 30 127', 'O DT 8 8 373', 'O ID 2 2 640', 'O ID 2 2 1019', 'O ID 2 2 1166']),
  BSN: seg(7, ['M ID 2 2 353', 'M AN 2 30 396', 'M DT 8 8 373', 'M TM 4 8 337', 'O ID 4 4 1005', 'C ID 2 2 640', 'C ID 2 2 641'], ['C0706']),
  BIG: seg(10, ['M DT 8 8 373', 'M AN 1 22 76', 'O DT 8 8 373', 'O AN 1 22 324', 'O AN 1 30 328', 'O AN 1 8 327', 'O ID 2 2 640', 'O ID 2 2 353', 'O ID 1 2 306', 'O AN 1 22 76']),
  BIA: seg(6, ['M ID 2 2 353', 'M ID 2 2 755', 'M AN 1 50 127', 'M DT 8 8 373', 'O TM 4 8 337', 'O ID 2 2 306']),
  B10: seg(7, ['C AN 1 50 127', 'C AN 1 30 145', 'M ID 2 4 140', 'O N0 1 3 71', 'C ID 2 3 128', 'C AN 1 50 127', 'O ID 1 1 1073'], ['R0102', 'P0506']),
  CUR: seg(21, ['M ID 2 3 98', 'M ID 3 3 100', 'O R 4 10 280']),
  REF: seg(4, ['M ID 2 3 128', 'C AN 1 80 127', 'C AN 1 80 352'], ['R0203']),
  PER: seg(9, ['M ID 2 2 366', 'O AN 1 60 93', 'C ID 2 2 365', 'C AN 1 256 364', 'C ID 2 2 365', 'C AN 1 256 364', 'C ID 2 2 365', 'C AN 1 256 364', 'O AN 1 20 443'], ['P0304', 'P0506', 'P0708']),
  DTM: seg(6, ['M ID 3 3 374', 'C DT 8 8 373', 'C TM 4 8 337', 'O ID 2 2 623', 'C ID 2 3 1250', 'C AN 1 35 1251'], ['R020305', 'C0403', 'P0506']),
  N1: seg(6, ['M ID 2 3 98', 'C AN 1 60 93', 'C ID 1 2 66', 'C AN 2 80 67', 'O ID 2 2 706', 'O ID 2 3 98'], ['R0203', 'P0304']),
  N2: seg(2, ['M AN 1 60 93', 'O AN 1 60 93']),
  N3: seg(2, ['M AN 1 55 166', 'O AN 1 55 166']),
  N4: seg(7, ['O AN 2 30 19', 'O ID 2 2 156', 'O ID 3 15 116', 'O ID 2 3 26', 'C ID 1 2 309', 'O AN 1 30 310', 'O ID 1 3 1715'], ['C0605']),
  ITD: seg(15, ['O ID 2 2 336', 'O ID 1 2 333', 'O R 1 6 338', 'C DT 8 8 370', 'C N0 1 3 351', 'O DT 8 8 446', 'O N0 1 3 386']),
  FOB: seg(9, ['M ID 2 2 146', 'C ID 2 2 309', 'O AN 1 80 352']),
  TD1: seg(10, ['O AN 3 5 103', 'C N0 1 7 80', 'O ID 1 1 23', 'C ID 3 3 22', 'C AN 1 50 79', 'O ID 1 2 187', 'C R 1 10 81', 'C ID 2 2 355', 'C R 1 8 183', 'C ID 2 2 355'], ['C0102', 'C0607', 'P0708', 'P0910']),
  TD5: seg(15, ['O ID 1 2 133', 'C ID 1 2 66', 'C AN 2 80 67', 'C ID 1 2 91', 'C AN 1 60 387', 'C ID 2 2 368', 'O ID 1 2 309', 'C AN 1 30 310', 'C ID 2 2 731', 'C ID 2 3 732', 'C ID 1 1 733', 'O ID 2 2 284'], ['P0203']),
  PO1: seg(25, ['O AN 1 20 350', 'C R 1 15 330', 'C ID 2 2 355', 'C R 1 17 212', 'O ID 2 2 639', ...po1Ids.specs], ['C0302', ...po1Ids.notes]),
  PID: seg(9, ['M ID 1 1 349', 'O ID 2 3 750', 'C ID 2 2 559', 'C AN 1 12 751', 'C AN 1 80 352', 'O ID 2 2 752', 'O AN 1 15 822', 'O ID 1 1 1073', 'O ID 2 3 819'], ['C0403']),
  SAC: seg(16, ['M ID 1 1 248', 'C ID 4 4 1300', 'C ID 2 2 559', 'C AN 1 10 1301', 'O N2 1 15 610', 'C ID 1 1 378', 'O R 1 6 332', 'O R 1 9 118', 'C ID 2 2 355', 'C R 1 15 380', 'O R 1 15 380', 'O ID 2 2 331', 'C AN 1 30 127', 'O AN 1 20 770', 'C AN 1 80 352', 'O ID 2 3 819'], ['R0203', 'P0304', 'P0607', 'P0910']),
  AMT: seg(3, ['M ID 1 3 522', 'M R 1 18 782', 'O ID 1 1 478']),
  CTT: seg(7, ['M N0 1 6 354', 'O R 1 10 347', 'C R 1 10 81', 'C ID 2 2 355', 'C R 1 8 183', 'C ID 2 2 355', 'O AN 1 80 352'], ['P0304', 'P0506']),
  MSG: seg(3, ['M AN 1 264 933', 'O ID 2 2 934', 'O N0 1 9 1470']),
  NTE: seg(2, ['O ID 3 3 363', 'M AN 1 80 352']),
  SCH: seg(12, ['M R 1 15 380', 'M ID 2 2 355', 'C ID 2 3 98', 'C AN 1 60 93', 'M ID 3 3 374', 'M DT 8 8 373', 'O TM 4 8 337', 'O ID 3 3 374', 'O DT 8 8 373', 'O TM 4 8 337', 'O AN 1 30 326', 'O AN 1 20 350'], ['P0304']),
  ACK: seg(29, ['M ID 2 2 668', 'C R 1 15 380', 'C ID 2 2 355', 'C ID 3 3 374', 'C DT 8 8 373', 'O AN 1 30 326', ...ackIds.specs], ['P0203', 'C0405', ...ackIds.notes]),
  HL: seg(4, ['M AN 1 12 628', 'O AN 1 12 734', 'M ID 1 2 735', 'O ID 1 1 736']),
  LIN: seg(31, ['O AN 1 20 350', 'M ID 2 2 235', 'M AN 1 48 234', ...linIds.specs], linIds.notes),
  SN1: seg(8, ['O AN 1 20 350', 'M R 1 10 382', 'M ID 2 2 355', 'O R 1 15 646', 'C R 1 15 330', 'C ID 2 2 355', 'O R 1 15 728', 'O ID 2 2 668'], ['P0506']),
  PRF: seg(7, ['M AN 1 22 324', 'O AN 1 30 328', 'O AN 1 8 327', 'O DT 8 8 373', 'O AN 1 30 367', 'O AN 1 30 127', 'O ID 2 2 350']),
  MAN: seg(6, ['M ID 1 2 88', 'M AN 1 48 87', 'O AN 1 48 87', 'C ID 1 2 88', 'C AN 1 48 87', 'O AN 1 48 87'], ['P0405']),
  IT1: seg(25, ['O AN 1 20 350', 'C R 1 10 358', 'C ID 2 2 355', 'C R 1 17 212', 'O ID 2 2 639', ...it1Ids.specs], ['P020304', ...it1Ids.notes]),
  TXI: seg(10, ['M ID 2 2 963', 'C R 1 18 782', 'C R 1 10 954', 'C ID 1 2 955', 'C AN 1 30 956', 'C ID 1 1 441', 'O ID 1 1 1325', 'O R 1 9 828', 'O AN 1 20 325', 'O ID 1 1 352']),
  TDS: seg(4, ['M N2 1 15 610', 'O N2 1 15 610', 'O N2 1 15 610', 'O N2 1 15 610']),
  ISS: seg(6, ['O R 1 10 382', 'O ID 2 2 355', 'C R 1 10 81', 'C ID 2 2 355'], ['P0304']),
  QTY: seg(4, ['M ID 2 2 673', 'C R 1 15 380', C001, 'C AN 1 30 61'], ['R0204', 'E0204']),
  L11: seg(5, ['C AN 1 80 127', 'C ID 2 3 128', 'O AN 1 80 352', 'O DT 8 8 373', 'O ID 1 1 1073'], ['R0103', 'P0102']),
  LX: seg(1, ['M N0 1 6 554']),
  AT7: seg(7, ['C ID 2 2 1650', 'C ID 2 2 1651', 'C ID 2 2 1652', 'C ID 2 2 1651', 'O DT 8 8 373', 'O TM 4 8 337', 'O ID 2 2 623'], ['P0102', 'P0304', 'E0103']),
  MS1: seg(8, ['C AN 2 30 19', 'C ID 2 2 156', 'O ID 2 3 26', 'C R 1 10 1654', 'C R 1 10 1655', 'O ID 1 1 1280', 'O ID 1 1 1280', 'C ID 3 15 116'], ['P0405']),
  MS2: seg(5, ['O ID 2 4 140', 'O AN 1 15 207', 'O ID 2 2 40', 'O ID 1 2 1004', 'O AN 1 4 206']),
  AT8: seg(7, ['C ID 1 1 187', 'C ID 1 1 188', 'C R 1 10 81', 'O N0 1 7 80', 'O N0 1 7 80', 'O ID 1 1 184', 'O R 1 8 183'], ['P010203']),
  G62: seg(5, ['C ID 2 2 432', 'C DT 8 8 373', 'C ID 1 2 176', 'C TM 4 8 337', 'O ID 2 2 623'], ['P0102', 'P0304']),
  AK1: seg(3, ['M ID 2 2 479', 'M N0 1 9 28', 'O AN 1 12 480']),
  AK2: seg(3, ['M ID 3 3 143', 'M AN 4 9 329', 'O AN 1 35 1705']),
  AK3: seg(4, ['M ID 2 3 721', 'M N0 1 10 719', 'O AN 1 4 447', 'O ID 1 3 720']),
  AK4: seg(4, [C030, 'O N0 1 4 725', 'M ID 1 3 723', 'O AN 1 99 724']),
  AK5: seg(6, ['M ID 1 1 717', 'O ID 1 3 718', 'O ID 1 3 718', 'O ID 1 3 718', 'O ID 1 3 718', 'O ID 1 3 718']),
  AK9: seg(9, ['M ID 1 1 715', 'M N0 1 6 97', 'M N0 1 6 123', 'M N0 1 6 2', 'O ID 1 3 716', 'O ID 1 3 716', 'O ID 1 3 716', 'O ID 1 3 716', 'O ID 1 3 716']),
  IK3: seg(4, ['M ID 2 3 721', 'M N0 1 10 719', 'O AN 1 4 447', 'O ID 1 3 620']),
  IK4: seg(4, [C030, 'O N0 1 4 725', 'M ID 1 3 621', 'O AN 1 99 724']),
  IK5: seg(6, ['M ID 1 1 717', 'O ID 1 3 618', 'O ID 1 3 618', 'O ID 1 3 618', 'O ID 1 3 618', 'O ID 1 3 618']),
};

/** Built-in code lists, keyed by reference designator; partner profiles add or narrow them. */
export const builtInCodeLists: Readonly<Record<string, readonly string[]>> = {
  HL04: ['0', '1'],
  SAC01: ['A', 'C', 'N'],
  AK501: ['A', 'E', 'M', 'R', 'W', 'X'],
  IK501: ['A', 'E', 'M', 'R', 'W', 'X'],
  AK901: ['A', 'E', 'M', 'P', 'R', 'W', 'X'],
};

function allowed(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter(Boolean));
}

const commonHeader = 'CUR REF PER TAX FOB CTP PAM CSH TC2 SAC ITD DIS INC DTM LDT LIN SI PID MEA PWK PKG TD1 TD5 TD3 TD4 MAN PCT CTB TXI AMT N9 MSG N1 N2 N3 N4 NX2 SPI ADV NTE QTY';

/** Transaction sets we validate in depth, by ST01. */
export const setRules: Readonly<Record<string, X12SetRule>> = {
  '850': {
    functionalId: 'PO',
    beginning: 'BEG',
    mandatory: ['BEG', 'PO1'],
    allowed: allowed(`BEG ${commonHeader} PO1 PO3 PO4 SLN SCH CTT LM LQ SDQ IT8 FST`),
    businessKey: 'BEG03',
  },
  '855': {
    functionalId: 'PR',
    beginning: 'BAK',
    mandatory: ['BAK'],
    allowed: allowed(`BAK ${commonHeader} PO1 PO3 PO4 ACK SCH SLN CTT`),
    businessKey: 'BAK03',
  },
  '856': {
    functionalId: 'SH',
    beginning: 'BSN',
    mandatory: ['BSN', 'HL'],
    allowed: allowed('BSN DTM HL LIN SN1 SLN PRF PO4 PID MEA PWK PKG TD1 TD5 TD3 TD4 REF PER MAN N1 N2 N3 N4 FOB CUR SAC ITD CTT PAL TSD LH1 CLD YNQ NTE QTY V1 DLN REF'),
    businessKey: 'BSN02',
  },
  '810': {
    functionalId: 'IN',
    beginning: 'BIG',
    mandatory: ['BIG', 'TDS'],
    allowed: allowed('BIG NTE CUR REF YNQ PER N1 N2 N3 N4 ITD DTM FOB PID MEA PWK PKG L7 BAL INC PAM LM LQ N9 MSG IT1 CRC QTY IT3 TXI CTP PO4 SDQ CAD SAC SLN TDS AMT ISS CTT IT8 SI'),
    businessKey: 'BIG02',
  },
  '846': {
    functionalId: 'IB',
    beginning: 'BIA',
    mandatory: ['BIA', 'LIN'],
    allowed: allowed('BIA CUR REF PER MEA DTM N1 N2 N3 N4 LIN SLN PID SAC AMT PO4 QTY SCH LDT LM LQ CTT CTP G39 G43 N9'),
    businessKey: 'BIA03',
  },
  '214': {
    functionalId: 'QM',
    beginning: 'B10',
    mandatory: ['B10'],
    allowed: allowed('B10 L11 MAN Q7 K1 N1 N2 N3 N4 G62 LX AT7 MS1 MS2 AT8 CD3 NM1 AT5 SPO SDQ LAD PER MS3'),
    businessKey: 'B1002',
  },
  '997': { functionalId: 'FA', beginning: 'AK1', mandatory: ['AK1', 'AK9'], allowed: allowed('AK1 AK2 AK3 AK4 AK5 AK9') },
  '999': { functionalId: 'FA', beginning: 'AK1', mandatory: ['AK1', 'AK9'], allowed: allowed('AK1 AK2 IK3 CTX IK4 IK5 AK9') },
};

/** True when a position rule is a composite. */
export function isCompositeRule(rule: X12PositionRule): rule is X12CompositeRule {
  return 'composite' in rule;
}

/** A parsed syntax note: kind and 1-based element positions. */
export interface X12SyntaxNote {
  kind: 'P' | 'R' | 'E' | 'C' | 'L';
  positions: number[];
}

/** Parses `P0203` into `{ kind: 'P', positions: [2, 3] }`. */
export function parseSyntaxNote(note: string): X12SyntaxNote {
  const kind = note[0] as X12SyntaxNote['kind'];
  const positions: number[] = [];
  for (let i = 1; i + 1 < note.length + 1; i += 2) positions.push(Number(note.slice(i, i + 2)));
  return { kind, positions: positions.filter((p) => Number.isFinite(p) && p > 0) };
}
