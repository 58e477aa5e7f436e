import {
  ConflictError,
  InputError,
  NotFoundError,
  type AcknowledgmentLineSubmission,
  type ExceptionDesk,
  type ExceptionResolution,
  type ExceptionView,
  type ProcureToPayTransactionRunner,
  type ProcureToPayTx,
  type SlaState,
  type StoredException,
  type TenantContext,
} from '@tradelane/core';
import { applyAcknowledgment } from './acknowledgments.js';
import { assertDate, assertPrice, assertQuantity } from './invoices.js';
import { remind } from './purchase-orders.js';
import { actorOf, canonicalPurchaseOrderOf, closeException, emit, markPublished, p2pEventTypes, publish, requestErp, toleranceOf, touch, type P2pSettings } from './procure-to-pay.process.js';

/** SLA state at `now`: breached after the due time, due soon in the last quarter of the window. */
export function slaStateOf(view: Pick<ExceptionView, 'createdAt' | 'sla' | 'status'>, now: Date): SlaState {
  const due = Date.parse(view.sla.dueAt);
  const created = Date.parse(view.createdAt);
  const t = now.getTime();
  if (t >= due) return 'breached';
  if (t >= due - (due - created) / 4) return 'due_soon';
  return 'ok';
}

function withSla(view: ExceptionView, now: Date): ExceptionView {
  return { ...view, sla: { ...view.sla, state: view.status === 'Resolved' ? view.sla.state : slaStateOf(view, now) } };
}

/**
 * The operations side of exceptions. Claims are exclusive; every resolution is applied through the process:
 * `accept_change` applies the supplier's answer (ERP updated), `reject_change` keeps the order as ordered and tells
 * the supplier, `counter` publishes a new revision with the buyer's values, `remind`/`close` for a missing
 * acknowledgment, `approve_variance`/`reject_invoice` for an invoice dispute, `acknowledge` for a missed promise.
 */
