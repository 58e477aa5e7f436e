import { purchaseOrderSchema, type PurchaseOrder, type PurchaseOrderLineStatus, type PurchaseOrderState } from '@tradelane/canonical';
import type { ErpLineAcknowledgment, ErpPurchaseOrder, ErpPurchaseOrderStatus } from '@tradelane/connector-kit';
import { ERP_SIM_SYSTEM } from '../errors.js';
import { julianToIsoDate, julianToIsoDateTime } from '../wire/julian-date.js';
import { parseLnid } from '../wire/line-number.js';
import { simPurchaseStatus as S, type SimPurchaseOrder, type SimPurchaseOrderLine, type SimSendMethod } from '../wire/sim-purchasing.types.js';
import type { SimPaymentTerms } from '../wire/sim-wire.types.js';
import { itemIdOf, partyIdOf, purchaseOrderIdOf } from './derived-id.js';
import { paymentTermsFromSim } from './party.from-sim.js';
import { unitFromSim } from './unit-code.mapper.js';
import { validateDocument } from './validate-document.js';

const CHANNELS: Record<SimSendMethod, PurchaseOrder['channel']> = { E: 'edi', W: 'portal', A: 'api', F: 'csv', M: 'email' };
const ACKNOWLEDGMENTS: Record<string, ErpLineAcknowledgment> = { IA: 'accepted', IC: 'changed', IB: 'backordered', IR: 'rejected' };

const open = (l: SimPurchaseOrderLine) => l.UCAN < l.UORG;

/**
 * The hub's view of where a simulator purchase order stands: all lines 980 → Cancelled; 999 → Closed; 460 →
 * Invoiced; 400 → Received; some received → PartiallyReceived; some in transit → InTransit; every open line
 * acknowledged → Acknowledged; approved → Approved; otherwise Entered.
 */
export function purchaseOrderStatusFromSim(po: SimPurchaseOrder): ErpPurchaseOrderStatus {
  const lines = po.LINES.filter(open);
  if (lines.length === 0) return 'Cancelled';
  const lowest = Math.min(...lines.map((l) => l.LTTR));
  if (lowest >= S.closed) return 'Closed';
  if (lowest >= S.vouchered) return 'Invoiced';
  if (lowest >= S.received) return 'Received';
  if (lines.some((l) => l.UREC > 0)) return 'PartiallyReceived';
  if (lines.some((l) => l.UITR > 0)) return 'InTransit';
  if (po.APRJ > 0 && lines.every((l) => l.ACKC !== '')) return 'Acknowledged';
  return po.APRJ > 0 ? 'Approved' : 'Entered';
}

/** The canonical lifecycle state the ERP's facts amount to (publication is the hub's business, so never `Published`). */
function canonicalState(po: SimPurchaseOrder, status: ErpPurchaseOrderStatus): PurchaseOrderState {
  if (status === 'Cancelled' || status === 'Closed') return status;
  if (po.MTST === 'D') return 'Disputed';
  if (status === 'Invoiced') return po.MTST === 'A' ? 'Matched' : 'Invoiced';
  if (status === 'Received' || status === 'PartiallyReceived') return status;
  if (status === 'InTransit') return 'Shipped';
  if (status === 'Entered') return 'Draft';
  const lines = po.LINES.filter(open);
  if (po.RVNO > 0 && lines.some((l) => l.ACKC === '')) return 'Changed';
  if (status === 'Acknowledged') return 'Acknowledged';
  return lines.some((l) => l.ACKC !== '') ? 'PartiallyAcknowledged' : 'Approved';
}

function lineState(line: SimPurchaseOrderLine): PurchaseOrderLineStatus {
  if (!open(line)) return line.ACKC === 'IR' ? 'Rejected' : 'Cancelled';
  if (line.LTTR >= S.closed) return 'Closed';
  if (line.LTTR >= S.received) return 'Received';
  if (line.UREC > 0) return 'PartiallyReceived';
  if (line.UITR > 0) return 'Shipped';
  if (line.ACKC === 'IB') return 'Backordered';
  if (line.ACKC === 'IC') return 'Changed';
  if (line.ACKC === 'IA') return 'Acknowledged';
  return 'Open';
}

/**
 * A simulator purchase order as a canonical PurchaseOrder: id derived from the order number, supplier party, the
 * supplier's send method as channel, the branch as ship-to, revision, lines with supplier item numbers, acknowledged,
 * shipped (in transit + received), received and invoiced quantities.
 */
