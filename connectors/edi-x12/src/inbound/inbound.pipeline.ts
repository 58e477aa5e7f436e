/**
 * The inbound pipeline: a file from a channel (SFTP, AS2, the API, the CLI) and the partner's profile in; the
 * canonical documents, the TA1/997/999 owed to the partner (X12) and the record to keep out. `receiveInboundFile`
 * also recognises a file received before (same partner, name and content → `duplicate`) and records the outcome
 * through the core `EdiMessageRepository` port; `replayInboundMessage` runs a kept file again with the current
 * mapping and records the new outcome linked to the original. No I/O here besides the repository port.
 */
import { createHash } from 'node:crypto';
import type { Id, IdPrefix } from '@tradelane/canonical';
import {
  ConflictError,
  NotFoundError,
  type EdiControlNumbers,
  type EdiMessageDocument,
  type EdiMessageError,
  type EdiMessageFormat,
  type EdiMessageOutcome,
  type EdiMessageRecord,
  type EdiMessageRepository,
  type NewEdiMessage,
  type TenantContext,
} from '@tradelane/core';
import { elementValue } from '../codec/segment.access.js';
import { InMemoryControlNumberRegistry, type ControlNumberRegistry } from '../codec/validate/control-number.registry.js';
import { buildAcknowledgments } from '../codec/validate/acknowledgment.builder.js';
import { validateX12, type X12ValidationReport } from '../codec/validate/envelope.validator.js';
import type { ControlNumberSequence } from '../codec/writer/control-number.sequence.js';
import { writeX12 } from '../codec/writer/x12.writer.js';
import { readTransactionSets } from '../codec/x12.reader.js';
import type { X12EnvelopedSet, X12Interchange } from '../codec/x12.types.js';
import { csvMappingFor, mapCsvFile } from '../csv/csv.mapper.js';
import { X12MappingError } from '../errors.js';
import { x12856ToAdvanceShipNotice } from '../mappers/asn-856.to-canonical.js';
import type { DocumentLookups, LookupResult } from '../mappers/document-lookups.js';
import { x12846ToInventoryPositions } from '../mappers/inventory-846.to-canonical.js';
import { x12810ToInvoice } from '../mappers/invoice-810.to-canonical.js';
import { acknowledgmentOptionsFor, validationOptionsFor, type PartnerProfile } from '../mappers/partner-profile.schema.js';
import { x12850ToSalesOrderIntake } from '../mappers/po-850.to-canonical.js';
import { purchaseOrderNumberOf855, x12855ToAcknowledgment } from '../mappers/poa-855.to-canonical.js';
import { x12214ToTrackingEvents } from '../mappers/tracking-214.to-canonical.js';
import type { X12MappingContext } from '../mappers/x12-set.reader.js';

/** A file as a channel hands it over. */
export interface InboundFile {
  /** The file name the partner gave it. */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** How it arrived: `sftp`, `as2`, `api`, `cli`… */
  readonly channel: string;
  /** When the channel received it. @default now */
  readonly receivedAt?: Date | undefined;
}

/** What reading a file needs besides the file. */
export interface InboundOptions {
  /** The partner's profile: X12 settings, CSV mappings, cross-references, defaults. */
  readonly profile: PartnerProfile;
  /** Control numbers of the acknowledgments we send. */
  readonly sequence: ControlNumberSequence;
  /** Remembers inbound interchange control numbers (TA1 025 on a repeat). @default a fresh in-memory registry */
  readonly registry?: ControlNumberRegistry | undefined;
  /** Our own data the mappers may need (purchase orders, item ids). */
  readonly lookups?: DocumentLookups | undefined;
  /** Clock. @default () => new Date() */
  readonly now?: (() => Date) | undefined;
  /** Id factory of canonical documents. @default canonical newId */
  readonly newId?: (<P extends IdPrefix>(prefix: P) => Id<P>) | undefined;
}

/** What a file turned into. */
export interface InboundResult {
  readonly format: EdiMessageFormat;
  readonly outcome: EdiMessageOutcome;
  readonly documents: EdiMessageDocument[];
  readonly errors: EdiMessageError[];
  /** TA1/997/999 interchanges owed to the partner (X12 only). */
  readonly acknowledgments: X12Interchange[];
  /** The acknowledgments as X12 text, ready to drop; undefined when none is owed. */
  readonly acknowledgmentText: string | undefined;
  /** The record to keep (what `receiveInboundFile` stores). */
  readonly record: NewEdiMessage;
}

