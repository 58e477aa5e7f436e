/**
 * The inbound side of an EDI supplier: polls the partner's outbound folder over SFTP, reads each file with the
 * inbound pipeline (validation, 997/999, canonical documents), turns acknowledgments, ship notices and invoices into
 * the procure-to-pay supplier commands on the supplier's behalf, records the file and its outcome in the EDI message
 * store and drops the acknowledgment into the partner's inbound folder.
 */
import type { AdvanceShipNotice, Invoice, PurchaseOrderAcknowledgment } from '@tradelane/canonical';
import {
  acknowledgmentToSubmission,
  asnToSubmission,
  createSftpChannel,
  elementValue,
  InMemoryControlNumberSequence,
  interpretInboundFile,
  invoiceToSubmission,
  messageStoreLedger,
  receiveInboundFile,
  type AcknowledgedPurchaseOrder,
  type ControlNumberSequence,
  type InboundResult,
  type PickedFile,
  type PickupReport,
  type SftpChannel,
} from '@tradelane/connector-edi-x12';
import {
  classifyError,
  ConflictError,
  describeError,
  NotFoundError,
  type Clock,
  type EdiMessageError,
  type EdiMessageRecord,
  type EdiMessageRepository,
  type SupplierCommands,
  type SupplierQueries,
  type TenantContext,
} from '@tradelane/core';
import type { Component } from '../component.js';
import type { ResolvedSupplierEdi } from './supplier-edi.config.js';

/** What one document of a file became. */
export type SupplierDocumentOutcome =
  | { readonly status: 'applied'; readonly type: string; readonly source: string; readonly command: 'acknowledge' | 'submitAsn' | 'submitInvoice'; readonly reference: string; readonly result: string }
  | { readonly status: 'rejected'; readonly type: string; readonly source: string; readonly code: string; readonly message: string };

/** What one file became. */
export interface SupplierFileOutcome {
  readonly fileName: string;
  /** The EDI message store record. */
  readonly messageId: string;
  readonly outcome: EdiMessageRecord['outcome'];
  readonly documents: readonly SupplierDocumentOutcome[];
  /** Name of the acknowledgment (997, 999 or TA1) dropped for the partner. */
  readonly acknowledgmentFile?: string | undefined;
}

/** What one poll did. */
export interface SupplierEdiPollReport {
  readonly supplierId: string;
  readonly pickup: PickupReport;
  readonly files: readonly SupplierFileOutcome[];
}

/** What {@link createSupplierEdiInbound} needs. */
export interface SupplierEdiInboundDeps {
  readonly supplier: ResolvedSupplierEdi;
  /** The procure-to-pay supplier commands (`createProcureToPay(...).commands`). */
  readonly commands: Pick<SupplierCommands, 'acknowledge' | 'submitAsn' | 'submitInvoice'>;
  /** The supplier queries: the purchase order an 855 answers is looked up here. */
  readonly queries: Pick<SupplierQueries, 'getPurchaseOrder'>;
  /** The EDI message store (`createEdiMessageRepo(db)`). */
  readonly repository: EdiMessageRepository;
  /** Control numbers of the acknowledgments we send. @default an in-memory sequence (wire a durable one) */
  readonly sequence?: ControlNumberSequence | undefined;
  /** The supplier's SFTP channel. @default createSftpChannel(supplier.sftp) with the message store as its ledger */
  readonly channel?: SftpChannel | undefined;
  /** Clock of the SFTP quiet period. */
  readonly clock?: Clock | undefined;
  /** Clock of the pipeline (acknowledgment dates, record times). @default () => new Date() */
  readonly now?: (() => Date) | undefined;
  /** Told about every poll. */
  readonly onPoll?: ((report: SupplierEdiPollReport) => void) | undefined;
  /** Told when a poll fails (e.g. the SFTP server cannot be reached); the next poll tries again. */
  readonly onError?: ((err: unknown) => void) | undefined;
}

/** The inbound poller of one EDI supplier: `runOnce` in tests and jobs, `start`/`stop` in the worker. */
export interface SupplierEdiInbound extends Component {
  /** Polls the partner's outbound folder once and processes what it finds. */
  runOnce(): Promise<SupplierEdiPollReport>;
  /** Reads a kept file again with the current profile and mappings and applies its documents (records a replay). */
  replay(messageId: string): Promise<SupplierFileOutcome>;
  /** The supplier's context the commands run with. */
  context(correlationId?: string): TenantContext;
}

const ackKind = (text: string): string => (/ST.999/.test(text) ? '999' : /ST.997/.test(text) ? '997' : 'TA1');

