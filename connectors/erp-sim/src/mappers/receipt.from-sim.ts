import { isId, receiptSchema } from '@tradelane/canonical';
import type { ErpPurchaseReceipt } from '@tradelane/connector-kit';
import { julianToIsoDateTime } from '../wire/julian-date.js';
import { parseLnid } from '../wire/line-number.js';
import type { SimReceipt } from '../wire/sim-purchasing.types.js';
import { asnIdOf, purchaseOrderIdOf } from './derived-id.js';
import { unitFromSim } from './unit-code.mapper.js';
import { validateDocument } from './validate-document.js';

/**
 * A simulator purchase order receipt (`OV`) as an {@link ErpPurchaseReceipt} with a canonical Receipt: quantity into
 * stock and quantity refused per order line; the ship notice is the hub's id when the ERP holds it (`ASNREF`).
 */
export function receiptFromSim(receipt: SimReceipt, context: { tenantId: string }): ErpPurchaseReceipt {
  const asnId = receipt.ASNREF && isId(receipt.ASNREF, 'asn') ? receipt.ASNREF : receipt.VASN ? asnIdOf(context.tenantId, receipt.AN8, receipt.VASN) : undefined;
  return {
    reference: receipt.RCTREF,
    erpReceiptNumber: String(receipt.RCTN),
    poNumber: String(receipt.DOCO),
    receipt: validateDocument(
      receiptSchema,
      {
        purchaseOrderId: purchaseOrderIdOf(context.tenantId, receipt.DOCO),
        poNumber: String(receipt.DOCO),
        ...(asnId ? { asnId } : {}),
        locationId: receipt.MCU,
        receivedAt: julianToIsoDateTime(receipt.RCDJ, receipt.RCTM),
        lines: receipt.LINES.map((l) => ({
          lineNumber: parseLnid(l.LNID),
          sku: l.LITM,
          quantity: String(l.UREC),
          ...(l.UREJ > 0 ? { quantityDamaged: String(l.UREJ) } : {}),
          unit: unitFromSim(l.UOM),
          ...(l.LOTN ? { lot: l.LOTN } : {}),
        })),
      },
      `receipt OV ${receipt.RCTN}`,
    ),
  };
}
