import { isId, receiptSchema } from '@tradelane/canonical';
import type { ErpPurchaseReceipt } from '@tradelane/connector-kit';
import { isoDateTimeOf } from '../codec/tryton-json.codec.js';
import type { TrytonReceiptRecord } from '../wire/tryton-purchase-records.js';
import { trytonDerivedId } from './derived-id.js';
import { purchaseOrderIdOfTryton, quantityText } from './purchase-order.from-tryton.js';
import { unitFromTryton } from './unit.mapper.js';
import { validateDocument } from './validate-document.js';

/** The receipt reference of goods received on a supplier shipment in Tryton without the hub (`stock.shipment.in/<id>/<purchase id>`). */
export const receiptReferenceOfTryton = (shipmentId: number, purchaseId: number) => `stock.shipment.in/${shipmentId}/${purchaseId}`;

/**
 * The goods of one purchase received on a done `stock.shipment.in` as an {@link ErpPurchaseReceipt}: the hub's
 * reference and ship notice id when the hub recorded them (kept in notes on the shipment), else ones derived from the
 * shipment; receipt number = the shipment's `number`; quantities from its done incoming moves per purchase line.
 */
export function receiptFromTryton(record: TrytonReceiptRecord, context: { tenantId: string; unitMap?: Readonly<Record<string, string>> }): ErpPurchaseReceipt {
  const asnId = record.hubAsnId && isId(record.hubAsnId, 'asn') ? record.hubAsnId : record.asnNumber ? trytonDerivedId('asn', context.tenantId, 'shipment.in', `${record.supplier}/${record.asnNumber}`) : undefined;
  const receivedAt = record.effectiveDate ? `${record.effectiveDate}T00:00:00.000Z` : isoDateTimeOf(record.write_date, '1970-01-01T00:00:00.000Z');
  return {
    reference: record.hubReference ?? receiptReferenceOfTryton(record.shipmentId, record.purchaseId),
    erpReceiptNumber: record.shipmentNumber ?? String(record.shipmentId),
    poNumber: record.poNumber,
    receipt: validateDocument(
      receiptSchema,
      {
        purchaseOrderId: purchaseOrderIdOfTryton(context.tenantId, record.purchaseId),
        poNumber: record.poNumber,
        ...(asnId ? { asnId } : {}),
        locationId: record.warehouseCode ?? 'WH',
        receivedAt,
        lines: record.lines.map((l) => ({ lineNumber: l.lineNumber, sku: l.sku, quantity: quantityText(l.quantity), unit: unitFromTryton(l.unitSymbol, context.unitMap) })),
      },
      `receipt ${record.shipmentNumber ?? record.shipmentId}`,
    ),
  };
}