/** A received file: the result plus the stored record. */
export interface InboundReceipt extends InboundResult {
  readonly message: EdiMessageRecord;
}

const MAPPABLE_SET = new Set(['A', 'E']);
const REJECTED_GROUP = new Set(['R', 'M', 'W', 'X']);

/** Hex SHA-256 of a file's bytes. */
export function contentSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** X12 when the file starts with `ISA` (after a byte order mark and whitespace); CSV when a mapping of the profile matches its name or it ends in `.csv`. */
export function detectInboundFormat(file: Pick<InboundFile, 'name' | 'bytes'>, profile: PartnerProfile): EdiMessageFormat {
  let i = 0;
  const b = file.bytes;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x00)) i += 1;
  if (b[i] === 0x49 && b[i + 1] === 0x53 && b[i + 2] === 0x41) return 'x12';
  if (csvMappingFor(profile.csv, file.name) || /\.(csv|txt|tsv)$/i.test(file.name)) return 'csv';
  return 'unknown';
}

/** Version string recorded for X12 files read with a profile. */
export function x12MappingVersion(profile: PartnerProfile): string {
  return `x12:${profile.id}@${profile.mappingVersion}`;
}

/**
 * Calls a synchronous mapper whose option callback needs values from an asynchronous lookup: each pass records the
 * keys it asked for; they are looked up and the mapper runs again, until it succeeds or asks for nothing new.
 */
async function withLookups<T>(lookup: ((key: string) => LookupResult<string>) | undefined, map: (resolve: (key: string) => string | undefined) => T): Promise<T> {
  if (!lookup) return map(() => undefined);
  const found = new Map<string, string | undefined>();
  for (let pass = 0; pass < 100; pass += 1) {
    const asked = new Set<string>();
    const resolve = (key: string) => {
      if (!found.has(key)) asked.add(key);
      return found.get(key);
    };
    let result: T;
    try {
      result = map(resolve);
    } catch (err) {
      if (asked.size === 0) throw err;
      for (const key of asked) found.set(key, await lookup(key));
      continue;
    }
    if (asked.size === 0) return result;
    for (const key of asked) found.set(key, await lookup(key));
  }
  return map((key) => found.get(key));
}

function mappingError(err: unknown, setControlNumber: string): EdiMessageError {
  if (err instanceof X12MappingError) {
    return { code: err.code, message: err.message, segment: err.segment, element: err.element, setControlNumber };
  }
  const e = err as { code?: unknown; message?: unknown };
  return { code: typeof e?.code === 'string' ? e.code : 'TL_EDI_MAPPING_FAILED', message: typeof e?.message === 'string' ? e.message : String(err), setControlNumber };
}

/**
 * Maps one transaction set to its canonical documents by ST01: 850 (from a customer) → sales-order, 855 →
 * purchase-order-acknowledgment (the purchase order comes from `lookups.purchaseOrder`), 856 → advance-ship-notice,
 * 810 → invoice, 846 → inventory-position (one per LIN), 214 → tracking-event (one per AT7); 997/999 give none.
 * Throws `X12MappingError` naming segment and element when the set does not carry what its document needs.
 * @example for await (const s of readTransactionSets(bytes)) docs.push(...(await mapX12Set(s, { tenantId, profile }, lookups)));
 */