export function createExceptionDesk(transactions: ProcureToPayTransactionRunner, settings: P2pSettings): ExceptionDesk {
  async function load(ctx: TenantContext, tx: ProcureToPayTx, id: string): Promise<StoredException> {
    const stored = await tx.procureToPay.exceptions.get(ctx, id, { forUpdate: true });
    if (!stored) throw new NotFoundError('TL_P2P_EXCEPTION_NOT_FOUND', `exception ${id} does not exist`, { exceptionId: id });
    return stored;
  }

  async function apply(ctx: TenantContext, tx: ProcureToPayTx, stored: StoredException, resolution: ExceptionResolution): Promise<void> {
    const c = stored.context;
    const view = stored.view;
    const now = settings.clock.now();
    switch (`${view.type}:${resolution.action}`) {
      case 'acknowledgment_out_of_tolerance:accept_change': {
        const po = await tx.procureToPay.purchaseOrders.get(ctx, String(c.purchaseOrderId), { forUpdate: true });
        if (!po) throw new NotFoundError('TL_P2P_PO_NOT_FOUND', `purchase order ${String(c.purchaseOrderId)} does not exist`);
        if (po.view.revision !== c.revision) throw new ConflictError('TL_P2P_STALE_REVISION', `purchase order ${po.poNumber} moved on to revision ${po.view.revision}`);
        const ack = await tx.procureToPay.acknowledgments.get(ctx, String(c.acknowledgmentId));
        await applyAcknowledgment(ctx, tx, settings, po, c.lines as AcknowledgmentLineSubmission[], `buyer accepted the supplier's change on PO ${po.poNumber}`, {
          id: String(c.acknowledgmentId),
          revision: po.view.revision,
          receivedAt: ack?.result.receivedAt ?? view.createdAt,
          acknowledgmentNumber: ack?.acknowledgmentNumber,
          withinTolerance: false,
        });
        return;
      }
      case 'acknowledgment_out_of_tolerance:reject_change': {
        const po = await tx.procureToPay.purchaseOrders.get(ctx, String(c.purchaseOrderId), { forUpdate: true });
        if (!po) throw new NotFoundError('TL_P2P_PO_NOT_FOUND', `purchase order ${String(c.purchaseOrderId)} does not exist`);
        const profile = await toleranceOf(ctx, tx, settings, po.supplierId);
        const next = touch(markPublished({ ...po, inException: false }, profile, now), now);
        await tx.procureToPay.purchaseOrders.upsert(ctx, next);
        const purchaseOrder = canonicalPurchaseOrderOf(next);
        if (purchaseOrder) {
          await emit(ctx, tx, settings, p2pEventTypes.changeRejected, po.id, {
            purchaseOrder,
            acknowledgmentId: String(c.acknowledgmentId),
            note: (resolution.note || 'the change is not accepted; please acknowledge the order as ordered').slice(0, 500),
          }, undefined, po.supplierId);
        }
        return;
      }
      case 'acknowledgment_out_of_tolerance:counter': {
        const counter = resolution.counter ?? [];
        if (counter.length === 0) throw new InputError('TL_P2P_COUNTER_REQUIRED', 'a counter needs the buyer\'s values per line', { field: 'counter' });
        const po = await tx.procureToPay.purchaseOrders.get(ctx, String(c.purchaseOrderId), { forUpdate: true });
        if (!po) throw new NotFoundError('TL_P2P_PO_NOT_FOUND', `purchase order ${String(c.purchaseOrderId)} does not exist`);
        counter.forEach((l, i) => {
          if (!po.view.lines.some((x) => x.lineNumber === l.lineNumber)) throw new InputError('TL_P2P_UNKNOWN_LINE', `purchase order ${po.poNumber} has no line ${l.lineNumber}`, { field: `counter[${i}].lineNumber` });
          if (l.quantity !== undefined) assertQuantity(l.quantity, `counter[${i}].quantity`);
          if (l.unitPrice !== undefined) assertPrice(l.unitPrice, `counter[${i}].unitPrice`);
          if (l.promisedDate !== undefined) assertDate(l.promisedDate, `counter[${i}].promisedDate`);
        });
        const profile = await toleranceOf(ctx, tx, settings, po.supplierId);
        const lines = po.view.lines.map((line) => {
          const l = counter.find((x) => x.lineNumber === line.lineNumber);
          if (!l) return line;
          return {
            ...line,
            ...(l.quantity !== undefined ? { quantity: l.quantity } : {}),
            ...(l.unitPrice !== undefined ? { unitPrice: { ...line.unitPrice, amount: l.unitPrice } } : {}),
            ...(l.promisedDate !== undefined ? { requestedDate: l.promisedDate } : {}),
            status: 'Open',
          };
        });
        const countered = { ...po, counters: po.counters + 1, inException: false, view: { ...po.view, revision: po.view.revision + 1, lines } };
        const next = touch(markPublished(countered, profile, now), now);
        await tx.procureToPay.purchaseOrders.upsert(ctx, next);
        await publish(ctx, tx, settings, next, profile);
        return;
      }
      case 'acknowledgment_missing:remind': {
        const po = await tx.procureToPay.purchaseOrders.get(ctx, String(c.purchaseOrderId), { forUpdate: true });
        if (!po) return;
        const profile = await toleranceOf(ctx, tx, settings, po.supplierId);
        const extended = { ...po, ackMissingRaised: false, view: { ...po.view, acknowledgmentDueBy: new Date(now.getTime() + profile.ackDueHours * 3_600_000).toISOString() } };
        await remind(ctx, tx, settings, touch(extended, now));
        return;
      }
      case 'acknowledgment_missing:close':
      case 'promise_missed:acknowledge':
        return;
      case 'invoice_dispute:approve_variance': {
        const inv = await tx.procureToPay.invoices.get(ctx, String(c.invoiceId), { forUpdate: true });
        const po = inv ? await tx.procureToPay.purchaseOrders.get(ctx, inv.purchaseOrderId, { forUpdate: true }) : undefined;
        if (!inv || !po) throw new NotFoundError('TL_P2P_INVOICE_NOT_FOUND', `invoice ${String(c.invoiceId)} does not exist`);
        await tx.procureToPay.invoices.save(ctx, { ...inv, view: { ...inv.view, status: 'Approved' } });
        await tx.procureToPay.purchaseOrders.upsert(ctx, touch({ ...po, invoiceState: 'Matched' }, now));
        await requestErp(ctx, tx, settings, { op: 'decision', poNumber: po.poNumber, invoiceId: inv.id, decision: 'approved' });
        await emit(ctx, tx, settings, p2pEventTypes.invoiceApproved, inv.id, { invoice: { ...inv.view, status: 'Approved' }, supplierId: inv.supplierId, varianceApprovedBy: actorOf(ctx) }, { type: 'supplier_invoice', id: inv.id });
        return;
      }
      case 'invoice_dispute:reject_invoice': {
        const inv = await tx.procureToPay.invoices.get(ctx, String(c.invoiceId), { forUpdate: true });
        if (!inv) throw new NotFoundError('TL_P2P_INVOICE_NOT_FOUND', `invoice ${String(c.invoiceId)} does not exist`);
        await tx.procureToPay.invoices.save(ctx, { ...inv, view: { ...inv.view, status: 'Rejected' } });
        await emit(ctx, tx, settings, p2pEventTypes.invoiceRejected, inv.id, { invoice: { ...inv.view, status: 'Rejected' }, supplierId: inv.supplierId, note: resolution.note }, { type: 'supplier_invoice', id: inv.id });
        return;
      }
      default:
        throw new InputError('TL_P2P_UNKNOWN_ACTION', `action ${resolution.action} is not one of ${view.actions.join(', ')}`, { field: 'action', allowed: view.actions });
    }
  }

  return {
    async list(ctx, query) {
      const now = settings.clock.now();
      return transactions.transaction(async (tx) => {
        const page = await tx.procureToPay.exceptions.list(ctx, query, now);
        return { ...page, items: page.items.map((v) => withSla(v, now)) };
      });
    },
    async get(ctx, id) {
      const now = settings.clock.now();
      return transactions.transaction(async (tx) => {
        const stored = await tx.procureToPay.exceptions.get(ctx, id);
        return stored ? withSla(stored.view, now) : null;
      });
    },
    async claim(ctx, id) {
      const now = settings.clock.now();
      return transactions.transaction(async (tx) => {
        const stored = await load(ctx, tx, id);
        const by = actorOf(ctx);
        if (stored.view.status === 'Resolved') throw new ConflictError('TL_P2P_EXCEPTION_RESOLVED', `exception ${id} is resolved`, { exceptionId: id });
        if (stored.view.status === 'Claimed') {
          if (stored.view.claimedBy === by) return withSla(stored.view, now);
          throw new ConflictError('TL_P2P_EXCEPTION_CLAIMED', `exception ${id} is claimed by ${stored.view.claimedBy}`, { exceptionId: id, claimedBy: stored.view.claimedBy });
        }
        const view: ExceptionView = { ...stored.view, status: 'Claimed', claimedBy: by, history: [...stored.view.history, { at: now.toISOString(), actor: by, action: 'claimed' }] };
        await tx.procureToPay.exceptions.save(ctx, { ...stored, view });
        return withSla(view, now);
      });
    },
    async resolve(ctx, id, resolution) {
      if (!resolution || typeof resolution.action !== 'string' || resolution.action === '') throw new InputError('TL_P2P_BAD_RESOLUTION', 'action is required', { field: 'action' });
      const now = settings.clock.now();
      return transactions.transaction(async (tx) => {
        const stored = await load(ctx, tx, id);
        const by = actorOf(ctx);
        if (stored.view.status === 'Resolved') throw new ConflictError('TL_P2P_EXCEPTION_RESOLVED', `exception ${id} is resolved already`, { exceptionId: id, resolution: stored.view.resolution });
        if (stored.view.status === 'Claimed' && stored.view.claimedBy !== by) {
          throw new ConflictError('TL_P2P_EXCEPTION_CLAIMED', `exception ${id} is claimed by ${stored.view.claimedBy}`, { exceptionId: id, claimedBy: stored.view.claimedBy });
        }
        if (!stored.view.actions.includes(resolution.action)) {
          throw new InputError('TL_P2P_UNKNOWN_ACTION', `action ${resolution.action} is not one of ${stored.view.actions.join(', ')}`, { field: 'action', allowed: stored.view.actions });
        }
        await apply(ctx, tx, stored, resolution);
        const fresh = (await tx.procureToPay.exceptions.get(ctx, id))!;
        return withSla(await closeException(ctx, tx, settings, fresh, resolution.action, resolution.note), now);
      });
    },
  };
}
