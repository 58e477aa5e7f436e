/**
 * Wraps outbound transaction sets in ISA/GS/ST envelopes with our own control numbers and correct counts.
 */
import { X12WriteError, x12ErrorCodes } from '../../errors.js';
import { versionHasRepetition } from '../segment.tokenizer.js';
import type { X12Group, X12Interchange, X12PartyId, X12Segment, X12SegmentInput, X12Separators, X12TransactionSet } from '../x12.types.js';
import {
  type ControlNumberSequence,
  formatInterchangeControlNumber,
  formatSetControlNumber,
} from './control-number.sequence.js';
import { assertSeparators } from './x12.writer.js';

/** Envelope settings for one trading partner (usually taken from its partner profile). */
export interface X12EnvelopeSettings {
  /** Our interchange id (ISA05/ISA06). */
  sender: X12PartyId;
  /** The partner's interchange id (ISA07/ISA08). */
  receiver: X12PartyId;
  /** GS02. @default sender.id */
  applicationSender?: string | undefined;
  /** GS03. @default receiver.id */
  applicationReceiver?: string | undefined;
  /** ISA12. @default '00401' */
  version?: string | undefined;
  /** GS08. @default '004010' */
  groupVersion?: string | undefined;
  /** Separators; the repetition separator is used only from ISA12 00402 on. @default `*` `>` `^` `~` */
  separators?: Partial<X12Separators> | undefined;
  /** ISA15. @default 'P' */
  usage?: 'P' | 'T' | undefined;
  /** ISA14: ask the partner for a TA1. @default false */
  acknowledgmentRequested?: boolean | undefined;
  /** ISA01/ISA02. @default 00 and blanks */
  authorization?: { qualifier: string; value: string } | undefined;
  /** ISA03/ISA04. @default 00 and blanks */
  security?: { qualifier: string; value: string } | undefined;
}

/** A transaction set to send: its id and body (ST and SE are added). */
export interface X12OutboundSet {
  /** ST01, e.g. `850`. */
  id: string;
  /** Body segments, without ST and SE. */
  segments: X12SegmentInput[];
  /** ST03 implementation convention reference (5010 guides). */
  conventionReference?: string | undefined;
}

/** A functional group to send. */
export interface X12OutboundGroup {
  /** GS01, e.g. `PO`. */
  functionalId: string;
  sets: X12OutboundSet[];
  /** GS08 for this group. @default settings.groupVersion */
  version?: string | undefined;
  /** GS02 for this group. @default settings.applicationSender */
  applicationSender?: string | undefined;
  /** GS03 for this group. @default settings.applicationReceiver */
  applicationReceiver?: string | undefined;
}

/** What envelope building needs from outside. */
export interface X12EnvelopeDeps {
  sequence: ControlNumberSequence;
  /** Clock for ISA09/ISA10 and GS04/GS05 (written in UTC). @default () => new Date() */
  now?: (() => Date) | undefined;
}

/** Separators used when a profile does not set them. */
export const defaultSeparators: X12Separators = { element: '*', component: '>', repetition: '^', segment: '~' };

/** Resolves separators for a version: fills defaults and drops the repetition separator before 00402. */
export function resolveSeparators(version: string, partial: Partial<X12Separators> | undefined): X12Separators {
  const seps: X12Separators = {
    element: partial?.element ?? defaultSeparators.element,
    component: partial?.component ?? defaultSeparators.component,
    repetition: undefined,
    segment: partial?.segment ?? defaultSeparators.segment,
  };
  if (versionHasRepetition(version)) {
    const taken = [seps.element, seps.component, seps.segment];
    seps.repetition = partial?.repetition ?? ['^', '|', '{', '!', '`'].find((c) => !taken.includes(c));
  }
  assertSeparators(seps);
  return seps;
}

