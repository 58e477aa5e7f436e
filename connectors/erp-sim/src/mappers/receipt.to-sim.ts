import type { Receipt } from '@tradelane/canonical';
import { erpNumberOf } from '../errors.js';
import { isoToJulian, toTimeOfDay } from '../wire/julian-date.js';
import { formatLnid } from '../wire/line-number.js';
import type { SimReceiptRequest } from '../wire/sim-purchasing.types.js';
import { unitToSim } from './unit-code.mapper.js';

/**
 * A canonical receipt as the simulator's receipt request against purchase order `doco`: the hub's reference as
 * `RCTREF` (idempotency key), the warehouse as `MCU`, quantity into stock and damaged quantity refused per order line,
 * and the hub's ship notice id as `ASNREF`.
 */
export function receiptToSim(receipt: Receipt, reference: string): { doco: number; body: SimReceiptRequest } {
  return {
    doco: erpNumberOf(receipt.poNumber, 'purchase order'),
    body: {
      RCTREF: reference,
      MCU: receipt.locationId,
      RCDJ: isoToJulian(receipt.receivedAt),
      RCTM: toTimeOfDay(new Date(receipt.receivedAt)),
      ...(receipt.asnId ? { ASNREF: receipt.asnId } : {}),
      LINES: receipt.lines.map((l) => ({
        LNID: formatLnid(l.lineNumber),
        UREC: l.quantity,
        ...(l.quantityDamaged !== undefined ? { UREJ: l.quantityDamaged } : {}),
        UOM: unitToSim(l.unit),
        ...(l.lot ? { LOTN: l.lot } : {}),
      })),
    },
  };
}
