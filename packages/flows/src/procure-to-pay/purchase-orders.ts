import { isDeepStrictEqual } from 'node:util';
import type { ErpPurchaseOrder } from '@tradelane/connector-kit';
import type { ProcureToPayTx, StoredPurchaseOrder, TenantContext, TimelineEntry } from '@tradelane/core';
import { refreshSupply, repromise } from './impact.js';
import { decideInvoice } from './invoices.js';
import { emit, linesFromErp, markPublished, matchInvoice, p2pEventTypes, publish, toleranceOf, touch, withCanonical, type P2pSettings, type StoredPurchaseOrderWithCanonical } from './procure-to-pay.process.js';

/** ERP statuses of an order the supplier should see (approved or further). */
const PUBLISHABLE = new Set(['Approved', 'Acknowledged', 'InTransit', 'PartiallyReceived', 'Received', 'Invoiced', 'Closed', 'Cancelled']);

/**
 * Applies the ERP's state of a purchase order to the read model. A first approved order is published (revision 0);
 * a higher ERP revision (a buyer change) raises the hub revision and publishes the changed order, awaiting a new
 * acknowledgment; otherwise quantities, prices, dates and receipts are refreshed. Inbound supply follows, waiting
 * invoices are matched again, and customer promises resting on changed supply are re-promised. The ERP's canonical
 * document is kept with the stored order, for the catalog events written later.
 */
export async function applyErpPurchaseOrder(ctx: TenantContext, tx: ProcureToPayTx, settings: P2pSettings, erp: ErpPurchaseOrder, source: TimelineEntry['source'] = 'erp'): Promise<StoredPurchaseOrder | undefined> {
  const repos = tx.procureToPay;
  const before = await repos.purchaseOrders.get(ctx, erp.purchaseOrder.id, { forUpdate: true });
  if (!before && !PUBLISHABLE.has(erp.status)) return undefined; // not approved yet: nothing to publish
  if (!before && (erp.status === 'Cancelled' || erp.status === 'Closed')) return undefined;
  const now = settings.clock.now();
  const profile = await toleranceOf(ctx, tx, settings, erp.purchaseOrder.supplierId);
  const erpRevision = erp.purchaseOrder.revision;
  const lines = linesFromErp(erp, before);
  let po: StoredPurchaseOrder = before
    ? { ...before, erpStatus: erp.status, erpRevision: Math.max(erpRevision, before.erpRevision), view: { ...before.view, lines } }
    : {
        id: erp.purchaseOrder.id,
        poNumber: erp.poNumber,
        supplierId: erp.purchaseOrder.supplierId,
        warehouseId: erp.purchaseOrder.shipToLocationId,
        erpRevision,
        erpStatus: erp.status,
        shipped: {},
        counters: 0,
        view: {
          id: erp.purchaseOrder.id,
          poNumber: erp.poNumber,
          status: 'New',
          revision: erpRevision,
          awaitingAcknowledgment: false,
          orderDate: erp.purchaseOrder.orderedAt.slice(0, 10),
          shipTo: { code: erp.purchaseOrder.shipTo.code ?? erp.purchaseOrder.shipToLocationId, name: erp.purchaseOrder.shipTo.name },
          currency: erp.purchaseOrder.currency,
          total: { amount: '0.00', currency: erp.purchaseOrder.currency },
          lines,
          updatedAt: now.toISOString(),
        },
      };
  po = withCanonical(po, erp.purchaseOrder);
  // The feed's echo of a change the hub already applied (an acknowledgment, a receipt it synced) changes nothing:
  // skip the writes, the rematch and the re-promise that would only repeat the last ones.
  if (before && sameErpState(before, po)) return before;
  const buyerChanged = before !== undefined && erpRevision > before.erpRevision;
  const open = erp.status !== 'Cancelled' && erp.status !== 'Closed';
  if ((!before || buyerChanged) && open && erp.lines.some((l) => l.acknowledgment === undefined)) {
    po = { ...po, view: { ...po.view, revision: erpRevision + po.counters } };
    po = markPublished(po, profile, now);
    po = touch(po, now);
    await publish(ctx, tx, settings, po, profile);
  } else {
    if (!open) po = { ...po, view: { ...po.view, awaitingAcknowledgment: false } };
    po = touch(po, now);
  }
  await repos.purchaseOrders.upsert(ctx, po);
  await rematchWaiting(ctx, tx, settings, po);
  const skus = await refreshSupply(ctx, tx, po);
  const reason = !before ? `purchase order ${po.poNumber} placed with the supplier` : buyerChanged ? `purchase order ${po.poNumber} changed by the buyer` : `purchase order ${po.poNumber} updated in the ERP`;
  for (const sku of skus) await repromise(ctx, tx, settings, sku, reason, source);
  return po;
}

/** Matches again the invoices of an order that waited for the goods; decided ones go to the ERP and to finance. */
export async function rematchWaiting(ctx: TenantContext, tx: ProcureToPayTx, settings: P2pSettings, po: StoredPurchaseOrder): Promise<void> {
  const waiting = await tx.procureToPay.invoices.listWaiting(ctx, po.id);
  if (waiting.length === 0) return;
  const profile = await toleranceOf(ctx, tx, settings, po.supplierId);
  for (const inv of waiting) {
    const match = matchInvoice(po, inv.submission.lines, profile);
    if (match.result === 'waiting_for_receipt') {
      await tx.procureToPay.invoices.save(ctx, { ...inv, view: { ...inv.view, match } });
      continue;
    }
    await decideInvoice(ctx, tx, settings, po, { ...inv, view: { ...inv.view, match } }, 'decision');
  }
}

/** Sends the acknowledgment reminder of one order and marks it sent. */
export async function remind(ctx: TenantContext, tx: ProcureToPayTx, settings: P2pSettings, po: StoredPurchaseOrder): Promise<StoredPurchaseOrder> {
  const next = { ...po, reminderSent: true };
  await tx.procureToPay.purchaseOrders.upsert(ctx, next);
  await emit(ctx, tx, settings, p2pEventTypes.ackReminder, po.id, {
    purchaseOrderId: po.id,
    poNumber: po.poNumber,
    supplierId: po.supplierId,
    revision: po.view.revision,
    ...(po.view.acknowledgmentDueBy !== undefined ? { acknowledgmentDueBy: po.view.acknowledgmentDueBy } : {}),
  }, undefined, po.supplierId);
  return next;
}

/** Whether an ERP read leaves the stored order as it is: same ERP status and revision, lines and ERP document. */
function sameErpState(before: StoredPurchaseOrderWithCanonical, next: StoredPurchaseOrderWithCanonical): boolean {
  if (before.erpStatus !== next.erpStatus || before.erpRevision !== next.erpRevision) return false;
  if (!isDeepStrictEqual(before.view.lines, next.view.lines)) return false;
  if (!before.canonical || !next.canonical) return false;
  const { updatedAt: _a, ...was } = before.canonical;
  const { updatedAt: _b, ...now } = next.canonical;
  return isDeepStrictEqual(was, now);
}