export function canonicalPurchaseOrderFromSim(po: SimPurchaseOrder, context: { tenantId: string; terms: ReadonlyMap<string, SimPaymentTerms> }): PurchaseOrder {
  const currency = po.CRCD;
  const money = (amount: string) => ({ amount, currency });
  const terms = context.terms.get(po.PTC);
  const status = purchaseOrderStatusFromSim(po);
  return validateDocument(
    purchaseOrderSchema,
    {
      schemaVersion: 1,
      id: purchaseOrderIdOf(context.tenantId, po.DOCO),
      tenantId: context.tenantId,
      poNumber: String(po.DOCO),
      revision: po.RVNO,
      supplierId: partyIdOf(context.tenantId, po.AN8),
      status: canonicalState(po, status),
      orderedAt: julianToIsoDateTime(po.TRDJ, po.TRTM),
      ...(po.BUYR ? { buyer: { name: po.BUYR, role: 'buyer' } } : {}),
      channel: CHANNELS[po.SNDM] ?? 'email',
      currency,
      ...(terms ? { paymentTerms: paymentTermsFromSim(terms) } : {}),
      shipToLocationId: po.MCU,
      shipTo: {
        code: po.MCU,
        name: po.SHTO.ALPH,
        address: { line1: po.SHTO.ADD1, city: po.SHTO.CTY1, region: po.SHTO.ADDS, postalCode: po.SHTO.ADDZ, country: po.SHTO.CTR },
      },
      lines: po.LINES.map((l) => {
        const quantity = l.UORG - l.UCAN > 0 ? l.UORG - l.UCAN : l.UORG;
        return {
          lineNumber: parseLnid(l.LNID),
          itemId: itemIdOf(context.tenantId, l.LITM),
          sku: l.LITM,
          ...(l.VITM ? { supplierPartNumber: l.VITM } : {}),
          description: l.DSC1,
          quantity: String(quantity),
          unit: unitFromSim(l.UOM),
          unitPrice: money(l.PRRC),
          requestedDate: julianToIsoDate(l.DRQJ || po.DRQJ),
          ...(l.PDDJ ? { promisedDate: julianToIsoDate(l.PDDJ) } : {}),
          status: lineState(l),
          ...(l.ACKC && l.ACKC !== 'IR' ? { quantityAcknowledged: String(l.UORG - l.UCAN) } : l.ACKC === 'IR' ? { quantityAcknowledged: '0' } : {}),
          quantityShipped: String(l.UITR + l.UREC),
          quantityReceived: String(l.UREC),
          quantityInvoiced: String(l.UVCH),
        };
      }),
      totals: { subtotal: money(po.OTOT), tax: money('0.00'), freight: money('0.00'), total: money(po.OTOT) },
      ...(po.HDTX ? { notes: po.HDTX } : {}),
      externalIds: { [ERP_SIM_SYSTEM]: String(po.DOCO) },
      createdAt: julianToIsoDateTime(po.TRDJ, po.TRTM),
      updatedAt: julianToIsoDateTime(po.UPMJ, po.TDAY),
    },
    `purchase order ${po.DOCO}`,
  );
}

/** A simulator purchase order as an {@link ErpPurchaseOrder}: the ERP's state and line quantities plus the canonical document. */
export function purchaseOrderFromSim(po: SimPurchaseOrder, context: { tenantId: string; terms: ReadonlyMap<string, SimPaymentTerms> }): ErpPurchaseOrder {
  return {
    poNumber: String(po.DOCO),
    status: purchaseOrderStatusFromSim(po),
    origin: po.ORIG === 'R' ? 'replenishment' : 'buyer',
    lines: po.LINES.map((l) => ({
      lineNumber: parseLnid(l.LNID),
      sku: l.LITM,
      ...(l.VITM ? { supplierPartNumber: l.VITM } : {}),
      unit: unitFromSim(l.UOM),
      quantityOrdered: String(l.UORG),
      quantityCancelled: String(l.UCAN),
      quantityInTransit: String(l.UITR),
      quantityReceived: String(l.UREC),
      quantityInvoiced: String(l.UVCH),
      unitPrice: l.PRRC,
      warehouseId: l.MCU,
      ...(l.DRQJ ? { requestedDate: julianToIsoDate(l.DRQJ) } : {}),
      ...(l.PDDJ ? { promisedDate: julianToIsoDate(l.PDDJ) } : {}),
      ...(l.EXDJ ? { expectedDate: julianToIsoDate(l.EXDJ) } : {}),
      ...(l.ACKC ? { acknowledgment: ACKNOWLEDGMENTS[l.ACKC] } : {}),
    })),
    purchaseOrder: canonicalPurchaseOrderFromSim(po, context),
    updatedAt: julianToIsoDateTime(po.UPMJ, po.TDAY),
  };
}