/**
 * Builds the inbound poller of one EDI supplier. Every file goes through `interpretInboundFile`; its 855s, 856s and
 * 810s become `acknowledge`, `submitAsn` and `submitInvoice` calls with the supplier's context (`partnerId` = its
 * party id, actor `client` `edi:<profile id>`). A document the process refuses (an InputError or another permanent
 * error) is listed in the record's errors and makes the file `rejected` (replayable once fixed) without stopping the
 * other documents and files; a transient failure (database, ERP outage) leaves the file in the partner's folder for
 * the next poll, where the commands already applied answer as duplicates. A re-uploaded file (same name and content)
 * is recorded as a duplicate and not applied again.
 * @example
 * const inbound = createSupplierEdiInbound({ supplier, commands: p2p.commands, queries: p2p.queries, repository: createEdiMessageRepo(db) });
 * inbound.start(); // polls every supplier.config.pollIntervalMs
 */
export function createSupplierEdiInbound(deps: SupplierEdiInboundDeps): SupplierEdiInbound {
  const { supplier, commands, queries, repository } = deps;
  const { config, profile } = supplier;
  const sequence = deps.sequence ?? new InMemoryControlNumberSequence();
  const now = deps.now ?? (() => new Date());
  const context = (correlationId = `edi-${profile.id}-${now().getTime()}`): TenantContext => ({
    tenantId: config.tenantId,
    partnerId: config.supplierId,
    actor: { kind: 'client', id: `edi:${profile.id}` },
    scopes: ['supplier:read', 'supplier:write'],
    correlationId,
  });
  const pollCtx = context(`edi-${profile.id}-poll`);

  /** Lookups of the mappers; a transient failure is kept and thrown after reading (a lookup miss is a mapping error). */
  const lookups = (ctx: TenantContext, failures: unknown[]) => ({
    async purchaseOrder(poNumber: string): Promise<AcknowledgedPurchaseOrder | undefined> {
      let view: Awaited<ReturnType<typeof queries.getPurchaseOrder>>;
      try {
        view = await queries.getPurchaseOrder(ctx, poNumber);
      } catch (err) {
        if (classifyError(err) === 'transient') failures.push(err);
        throw err;
      }
      if (!view) return undefined;
      return {
        id: view.id,
        poNumber: view.poNumber,
        revision: Math.min(999, view.revision),
        currency: view.currency,
        lines: view.lines.map((l) => ({
          lineNumber: l.lineNumber,
          sku: l.sku,
          ...(l.supplierPartNumber ? { supplierPartNumber: l.supplierPartNumber } : {}),
          quantity: l.quantity,
          unit: l.unit,
          unitPrice: { amount: l.unitPrice.amount, currency: l.unitPrice.currency },
          requestedDate: l.requestedDate,
        })),
      } as unknown as AcknowledgedPurchaseOrder;
    },
  });

  /** Reads a file with the current profile; throws the first transient lookup failure (the file is read again later). */
  async function interpret(ctx: TenantContext, file: { name: string; bytes: Uint8Array; channel: string; receivedAt: Date }): Promise<InboundResult> {
    const failures: unknown[] = [];
    const result = await interpretInboundFile(file, { profile, sequence, lookups: lookups(ctx, failures), now }, config.tenantId);
    if (failures.length > 0) throw failures[0];
    return result;
  }

  /** Applies every document; throws only for transient failures. */
  async function apply(ctx: TenantContext, result: InboundResult): Promise<SupplierDocumentOutcome[]> {
    const out: SupplierDocumentOutcome[] = [];
    for (const d of result.documents) {
      try {
        switch (d.type) {
          case 'purchase-order-acknowledgment': {
            const ack = d.document as PurchaseOrderAcknowledgment;
            const { submission } = acknowledgmentToSubmission(ack);
            const r = await commands.acknowledge(ctx, ack.purchaseOrderId, submission);
            out.push({ status: 'applied', type: d.type, source: d.source, command: 'acknowledge', reference: r.id, result: r.outcome });
            break;
          }
          case 'advance-ship-notice': {
            const r = await commands.submitAsn(ctx, asnToSubmission(d.document as AdvanceShipNotice));
            out.push({ status: 'applied', type: d.type, source: d.source, command: 'submitAsn', reference: r.id, result: r.duplicate ? 'Duplicate' : r.status });
            break;
          }
          case 'invoice': {
            const r = await commands.submitInvoice(ctx, invoiceToSubmission(d.document as Invoice));
            out.push({ status: 'applied', type: d.type, source: d.source, command: 'submitInvoice', reference: r.id, result: r.duplicate ? 'Duplicate' : r.status });
            break;
          }
          default:
            out.push({ status: 'rejected', type: d.type, source: d.source, code: 'TL_EDI_DOCUMENT_UNSUPPORTED', message: `a ${d.type} from supplier ${profile.id} has no procure-to-pay command` });
        }
      } catch (err) {
        if (classifyError(err) === 'transient') throw err;
        const e = err as { code?: unknown };
        out.push({ status: 'rejected', type: d.type, source: d.source, code: typeof e.code === 'string' ? e.code : 'TL_EDI_COMMAND_FAILED', message: describeError(err) });
      }
    }
    return out;
  }

  function recordOf(result: InboundResult, documents: readonly SupplierDocumentOutcome[]) {
    const refused: EdiMessageError[] = documents.flatMap((d) =>
      d.status === 'rejected' ? [{ code: d.code, message: `${d.type} ${d.source}: ${d.message}`, ...(d.source.split('/')[2] ? { setControlNumber: d.source.split('/')[2] } : {}) }] : [],
    );
    const outcome = refused.length > 0 ? 'rejected' : result.outcome;
    return { ...result.record, outcome, errors: [...result.errors, ...refused] } as const;
  }

  async function dropAcknowledgment(result: InboundResult, channel: Pick<SftpChannel, 'drop'>): Promise<string | undefined> {
    if (!result.acknowledgmentText) return undefined;
    const icn = result.acknowledgments[0] ? elementValue(result.acknowledgments[0].header, 13) : String(now().getTime());
    const name = `${ackKind(result.acknowledgmentText)}_${profile.id}_${icn}.edi`;
    await channel.drop(name, result.acknowledgmentText);
    return name;
  }

  const channel: SftpChannel =
    deps.channel ??
    createSftpChannel(supplier.sftp, {
      ...(deps.clock ? { clock: deps.clock } : {}),
      ledger: messageStoreLedger(repository, pollCtx, profile.id),
      onDuplicate: async (f: PickedFile) => {
        await receiveInboundFile(context(`edi-${profile.id}-${f.sha256.slice(0, 16)}`), { name: f.name, bytes: f.bytes, channel: 'sftp', receivedAt: f.receivedAt }, { profile, sequence, repository, now });
      },
    });

  async function handle(f: PickedFile): Promise<SupplierFileOutcome> {
    const ctx = context(`edi-${profile.id}-${f.sha256.slice(0, 16)}`);
    const result = await interpret(ctx, { name: f.name, bytes: f.bytes, channel: 'sftp', receivedAt: f.receivedAt });
    const documents = await apply(ctx, result);
    const acknowledgmentFile = await dropAcknowledgment(result, channel);
    const message = await repository.record(ctx, recordOf(result, documents));
    return { fileName: f.name, messageId: message.id, outcome: message.outcome, documents, ...(acknowledgmentFile ? { acknowledgmentFile } : {}) };
  }

  async function runOnce(): Promise<SupplierEdiPollReport> {
    const files: SupplierFileOutcome[] = [];
    const pickup = await channel.pickup(async (f) => {
      const done = await handle(f);
      files.push(done);
      return { reference: done.messageId };
    });
    const report = { supplierId: config.supplierId, pickup, files };
    deps.onPoll?.(report);
    return report;
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  return {
    name: `supplier-edi:${profile.id}`,
    context,
    runOnce,
    async replay(messageId) {
      const ctx = context(`edi-${profile.id}-replay-${messageId}`);
      const original = await repository.get(ctx, messageId);
      if (!original || original.partnerId !== profile.id) throw new NotFoundError('TL_EDI_MESSAGE_NOT_FOUND', `EDI message ${messageId} of partner ${profile.id} does not exist`, { id: messageId });
      if (original.outcome === 'duplicate') {
        throw new ConflictError('TL_EDI_REPLAY_DUPLICATE', `EDI message ${messageId} is a duplicate of ${original.duplicateOf}; replay the original instead`, { id: messageId, duplicateOf: original.duplicateOf });
      }
      const result = await interpret(ctx, { name: original.fileName, bytes: original.payload, channel: original.channel, receivedAt: original.receivedAt });
      const documents = await apply(ctx, result);
      const message = await repository.record(ctx, { ...recordOf(result, documents), replayOf: original.id });
      return { fileName: original.fileName, messageId: message.id, outcome: message.outcome, documents };
    },
    start() {
      if (!stopped) return;
      stopped = false;
      const schedule = (delay: number): void => {
        if (stopped) return;
        timer = setTimeout(() => {
          running = runOnce()
            .catch((err: unknown) => deps.onError?.(new Error(`supplier EDI ${profile.id} poll: ${describeError(err)}`, { cause: err })))
            .finally(() => {
              running = undefined;
              schedule(config.pollIntervalMs);
            });
        }, delay);
        timer.unref?.();
      };
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