/** Key used for control-number sequences towards a partner. */
export function partnerKey(party: X12PartyId): string {
  return `${party.qualifier}:${party.id}`;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** Envelope dates in UTC: ISA09 (YYMMDD), ISA10 (HHMM), GS04 (CCYYMMDD, or YYMMDD before 004010) and GS05 (HHMM). */
export function envelopeDates(at: Date, groupVersion: string): { isaDate: string; isaTime: string; gsDate: string; gsTime: string } {
  const y = at.getUTCFullYear();
  const md = two(at.getUTCMonth() + 1) + two(at.getUTCDate());
  const hm = two(at.getUTCHours()) + two(at.getUTCMinutes());
  const longDate = Number.parseInt(groupVersion.slice(0, 6), 10) >= 4010 || !/^\d{6}/.test(groupVersion);
  return { isaDate: two(y % 100) + md, isaTime: hm, gsDate: (longDate ? String(y) : two(y % 100)) + md, gsTime: hm };
}

function seg(tag: string, ...elements: string[]): X12Segment {
  return { tag, elements };
}

/**
 * Builds a complete interchange around outbound sets: ISA/GS/ST/SE/GE/IEA with our control numbers and counts.
 * @example
 * const ic = await createInterchange(settings, [{ functionalId: 'PO', sets: [{ id: '850', segments }] }], { sequence });
 * const text = writeX12(ic);
 */
export async function createInterchange(settings: X12EnvelopeSettings, groups: X12OutboundGroup[], deps: X12EnvelopeDeps): Promise<X12Interchange> {
  const version = settings.version ?? '00401';
  if (!/^\d{5}$/.test(version)) throw new X12WriteError(x12ErrorCodes.isaFieldInvalid, `ISA12 "${version}" must be 5 digits`, { element: 'ISA12' });
  const separators = resolveSeparators(version, settings.separators);
  const partner = partnerKey(settings.receiver);
  const at = (deps.now ?? (() => new Date()))();
  const groupVersionDefault = settings.groupVersion ?? '004010';
  const { isaDate, isaTime } = envelopeDates(at, groupVersionDefault);
  const icn = formatInterchangeControlNumber(await deps.sequence.next('interchange', partner));
  const header: X12Segment = {
    tag: 'ISA',
    elements: [
      settings.authorization?.qualifier ?? '00',
      (settings.authorization?.value ?? '').padEnd(10, ' '),
      settings.security?.qualifier ?? '00',
      (settings.security?.value ?? '').padEnd(10, ' '),
      settings.sender.qualifier,
      settings.sender.id.padEnd(15, ' '),
      settings.receiver.qualifier,
      settings.receiver.id.padEnd(15, ' '),
      isaDate,
      isaTime,
      separators.repetition ?? 'U',
      version,
      icn,
      settings.acknowledgmentRequested ? '1' : '0',
      settings.usage ?? 'P',
      separators.component,
    ],
    separators,
  };
  const outGroups: X12Group[] = [];
  for (const g of groups) {
    const gv = g.version ?? groupVersionDefault;
    const { gsDate, gsTime } = envelopeDates(at, gv);
    const gcn = String(await deps.sequence.next('group', partner));
    const sets: X12TransactionSet[] = [];
    for (const s of g.sets) {
      const scn = formatSetControlNumber(await deps.sequence.next('set', partner));
      const st = s.conventionReference ? seg('ST', s.id, scn, s.conventionReference) : seg('ST', s.id, scn);
      sets.push({ header: st, segments: s.segments.map((x) => ({ tag: x.tag, elements: x.elements })), trailer: seg('SE', String(s.segments.length + 2), scn) });
    }
    outGroups.push({
      header: seg(
        'GS',
        g.functionalId,
        g.applicationSender ?? settings.applicationSender ?? settings.sender.id,
        g.applicationReceiver ?? settings.applicationReceiver ?? settings.receiver.id,
        gsDate,
        gsTime,
        gcn,
        'X',
        gv,
      ),
      sets,
      trailer: seg('GE', String(sets.length), gcn),
    });
  }
  return { header, separators, acknowledgments: [], groups: outGroups, trailer: seg('IEA', String(outGroups.length), icn) };
}