export async function mapX12Set(enveloped: X12EnvelopedSet, ctx: X12MappingContext, lookups: DocumentLookups = {}): Promise<EdiMessageDocument[]> {
  const { set, interchange, group } = enveloped;
  const id = elementValue(set.header, 1);
  const source = `${interchange.controlNumber}/${group.controlNumber}/${elementValue(set.header, 2)}`;
  const one = (type: string, document: unknown): EdiMessageDocument[] => [{ type, source, document }];
  switch (id) {
    case '850':
      if (ctx.profile.role !== 'customer') throw new X12MappingError(`an 850 from ${ctx.profile.role} ${ctx.profile.id} is not expected (only customers send us orders)`, { segment: 'ST', position: set.header.position });
      return one('sales-order', x12850ToSalesOrderIntake(set, ctx));
    case '855': {
      const poNumber = purchaseOrderNumberOf855(set);
      const po = await lookups.purchaseOrder?.(poNumber);
      if (!po) {
        throw new X12MappingError(`855 ${elementValue(set.header, 2)}: BAK03: purchase order ${poNumber} is not known${lookups.purchaseOrder ? '' : ' (no purchase order lookup is configured)'}`, {
          segment: 'BAK',
          element: 'BAK03',
          position: set.header.position,
        });
      }
      return one('purchase-order-acknowledgment', x12855ToAcknowledgment(set, ctx, po));
    }
    case '856':
      return one(
        'advance-ship-notice',
        await withLookups(lookups.purchaseOrderId, (resolve) => x12856ToAdvanceShipNotice(set, ctx, { purchaseOrderIdFor: (n) => resolve(n) as Id<'po'> | undefined })),
      );
    case '810':
      return one('invoice', await withLookups(lookups.purchaseOrderId, (resolve) => x12810ToInvoice(set, ctx, { purchaseOrderIdFor: (n) => resolve(n) as Id<'po'> | undefined })));
    case '846': {
      const positions = await withLookups(lookups.itemId, (resolve) => x12846ToInventoryPositions(set, ctx, { itemIdForSku: (sku) => resolve(sku) as Id<'itm'> | undefined }));
      return positions.map((p) => ({ type: 'inventory-position', source, document: p }));
    }
    case '214':
      return x12214ToTrackingEvents(set, ctx).map((e) => ({ type: 'tracking-event', source, document: e }));
    case '997':
    case '999':
      return [];
    default:
      throw new X12MappingError(`transaction set ${id} ${elementValue(set.header, 2)} has no mapping to a canonical document`, { segment: 'ST', element: 'ST01', position: set.header.position });
  }
}

function controlNumbersOf(report: X12ValidationReport): EdiControlNumbers {
  return {
    interchanges: report.interchanges.map((ic) => ic.controlNumber),
    groups: report.interchanges.flatMap((ic) => ic.groups.map((g) => g.controlNumber)),
    sets: report.interchanges.flatMap((ic) => ic.groups.flatMap((g) => g.sets.map((s) => s.controlNumber))),
  };
}

async function interpretX12(file: InboundFile, options: InboundOptions, tenantId: string): Promise<Omit<InboundResult, 'record' | 'format'> & { controlNumbers: EdiControlNumbers }> {
  const { profile } = options;
  const now = options.now ?? (() => new Date());
  const report = await validateX12(file.bytes, { ...validationOptionsFor(profile), registry: options.registry ?? new InMemoryControlNumberRegistry() });
  const acknowledgments = await buildAcknowledgments(report, { ...acknowledgmentOptionsFor(profile, options.sequence), now });
  const errors: EdiMessageError[] = report.errors.map((e) => ({
    code: e.code,
    message: e.message,
    ...(e.segmentId ? { segment: e.segmentId } : {}),
    ...(e.element ? { element: e.element } : {}),
    ...(e.setControlNumber ? { setControlNumber: e.setControlNumber } : {}),
  }));
  if (report.fatal && !errors.some((e) => e.code === report.fatal?.code)) errors.push({ code: report.fatal.code, message: report.fatal.message });

  // Which sets the acknowledgment accepts, by the byte offset of their ST.
  const accepted = new Set<number>();
  const senderOk = new Map<number, boolean>();
  for (const ic of report.interchanges) {
    const fromPartner = ic.sender.qualifier.trim() === profile.interchange.theirs.qualifier && ic.sender.id.trim() === profile.interchange.theirs.id.trim();
    senderOk.set(ic.position.offset, fromPartner);
    if (ic.status === 'R') continue;
    if (!fromPartner) {
      errors.push({
        code: 'TL_EDI_SENDER_MISMATCH',
        message: `interchange ${ic.controlNumber} comes from ${ic.sender.qualifier.trim()}:${ic.sender.id.trim()}, not from partner ${profile.id} (${profile.interchange.theirs.qualifier}:${profile.interchange.theirs.id}); its sets are not mapped`,
      });
      continue;
    }
    for (const g of ic.groups) {
      if (REJECTED_GROUP.has(g.status)) continue;
      for (const s of g.sets) if (MAPPABLE_SET.has(s.status)) accepted.add(s.position.offset);
    }
  }

  const documents: EdiMessageDocument[] = [];
  const lookups = options.lookups ?? {};
  try {
    for await (const enveloped of readTransactionSets(file.bytes)) {
      if (!accepted.has(enveloped.set.header.position?.offset ?? -1)) continue;
      const ctx: X12MappingContext = { tenantId, profile, now, newId: options.newId, envelope: { interchange: enveloped.interchange, group: enveloped.group } };
      try {
        documents.push(...(await mapX12Set(enveloped, ctx, lookups)));
      } catch (err) {
        errors.push(mappingError(err, elementValue(enveloped.set.header, 2)));
      }
    }
  } catch (err) {
    // The validator has already reported why reading stopped; sets before that point are mapped.
    if (!report.fatal) errors.push(mappingError(err, ''));
  }
  const onlyAcks = report.interchanges.length > 0 && report.interchanges.every((ic) => ic.acknowledgmentOnly);
  const outcome: EdiMessageOutcome = documents.length > 0 || (errors.length === 0 && report.interchanges.length > 0) || (onlyAcks && !report.fatal) ? 'accepted' : 'rejected';
  const acknowledgmentText = acknowledgments.length > 0 ? writeX12(acknowledgments, { lineEnding: profile.lineEnding }) : undefined;
  return { outcome, documents, errors, acknowledgments, acknowledgmentText, controlNumbers: controlNumbersOf(report) };
}

