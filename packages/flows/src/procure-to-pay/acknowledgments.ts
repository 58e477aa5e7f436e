import { compareDecimal, newId, type AcknowledgmentLine, type PurchaseOrderAcknowledgment } from '@tradelane/canonical';
import type { ErpAcknowledgmentLine } from '@tradelane/connector-kit';
import {
  ConflictError,
  InputError,
  NotFoundError,
  type AcknowledgmentLineOutcome,
  type AcknowledgmentLineSubmission,
  type AcknowledgmentResult,
  type AcknowledgmentSubmission,
  type ProcureToPayTransactionRunner,
  type ProcureToPayTx,
  type StoredPurchaseOrder,
  type TenantContext,
} from '@tradelane/core';
import { refreshSupply, repromise } from './impact.js';
import { assertDate, assertPrice, assertQuantity, supplierOf } from './invoices.js';
import { canonicalPurchaseOrderOf, closeException, emit, openException, p2pEventTypes, requestErp, toleranceOf, touch, type P2pSettings } from './procure-to-pay.process.js';
import { checkAcknowledgmentLine, daysBetween } from './tolerance.js';

const ACTIONS = new Set(['accept', 'change', 'backorder', 'reject']);

/** A short, stable digest of a string (to recognise a repeated message). */
export function digest(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

function assertAckShape(s: AcknowledgmentSubmission): void {
  if (!s || !Array.isArray(s.lines) || s.lines.length === 0) throw new InputError('TL_P2P_BAD_ACK', 'an acknowledgment needs at least one line', { field: 'lines' });
  if (s.acknowledgmentNumber !== undefined && (typeof s.acknowledgmentNumber !== 'string' || s.acknowledgmentNumber.length === 0 || s.acknowledgmentNumber.length > 40)) {
    throw new InputError('TL_P2P_BAD_ACK', 'acknowledgmentNumber must be 1-40 characters', { field: 'acknowledgmentNumber' });
  }
  if (s.revision !== undefined && (!Number.isInteger(s.revision) || s.revision < 0)) throw new InputError('TL_P2P_BAD_ACK', 'revision must be a non-negative integer', { field: 'revision' });
  const seen = new Set<number>();
  s.lines.forEach((l, i) => {
    const f = `lines[${i}]`;
    if (!Number.isInteger(l.lineNumber) || seen.has(l.lineNumber)) throw new InputError('TL_P2P_BAD_ACK', `${f}.lineNumber must be a line number, once per acknowledgment`, { field: `${f}.lineNumber` });
    seen.add(l.lineNumber);
    if (!ACTIONS.has(l.action)) throw new InputError('TL_P2P_BAD_ACK', `${f}.action must be accept, change, backorder or reject`, { field: `${f}.action` });
    if (l.quantity !== undefined) assertQuantity(l.quantity, `${f}.quantity`);
    if (l.unitPrice !== undefined) assertPrice(l.unitPrice, `${f}.unitPrice`);
    if (l.promisedDate !== undefined) assertDate(l.promisedDate, `${f}.promisedDate`);
    if (l.action === 'change' && l.quantity === undefined && l.unitPrice === undefined && l.promisedDate === undefined && l.substituteSku === undefined) {
      throw new InputError('TL_P2P_EMPTY_CHANGE', `${f}: a change needs a new quantity, unit price, promised date or substitute`, { field: f });
    }
    if (l.action === 'backorder' && l.promisedDate === undefined) throw new InputError('TL_P2P_PROMISED_DATE_REQUIRED', `${f}: a backorder needs the promisedDate it ships by`, { field: `${f}.promisedDate` });
  });
}

/** Loads a supplier's own purchase order (another supplier's is reported as not found). */
export async function ownOrder(ctx: TenantContext, tx: ProcureToPayTx, supplierId: string, idOrNumber: string): Promise<StoredPurchaseOrder> {
  const po = await tx.procureToPay.purchaseOrders.get(ctx, idOrNumber, { forUpdate: true });
  if (!po || po.supplierId !== supplierId) throw new NotFoundError('TL_P2P_PO_NOT_FOUND', `purchase order ${idOrNumber} does not exist`, { purchaseOrderId: idOrNumber });
  return po;
}

/** The ERP acknowledgment lines of a supplier's answer. */
export function toErpLines(lines: readonly AcknowledgmentLineSubmission[]): ErpAcknowledgmentLine[] {
  return lines.map((l) => ({
    lineNumber: l.lineNumber,
    action: l.action,
    ...(l.action !== 'reject' && l.quantity !== undefined ? { quantity: l.quantity } : {}),
    ...(l.action !== 'reject' && l.unitPrice !== undefined ? { unitPrice: l.unitPrice } : {}),
    ...(l.action !== 'reject' && l.promisedDate !== undefined ? { promisedDate: l.promisedDate } : {}),
    ...(l.note ? { note: l.note } : {}),
  }));
}

/** Which acknowledgment an accepted answer is, for the canonical acknowledgment in `purchase_order.acknowledged`. */
export interface AcknowledgmentRef {
  /** The acknowledgment id (`poa_…`). */
  id: string;
  /** The revision it answers. */
  revision: number;
  /** When the supplier's answer arrived (RFC 3339). */
  receivedAt: string;
  acknowledgmentNumber?: string | undefined;
  /** Every line is inside the supplier's tolerance profile (false when a buyer accepted the change). */
  withinTolerance: boolean;
}

/**
 * The canonical acknowledgment (EDI 855 vocabulary) of a supplier's answer to `po` as ordered: `accept` and
 * `backorder` keep their action; a `change` becomes one line per changed value (`change_quantity`, `change_price`,
 * `change_date`; a substitute alone is an `accept` of the substitute SKU); `reject` has reason code `other`.
 */
export function canonicalAcknowledgment(ctx: TenantContext, po: StoredPurchaseOrder, lines: readonly AcknowledgmentLineSubmission[], ref: AcknowledgmentRef): PurchaseOrderAcknowledgment {
  const currency = po.view.currency;
  const out: AcknowledgmentLine[] = [];
  for (const l of [...lines].sort((a, b) => a.lineNumber - b.lineNumber)) {
    const line = po.view.lines.find((x) => x.lineNumber === l.lineNumber);
    const sku = l.substituteSku ?? line?.sku;
    const unit = (l.unit ?? line?.unit ?? 'EA') as Extract<AcknowledgmentLine, { action: 'accept' }>['unit'];
    const quantity = l.quantity ?? line?.quantity ?? '0';
    const base = { lineNumber: l.lineNumber, ...(sku ? { sku } : {}), ...(line?.supplierPartNumber ? { supplierPartNumber: line.supplierPartNumber } : {}), ...(l.note ? { note: l.note.slice(0, 500) } : {}) };
    const scheduled = l.promisedDate ?? line?.promisedDate ?? line?.requestedDate;
    if (l.action === 'reject') {
      out.push({ ...base, action: 'reject', reasonCode: 'other', ...(l.note ? { reason: l.note.slice(0, 200) } : {}) });
    } else if (l.action === 'backorder') {
      out.push({ ...base, action: 'backorder', quantity, unit, ...(scheduled ? { scheduledDate: scheduled } : {}) });
    } else if (l.action === 'change' && line) {
      const before = out.length;
      if (l.quantity !== undefined && compareDecimal(l.quantity, line.quantity) !== 0) {
        out.push({ ...base, action: 'change_quantity', originalQuantity: line.quantity, quantity: l.quantity, unit, ...(scheduled ? { scheduledDate: scheduled } : {}) });
      }
      if (l.unitPrice !== undefined && compareDecimal(l.unitPrice, line.unitPrice.amount) !== 0) {
        out.push({ ...base, action: 'change_price', originalUnitPrice: { amount: line.unitPrice.amount, currency }, unitPrice: { amount: l.unitPrice, currency } });
      }
      if (l.promisedDate !== undefined && l.promisedDate !== (line.promisedDate ?? line.requestedDate)) {
        out.push({ ...base, action: 'change_date', originalDate: line.promisedDate ?? line.requestedDate, scheduledDate: l.promisedDate });
      }
      if (out.length === before) out.push({ ...base, action: 'accept', quantity, unit, ...(scheduled ? { scheduledDate: scheduled } : {}) });
    } else {
      out.push({ ...base, action: 'accept', quantity, unit, ...(scheduled ? { scheduledDate: scheduled } : {}) });
    }
  }
  const asOrdered = lines.every((l) => l.action === 'accept' && (l.substituteSku === undefined || l.substituteSku === po.view.lines.find((x) => x.lineNumber === l.lineNumber)?.sku));
  const ackType = out.every((l) => l.action === 'reject') ? 'rejected' : asOrdered && out.every((l) => l.action === 'accept') ? 'accepted' : 'accepted_with_changes';
  return {
    schemaVersion: 1,
    id: ref.id as PurchaseOrderAcknowledgment['id'],
    tenantId: ctx.tenantId,
    purchaseOrderId: po.id as PurchaseOrderAcknowledgment['purchaseOrderId'],
    poNumber: po.poNumber,
    poRevision: Math.min(999, ref.revision),
    supplierId: po.supplierId as PurchaseOrderAcknowledgment['supplierId'],
    ...(ref.acknowledgmentNumber ? { ackNumber: ref.acknowledgmentNumber } : {}),
    ackType,
    acknowledgedAt: ref.receivedAt,
    receivedVia: 'api',
    currency,
    lines: out,
    externalIds: {},
    receivedAt: ref.receivedAt,
  };
}

/**
 * Applies an accepted answer to the read model and queues it for the ERP: committed quantity, price and promised
 * date per line, the order acknowledged, inbound supply refreshed and dependent customer promises re-promised.
 * Writes `purchase_order.acknowledged` with the canonical order and acknowledgment (`ref` names the acknowledgment).
 */
export async function applyAcknowledgment(
  ctx: TenantContext,
  tx: ProcureToPayTx,
  settings: P2pSettings,
  po: StoredPurchaseOrder,
  lines: readonly AcknowledgmentLineSubmission[],
  reason: string,
  ref: AcknowledgmentRef,
): Promise<StoredPurchaseOrder> {
  const now = settings.clock.now();
  const byLine = new Map(lines.map((l) => [l.lineNumber, l]));
  const next = touch(
    {
      ...po,
      inException: false,
      view: {
        ...po.view,
        awaitingAcknowledgment: false,
        lines: po.view.lines.map((line) => {
          const a = byLine.get(line.lineNumber);
          if (!a) return line;
          if (a.action === 'reject') return { ...line, status: 'Rejected', quantityAcknowledged: '0' };
          return {
            ...line,
            status: a.action === 'backorder' ? 'Backordered' : 'Acknowledged',
            quantityAcknowledged: a.quantity ?? line.quantity,
            ...(a.unitPrice !== undefined ? { unitPrice: { ...line.unitPrice, amount: a.unitPrice } } : {}),
            promisedDate: a.promisedDate ?? line.promisedDate ?? line.requestedDate,
          };
        }),
      },
    },
    now,
  );
  await tx.procureToPay.purchaseOrders.upsert(ctx, next);
  const dated = lines.map((l) => {
    const line = po.view.lines.find((x) => x.lineNumber === l.lineNumber);
    return l.action === 'reject' || l.promisedDate !== undefined || !line ? l : { ...l, promisedDate: line.promisedDate ?? line.requestedDate };
  });
  await requestErp(ctx, tx, settings, { op: 'ack', poNumber: po.poNumber, lines: toErpLines(dated) });
  const purchaseOrder = canonicalPurchaseOrderOf(next);
  if (purchaseOrder) {
    const acknowledgment = canonicalAcknowledgment(ctx, po, lines, ref);
    await emit(ctx, tx, settings, p2pEventTypes.acknowledged, po.id, { purchaseOrder, acknowledgment, withinTolerance: ref.withinTolerance }, undefined, po.supplierId);
  }
  for (const missing of await tx.procureToPay.exceptions.findOpen(ctx, 'acknowledgment_missing', po.id)) {
    await closeException(ctx, tx, settings, missing, 'acknowledged_by_supplier', 'the supplier acknowledged');
  }
  for (const sku of await refreshSupply(ctx, tx, next)) await repromise(ctx, tx, settings, sku, reason, 'hub');
  return next;
}

/**
 * The supplier's acknowledgment of a purchase order: validated (lines, units, decimals, substitutions), a repeated
 * message answered as `Duplicate`, each line compared with the supplier's tolerance profile; inside tolerance it is
 * applied (ERP update queued), outside it becomes an `acknowledgment_out_of_tolerance` exception for a buyer.
 */
export async function acknowledge(ctx: TenantContext, transactions: ProcureToPayTransactionRunner, settings: P2pSettings, purchaseOrderId: string, submission: AcknowledgmentSubmission): Promise<AcknowledgmentResult> {
  const supplierId = supplierOf(ctx);
  assertAckShape(submission);
  return transactions.transaction(async (tx) => {
    const po = await ownOrder(ctx, tx, supplierId, purchaseOrderId);
    const revision = submission.revision ?? po.view.revision;
    const normalized = [...submission.lines].sort((a, b) => a.lineNumber - b.lineNumber).map((l) => JSON.stringify([l.lineNumber, l.action, l.quantity, l.unitPrice, l.promisedDate, l.substituteSku]));
    const contentHash = digest(`${revision}|${normalized.join('|')}`);
    const duplicate = await tx.procureToPay.acknowledgments.findDuplicate(ctx, po.id, { acknowledgmentNumber: submission.acknowledgmentNumber, revision, contentHash });
    if (duplicate) return { ...duplicate.result, outcome: 'Duplicate' };
    if (po.erpStatus === 'Cancelled' || po.erpStatus === 'Closed') throw new ConflictError('TL_P2P_PO_CLOSED', `purchase order ${po.poNumber} is ${po.erpStatus.toLowerCase()}`, { purchaseOrderId: po.id });
    if (revision !== po.view.revision) {
      throw new ConflictError('TL_P2P_STALE_REVISION', `purchase order ${po.poNumber} is at revision ${po.view.revision}; the acknowledgment answers revision ${revision}`, { revision: po.view.revision });
    }
    if (!po.view.awaitingAcknowledgment) {
      throw new ConflictError('TL_P2P_ALREADY_ACKNOWLEDGED', `revision ${revision} of purchase order ${po.poNumber} is acknowledged already${po.inException ? ' and waits for the buyer' : ''}`, { revision });
    }
    const profile = await toleranceOf(ctx, tx, settings, supplierId);
    const outcomes: AcknowledgmentLineOutcome[] = submission.lines.map((l, i) => {
      const line = po.view.lines.find((x) => x.lineNumber === l.lineNumber);
      if (!line) throw new InputError('TL_P2P_UNKNOWN_LINE', `purchase order ${po.poNumber} has no line ${l.lineNumber}`, { field: `lines[${i}].lineNumber` });
      if (line.status === 'Cancelled' || line.status === 'Rejected') throw new InputError('TL_P2P_LINE_CLOSED', `line ${l.lineNumber} is ${line.status.toLowerCase()}`, { field: `lines[${i}].lineNumber` });
      if (l.unit !== undefined && l.unit !== line.unit) throw new InputError('TL_P2P_UNIT_MISMATCH', `line ${l.lineNumber} is ordered in ${line.unit}, not ${l.unit}`, { field: `lines[${i}].unit` });
      if (l.substituteSku !== undefined && l.substituteSku !== line.sku && !profile.substitutionsAllowed) {
        throw new InputError('TL_P2P_SUBSTITUTION_NOT_ALLOWED', `substitutes are not accepted from this supplier (line ${l.lineNumber})`, { field: `lines[${i}].substituteSku` });
      }
      return { lineNumber: l.lineNumber, ...checkAcknowledgmentLine(line, l, profile) };
    });
    const unanswered = po.view.lines.filter((l) => l.status !== 'Cancelled' && l.status !== 'Rejected' && !submission.lines.some((s) => s.lineNumber === l.lineNumber));
    if (unanswered.length > 0) {
      throw new InputError('TL_P2P_LINES_MISSING', `answer every open line; missing: ${unanswered.map((l) => l.lineNumber).join(', ')}`, { field: 'lines', missing: unanswered.map((l) => l.lineNumber) });
    }
    const now = settings.clock.now();
    const at = now.toISOString();
    const id = newId('poa', now.getTime());
    const out = outcomes.filter((o) => o.outcome === 'out_of_tolerance');
    const result: AcknowledgmentResult = { id, purchaseOrderId: po.id, outcome: out.length ? 'Exception' : 'Applied', lines: outcomes, receivedAt: at };
    if (po.publishedAt) {
      const hours = (now.getTime() - Date.parse(po.publishedAt)) / 3_600_000;
      await tx.procureToPay.scorecard.record(ctx, { supplierId, kind: 'acknowledged', key: `ack:${po.id}`, at, value: { purchaseOrderId: po.id, latencyHours: Math.round(hours * 100) / 100 } });
    }
    if (out.length) {
      const evidence = {
        poNumber: po.poNumber,
        revision,
        lines: submission.lines.map((l) => {
          const line = po.view.lines.find((x) => x.lineNumber === l.lineNumber)!;
          return {
            lineNumber: l.lineNumber,
            sku: line.sku,
            ordered: { quantity: line.quantity, unit: line.unit, unitPrice: line.unitPrice.amount, requestedDate: line.requestedDate },
            acknowledged: { action: l.action, quantity: l.quantity ?? line.quantity, unitPrice: l.unitPrice ?? line.unitPrice.amount, promisedDate: l.promisedDate ?? null, ...(l.substituteSku ? { substituteSku: l.substituteSku } : {}) },
            outcome: outcomes.find((o) => o.lineNumber === l.lineNumber)!.outcome,
            reasons: outcomes.find((o) => o.lineNumber === l.lineNumber)!.reasons,
          };
        }),
        profile: { quantityUnderPct: profile.quantityUnderPct, quantityOverPct: profile.quantityOverPct, pricePct: profile.pricePct, priceAbs: profile.priceAbs, dateEarlyDays: profile.dateEarlyDays, dateLateDays: profile.dateLateDays },
      };
      const exception = await openException(ctx, tx, settings, {
        type: 'acknowledgment_out_of_tolerance',
        ownerRole: 'buyer',
        subject: { kind: 'purchase_order', id: po.id, number: po.poNumber },
        supplierId,
        summary: `PO ${po.poNumber} rev ${revision}: ${out.map((o) => `line ${o.lineNumber} ${o.reasons.filter((r) => r.includes('exceeds') || r.startsWith('substitute')).join(', ')}`).join('; ')}`,
        evidence,
        actions: ['accept_change', 'reject_change', 'counter'],
        context: { acknowledgmentId: id, purchaseOrderId: po.id, revision, lines: submission.lines },
      });
      result.exceptionId = exception.id;
      await tx.procureToPay.purchaseOrders.upsert(ctx, touch({ ...po, inException: true, view: { ...po.view, awaitingAcknowledgment: false } }, now));
    } else {
      const later = submission.lines.some((l) => {
        const line = po.view.lines.find((x) => x.lineNumber === l.lineNumber)!;
        return l.action === 'reject' || (l.promisedDate !== undefined && daysBetween(line.promisedDate ?? line.requestedDate, l.promisedDate) > 0);
      });
      await applyAcknowledgment(ctx, tx, settings, po, submission.lines, `supplier acknowledgment of PO ${po.poNumber}${later ? ' moved supply' : ''}`, {
        id,
        revision,
        receivedAt: at,
        acknowledgmentNumber: submission.acknowledgmentNumber,
        withinTolerance: true,
      });
    }
    await tx.procureToPay.acknowledgments.insert(ctx, {
      id,
      purchaseOrderId: po.id,
      supplierId,
      revision,
      ...(submission.acknowledgmentNumber ? { acknowledgmentNumber: submission.acknowledgmentNumber } : {}),
      contentHash,
      submission,
      result,
    });
    return result;
  });
}
