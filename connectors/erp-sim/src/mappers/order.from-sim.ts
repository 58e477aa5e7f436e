import type { ErpOrder, ErpOrderStatus } from '@tradelane/connector-kit';
import { julianToIsoDate, julianToIsoDateTime } from '../wire/julian-date.js';
import { parseLnid } from '../wire/line-number.js';
import { simOrderStatus, type SimOrder } from '../wire/sim-wire.types.js';
import { unitFromSim } from './unit-code.mapper.js';

/**
 * The hub's view of where a simulator order stands, from its hold code and line status codes and quantities:
 * all lines 980 → Cancelled; a hold → OnHold; 620 → Closed; 600 → Invoiced; 580 → Shipped; some shipped →
 * PartiallyShipped; 570 → Released; otherwise Backordered / PartiallyAllocated / Allocated / Entered by quantities.
 */
export function orderStatusFromSim(order: SimOrder): ErpOrderStatus {
  const open = order.LINES.filter((l) => l.LTTR !== simOrderStatus.cancelled);
  if (open.length === 0) return 'Cancelled';
  if (order.HOLD) return 'OnHold';
  const lowest = Math.min(...open.map((l) => l.LTTR));
  if (lowest >= simOrderStatus.closed) return 'Closed';
  if (lowest >= simOrderStatus.invoiced) return 'Invoiced';
  if (lowest >= simOrderStatus.shipConfirmed) return 'Shipped';
  if (open.some((l) => l.SOQS > 0)) return 'PartiallyShipped';
  if (open.some((l) => l.LTTR >= simOrderStatus.released)) return 'Released';
  const backordered = open.some((l) => l.SOBK > 0);
  const allocated = open.some((l) => l.QCOM > 0);
  if (backordered) return allocated ? 'PartiallyAllocated' : 'Backordered';
  return allocated ? 'Allocated' : 'Entered';
}

/** A simulator order as an {@link ErpOrder}: reference = `EXTREF` (empty for orders entered in the ERP itself). */
export function orderFromSim(order: SimOrder): ErpOrder {
  return {
    reference: order.EXTREF ?? '',
    erpOrderNumber: String(order.DOCO),
    status: orderStatusFromSim(order),
    holdReason: order.HOLD ? `${order.HOLD}: ${order.HLDS ?? 'on hold'}` : undefined,
    lines: order.LINES.map((l) => ({
      lineNumber: parseLnid(l.LNID),
      sku: l.LITM,
      quantity: String(l.UORG),
      unit: unitFromSim(l.UOM),
      quantityAllocated: String(l.QCOM),
      quantityBackordered: String(l.SOBK),
      quantityShipped: String(l.SOQS),
      // A released line ships up to its committed quantity, also what a filled backorder commits after release.
      quantityReleased: String(l.RLSJ ? l.SOQS + l.QCOM : l.SOQS),
      warehouseId: l.MCU,
      promisedDate: l.PDDJ ? julianToIsoDate(l.PDDJ) : undefined,
      unitPrice: l.UPRC,
    })),
    total: order.OTOT,
    updatedAt: julianToIsoDateTime(order.UPMJ, order.TDAY),
  };
}