/**
 * Reads one file: detects X12 or CSV, validates and acknowledges X12 (TA1/997/999), maps what was accepted to
 * canonical documents, and describes the record to keep. Never throws for bad content: problems are in `errors`,
 * and a file that produced no document is `rejected`.
 * @example
 * const result = await interpretInboundFile({ name: 'asn.edi', bytes, channel: 'sftp' }, { profile, sequence, lookups }, ctx.tenantId);
 * if (result.acknowledgmentText) await channel.drop(`997-${Date.now()}.edi`, result.acknowledgmentText);
 */
export async function interpretInboundFile(file: InboundFile, options: InboundOptions, tenantId: string): Promise<InboundResult> {
  const { profile } = options;
  const now = options.now ?? (() => new Date());
  const receivedAt = file.receivedAt ?? now();
  const format = detectInboundFormat(file, profile);
  const base = {
    partnerId: profile.id,
    channel: file.channel,
    fileName: file.name,
    format,
    contentSha256: contentSha256(file.bytes),
    payload: file.bytes,
    receivedAt,
  };
  if (format === 'x12') {
    const r = await interpretX12(file, options, tenantId);
    return {
      format,
      outcome: r.outcome,
      documents: r.documents,
      errors: r.errors,
      acknowledgments: r.acknowledgments,
      acknowledgmentText: r.acknowledgmentText,
      record: { ...base, mappingVersion: x12MappingVersion(profile), outcome: r.outcome, documents: r.documents, errors: r.errors, controlNumbers: r.controlNumbers, acknowledgment: r.acknowledgmentText },
    };
  }
  const noControlNumbers: EdiControlNumbers = { interchanges: [], groups: [], sets: [] };
  const refuse = (code: string, message: string, mappingVersion: string): InboundResult => {
    const errors = [{ code, message }];
    return { format, outcome: 'rejected', documents: [], errors, acknowledgments: [], acknowledgmentText: undefined, record: { ...base, mappingVersion, outcome: 'rejected', documents: [], errors, controlNumbers: noControlNumbers } };
  };
  if (format === 'unknown') {
    return refuse('TL_EDI_FORMAT_UNKNOWN', `${file.name} is neither X12 (it does not start with ISA) nor a CSV file partner ${profile.id} has a mapping for`, `none:${profile.id}`);
  }
  const mapping = csvMappingFor(profile.csv, file.name);
  if (!mapping) {
    const patterns = profile.csv.flatMap((m) => m.fileNamePatterns);
    return refuse('TL_EDI_CSV_NO_MAPPING', `no CSV mapping of partner ${profile.id} reads ${file.name} (file name patterns: ${patterns.join(', ') || 'none configured'})`, `csv:${profile.id}`);
  }
  const result = await mapCsvFile(file.bytes, mapping, { tenantId, profile, now, newId: options.newId, receivedAt, lookups: options.lookups });
  const documents: EdiMessageDocument[] = result.documents.map((d) => ({
    type: mapping.document,
    source: d.rows.length === 1 ? `row ${d.rows[0]}` : `rows ${d.rows.join(',')}`,
    document: d.document,
  }));
  const errors: EdiMessageError[] = result.errors.map((e) => ({ ...e }));
  const outcome: EdiMessageOutcome = documents.length > 0 ? 'accepted' : 'rejected';
  return {
    format,
    outcome,
    documents,
    errors,
    acknowledgments: [],
    acknowledgmentText: undefined,
    record: { ...base, mappingVersion: `csv:${profile.id}/${mapping.id}@${mapping.version}`, outcome, documents, errors, controlNumbers: noControlNumbers },
  };
}

