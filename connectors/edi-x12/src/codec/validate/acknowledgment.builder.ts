/**
 * Turns a validation report into the acknowledgments owed to the sender: a TA1 per interchange (when requested or
 * when the envelope is wrong) and a 997, or a 999 (005010X231A1), per functional group. Acknowledgments themselves
 * are never acknowledged.
 */
import type { X12Composite, X12Element, X12Interchange, X12SegmentInput, X12Separators } from '../x12.types.js';
import type { ControlNumberSequence } from '../writer/control-number.sequence.js';
import { createInterchange, resolveSeparators, type X12EnvelopeSettings, type X12OutboundGroup, type X12OutboundSet } from '../writer/envelope.builder.js';
import { groupVersionNumber, type X12GroupResult, type X12InterchangeResult, type X12SetResult, type X12ValidationReport } from './envelope.validator.js';
import type { X12ElementError } from './segment.validator.js';

/** Which functional acknowledgment to send (`none`: TA1 only). */
export type FunctionalAckKind = '997' | '999' | 'auto' | 'none';

/** When a TA1 is sent. */
export type Ta1Policy = 'requested' | 'requested-or-error' | 'always' | 'never';

/** Acknowledgment settings. */
export interface X12AcknowledgmentOptions {
  sequence: ControlNumberSequence;
  /** Clock for envelope dates (UTC). @default () => new Date() */
  now?: (() => Date) | undefined;
  /** `auto` sends a 999 for groups whose GS08 names a 5010 implementation guide (`005010X…`), else a 997; `none` sends no functional acknowledgment. @default 'auto' */
  functionalAck?: FunctionalAckKind | undefined;
  /** @default 'requested-or-error' */
  ta1?: Ta1Policy | undefined;
  /** List accepted sets (AK2 + AK5 A) as well as rejected ones. @default true */
  includeAcceptedSets?: boolean | undefined;
  /** Envelope values that replace the mirrored ones (our ids, separators, version). */
  envelope?: Partial<X12EnvelopeSettings> | undefined;
}

/** Implementation convention reference of the 999 guide. */
export const ack999Convention = '005010X231A1';

function s(tag: string, ...elements: X12Element[]): X12SegmentInput {
  let n = elements.length;
  while (n > 0 && elements[n - 1] === '') n--;
  return { tag, elements: elements.slice(0, n) };
}

function clean(v: string, seps: X12Separators | undefined): string {
  if (!seps) return v;
  let out = v;
  for (const ch of [seps.element, seps.component, seps.repetition, seps.segment]) if (ch) out = out.split(ch).join(' ');
  return out;
}

/** TA1 for one interchange: TA101 ISA13, TA102 ISA09, TA103 ISA10, TA104 status, TA105 note code. */
export function buildTa1(ic: X12InterchangeResult, seps?: X12Separators): X12SegmentInput {
  return s('TA1', clean(ic.controlNumber, seps), clean(ic.date, seps), clean(ic.time, seps), ic.status, ic.noteCode);
}

function positionInSegment(e: X12ElementError, composite: boolean): X12Element {
  const pos = String(e.position);
  if (!composite || (e.component === undefined && e.repetition === undefined)) return pos;
  const c: X12Composite = [pos, e.component === undefined ? '' : String(e.component)];
  if (e.repetition !== undefined) c.push(String(e.repetition));
  return c;
}

function setIsListed(set: X12SetResult, includeAccepted: boolean): boolean {
  return includeAccepted || set.status !== 'A';
}

/**
 * The body of a 997 for one received group: AK1, per set AK2/AK3/AK4/AK5, AK9.
 * @example
 * const set = build997(report.interchanges[0]!.groups[0]!);
 */
export function build997(group: X12GroupResult, options: { includeAcceptedSets?: boolean | undefined; separators?: X12Separators | undefined } = {}): X12OutboundSet {
  const vn = groupVersionNumber(group.version);
  const modern = vn >= 5010;
  const seps = options.separators;
  const c = (v: string): string => clean(v, seps);
  const body: X12SegmentInput[] = [modern ? s('AK1', c(group.functionalId), c(group.controlNumber), c(group.version)) : s('AK1', c(group.functionalId), c(group.controlNumber))];
  for (const set of group.sets) {
    if (!setIsListed(set, options.includeAcceptedSets ?? true)) continue;
    body.push(modern ? s('AK2', c(set.id), c(set.controlNumber), c(set.conventionReference ?? '')) : s('AK2', c(set.id), c(set.controlNumber)));
    for (const se of set.segmentErrors) {
      body.push(s('AK3', clean(se.segmentId, seps), String(se.position), '', se.code));
      for (const e of se.elements) {
        body.push(s('AK4', positionInSegment(e, modern), e.reference === undefined ? '' : String(e.reference), e.code, clean(e.badValue ?? '', seps)));
      }
    }
    body.push(s('AK5', set.status, ...set.errorCodes.slice(0, 5)));
  }
  body.push(s('AK9', group.status, String(group.setsIncluded), String(group.setsReceived), String(group.setsAccepted), ...group.errorCodes.slice(0, 5)));
  return { id: '997', segments: body };
}

/**
 * The body of a 999 (005010X231A1) for one received group: AK1, per set AK2/IK3/CTX/IK4/IK5, AK9.
 * @example
 * const set = build999(report.interchanges[0]!.groups[0]!);
 */
