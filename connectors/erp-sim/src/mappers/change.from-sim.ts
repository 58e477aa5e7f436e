import type { ErpChange } from '@tradelane/connector-kit';
import { julianToIsoDateTime } from '../wire/julian-date.js';
import type { SimChange, SimPaymentTerms } from '../wire/sim-wire.types.js';
import { inventoryFromSim } from './inventory.from-sim.js';
import { invoiceFromSim } from './invoice.from-sim.js';
import { orderFromSim } from './order.from-sim.js';
import { paymentFromSim } from './payment.from-sim.js';
import { purchaseOrderFromSim } from './purchase-order.from-sim.js';
import { receiptFromSim } from './receipt.from-sim.js';
import { supplierInvoiceFromSim } from './supplier-invoice.from-sim.js';

/**
 * One change feed record in hub vocabulary: `SO` → order.updated, `RI` → invoice.issued, `RM` → credit_memo.issued,
 * `PY` → payment.received, `IV` → inventory.changed (every branch of the item), `OP` → purchase_order.updated, `OV` →
 * receipt.recorded, `PV` → supplier_invoice.recorded (when entered and at each match decision). The time is the ERP's
 * change stamp.
 */
export function changeFromSim(change: SimChange, context: { tenantId: string; terms: ReadonlyMap<string, SimPaymentTerms> }): ErpChange {
  const at = julianToIsoDateTime(change.UPMJ, change.TDAY);
  const changeId = String(change.SEQ);
  switch (change.TYP) {
    case 'SO':
      return { kind: 'order.updated', order: orderFromSim(change.DATA), at, changeId };
    case 'RI':
      return { kind: 'invoice.issued', invoice: invoiceFromSim(change.DATA, context), orderReference: change.DATA.EXTREF, at, changeId };
    case 'RM':
      return { kind: 'credit_memo.issued', invoice: invoiceFromSim(change.DATA, context), returnReference: change.DATA.RMAEXT, at, changeId };
    case 'PY':
      return { kind: 'payment.received', payment: paymentFromSim(change.DATA, context), at, changeId };
    case 'IV':
      return { kind: 'inventory.changed', positions: change.DATA.map((row) => inventoryFromSim(row, { tenantId: context.tenantId, asOf: at })), at, changeId };
    case 'OP':
      return { kind: 'purchase_order.updated', purchaseOrder: purchaseOrderFromSim(change.DATA, context), at, changeId };
    case 'OV':
      return { kind: 'receipt.recorded', receipt: receiptFromSim(change.DATA, context), at, changeId };
    case 'PV':
      return { kind: 'supplier_invoice.recorded', supplierInvoice: supplierInvoiceFromSim(change.DATA, context), at, changeId };
  }
}