/** What receiving and replaying need besides the file. */
export interface InboundReceiveOptions extends InboundOptions {
  readonly repository: EdiMessageRepository;
}

/**
 * Receives one file: a file this partner sent before with the same name and content is recorded as a `duplicate` of
 * the first (not read again, nothing acknowledged); any other file is read with {@link interpretInboundFile} and
 * recorded with its outcome.
 * @example const receipt = await receiveInboundFile(ctx, { name: file.name, bytes: file.bytes, channel: 'sftp' }, { profile, sequence, repository });
 */
export async function receiveInboundFile(ctx: TenantContext, file: InboundFile, options: InboundReceiveOptions): Promise<InboundReceipt> {
  const sha = contentSha256(file.bytes);
  const earlier = await options.repository.findByContent(ctx, { partnerId: options.profile.id, fileName: file.name, contentSha256: sha });
  if (earlier) {
    const format = detectInboundFormat(file, options.profile);
    const errors: EdiMessageError[] = [{ code: 'TL_EDI_DUPLICATE_FILE', message: `${file.name} was received before with the same content (message ${earlier.id}); it is not processed again` }];
    const record: NewEdiMessage = {
      partnerId: options.profile.id,
      channel: file.channel,
      fileName: file.name,
      format,
      contentSha256: sha,
      payload: file.bytes,
      mappingVersion: earlier.mappingVersion,
      outcome: 'duplicate',
      documents: [],
      errors,
      controlNumbers: earlier.controlNumbers,
      receivedAt: file.receivedAt ?? (options.now ?? (() => new Date()))(),
      duplicateOf: earlier.id,
    };
    const message = await options.repository.record(ctx, record);
    return { format, outcome: 'duplicate', documents: [], errors, acknowledgments: [], acknowledgmentText: undefined, record, message };
  }
  const result = await interpretInboundFile(file, options, ctx.tenantId);
  const message = await options.repository.record(ctx, result.record);
  return { ...result, message };
}

/** What a replay needs: the repository and the partner's current profile (looked up by the stored partner id). */
export interface InboundReplayOptions extends Omit<InboundReceiveOptions, 'profile'> {
  readonly profileFor: (partnerId: string) => PartnerProfile | undefined | Promise<PartnerProfile | undefined>;
}

/**
 * Reads a kept file again with the partner's current profile and mappings, and records the new outcome as a replay
 * of the original (`replayOf`). Interchange control numbers are not checked against earlier arrivals (the file is
 * the same one). A duplicate cannot be replayed: replay its original.
 * @example const receipt = await replayInboundMessage(ctx, 'edi_01J…', { repository, profileFor, sequence, lookups });
 */
export async function replayInboundMessage(ctx: TenantContext, id: string, options: InboundReplayOptions): Promise<InboundReceipt> {
  const original = await options.repository.get(ctx, id);
  if (!original) throw new NotFoundError('TL_EDI_MESSAGE_NOT_FOUND', `EDI message ${id} does not exist`, { id });
  if (original.outcome === 'duplicate') {
    throw new ConflictError('TL_EDI_REPLAY_DUPLICATE', `EDI message ${id} is a duplicate of ${original.duplicateOf}; replay the original instead`, { id, duplicateOf: original.duplicateOf });
  }
  const profile = await options.profileFor(original.partnerId);
  if (!profile) throw new NotFoundError('TL_EDI_PROFILE_NOT_FOUND', `partner profile ${original.partnerId} of EDI message ${id} is not configured`, { id, partnerId: original.partnerId });
  const result = await interpretInboundFile(
    { name: original.fileName, bytes: original.payload, channel: original.channel, receivedAt: original.receivedAt },
    { ...options, profile, registry: new InMemoryControlNumberRegistry() },
    ctx.tenantId,
  );
  const record: NewEdiMessage = { ...result.record, replayOf: original.id };
  const message = await options.repository.record(ctx, record);
  return { ...result, record, message };
}
