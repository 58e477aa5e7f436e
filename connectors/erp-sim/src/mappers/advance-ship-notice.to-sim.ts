import type { AdvanceShipNotice } from '@tradelane/canonical';
import { erpNumberOf } from '../errors.js';
import { isoToJulian } from '../wire/julian-date.js';
import { formatLnid } from '../wire/line-number.js';
import type { SimExpectedReceiptRequest } from '../wire/sim-purchasing.types.js';
import { unitToSim } from './unit-code.mapper.js';

const PURPOSES = { original: '00', replace: '05', cancel: '01' } as const;

/**
 * A canonical ship notice as the simulator's expected receipt request for supplier `an8`: the supplier's ship notice
 * number, purpose (`00` original, `05` replace, `01` cancel), ship and expected delivery dates, and one line per item
 * of every pack (the ERP adds up lines of the same purchase order line); the hub's id is kept as `ASNREF`.
 */
export function asnToSim(asn: AdvanceShipNotice, an8: number): SimExpectedReceiptRequest {
  return {
    AN8: an8,
    VASN: asn.asnNumber,
    PURP: PURPOSES[asn.purpose],
    ASNREF: asn.id,
    SHPJ: isoToJulian(asn.shippedAt),
    ...(asn.expectedDeliveryDate ? { EXDJ: isoToJulian(asn.expectedDeliveryDate) } : {}),
    CARS: asn.carrier.code,
    ...(asn.trackingNumber ? { TRKN: asn.trackingNumber } : {}),
    LINES:
      asn.purpose === 'cancel'
        ? []
        : asn.orders.flatMap((order) => {
            const doco = erpNumberOf(order.poNumber, 'purchase order');
            return order.packs.flatMap((pack) => pack.items.map((item) => ({ DOCO: doco, LNID: formatLnid(item.lineNumber), QTY: item.quantity, UOM: unitToSim(item.unit) })));
          }),
  };
}