export function build999(group: X12GroupResult, options: { includeAcceptedSets?: boolean | undefined; separators?: X12Separators | undefined } = {}): X12OutboundSet {
  const seps = options.separators;
  const c = (v: string): string => clean(v, seps);
  const body: X12SegmentInput[] = [s('AK1', c(group.functionalId), c(group.controlNumber), c(group.version))];
  for (const set of group.sets) {
    if (!setIsListed(set, options.includeAcceptedSets ?? true)) continue;
    body.push(s('AK2', c(set.id), c(set.controlNumber), c(set.conventionReference ?? '')));
    for (const se of set.segmentErrors) {
      body.push(s('IK3', clean(se.segmentId, seps), String(se.position), '', se.code));
      const key = set.businessKey;
      if (key && key.value) body.push(s('CTX', [key.element, clean(key.value, seps).slice(0, 35)]));
      for (const e of se.elements) {
        body.push(s('IK4', positionInSegment(e, true), e.reference === undefined ? '' : String(e.reference), e.code, clean(e.badValue ?? '', seps)));
        if (e.trigger !== undefined) {
          body.push(s('CTX', 'SITUATIONAL TRIGGER', clean(se.segmentId, seps), String(se.position), '', String(e.trigger)));
        }
      }
    }
    body.push(s('IK5', set.status, ...set.errorCodes.slice(0, 5)));
  }
  body.push(s('AK9', group.status, String(group.setsIncluded), String(group.setsReceived), String(group.setsAccepted), ...group.errorCodes.slice(0, 5)));
  return { id: '999', segments: body, conventionReference: ack999Convention };
}

function wantsTa1(ic: X12InterchangeResult, policy: Ta1Policy): boolean {
  switch (policy) {
    case 'never':
      return false;
    case 'always':
      return true;
    case 'requested':
      return ic.acknowledgmentRequested;
    default:
      return ic.acknowledgmentRequested || ic.status !== 'A';
  }
}

function ackKindFor(group: X12GroupResult, kind: Exclude<FunctionalAckKind, 'none'>): '997' | '999' {
  if (kind !== 'auto') return kind;
  return /^005010X/.test(group.version) ? '999' : '997';
}

/** A mirrored envelope value made safe to write: separators removed, trimmed, clipped, never empty. */
function fit(v: string, max: number, fallback: string, seps: X12Separators): string {
  const t = clean(v, seps).replace(/\s+/g, ' ').trim().slice(0, max).trim();
  return t.length === 0 ? fallback : t;
}

/**
 * Builds the acknowledgment interchanges owed for a validation report (one per received interchange that needs
 * one), addressed back to each sender with its own separators unless `options.envelope` says otherwise.
 * @example
 * const report = await validateX12(input);
 * const text = writeX12(await buildAcknowledgments(report, { sequence: new InMemoryControlNumberSequence() }));
 */
export async function buildAcknowledgments(report: X12ValidationReport, options: X12AcknowledgmentOptions): Promise<X12Interchange[]> {
  const out: X12Interchange[] = [];
  const policy = options.ta1 ?? 'requested-or-error';
  for (const ic of report.interchanges) {
    if (ic.acknowledgmentOnly) continue;
    const ta1 = wantsTa1(ic, policy);
    const groups: X12OutboundGroup[] = [];
    const version = options.envelope?.version ?? (/^\d{5}$/.test(ic.version) ? ic.version : '00401');
    const separators = resolveSeparators(version, { ...ic.separators, ...(options.envelope?.separators ?? {}) });
    const f = (v: string, max: number, fallback: string): string => fit(v, max, fallback, separators);
    const wanted = options.functionalAck ?? 'auto';
    if (ic.status !== 'R' && wanted !== 'none') {
      for (const g of ic.groups) {
        if (g.functionalId === 'FA') continue;
        const kind = ackKindFor(g, wanted);
        const set = kind === '999'
          ? build999(g, { includeAcceptedSets: options.includeAcceptedSets, separators })
          : build997(g, { includeAcceptedSets: options.includeAcceptedSets, separators });
        groups.push({
          functionalId: 'FA',
          sets: [set],
          version: kind === '999' ? ack999Convention : groupVersionNumber(g.version) >= 2000 ? f(g.version, 12, '004010') : '004010',
          applicationSender: f(g.applicationReceiver, 15, f(ic.receiver.id, 15, 'UNKNOWN')),
          applicationReceiver: f(g.applicationSender, 15, f(ic.sender.id, 15, 'UNKNOWN')),
        });
      }
    }
    if (!ta1 && groups.length === 0) continue;
    const settings: X12EnvelopeSettings = {
      sender: { qualifier: f(ic.receiver.qualifier, 2, 'ZZ').padEnd(2, ' '), id: f(ic.receiver.id, 15, 'UNKNOWN') },
      receiver: { qualifier: f(ic.sender.qualifier, 2, 'ZZ').padEnd(2, ' '), id: f(ic.sender.id, 15, 'UNKNOWN') },
      usage: ic.usage === 'T' ? 'T' : 'P',
      ...options.envelope,
      version,
      separators,
    };
    const interchange = await createInterchange(settings, groups, { sequence: options.sequence, now: options.now });
    if (ta1) interchange.acknowledgments.push(buildTa1(ic, interchange.separators));
    out.push(interchange);
  }
  return out;
}
