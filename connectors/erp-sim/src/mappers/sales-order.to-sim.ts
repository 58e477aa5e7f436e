import type { SalesOrder } from '@tradelane/canonical';
import { isoToJulian } from '../wire/julian-date.js';
import { formatLnid } from '../wire/line-number.js';
import type { SimOrderRequest } from '../wire/sim-wire.types.js';
import { unitToSim } from './unit-code.mapper.js';

/** ERP keys the connector resolved for an order: customer and ship-to address numbers, item per line. */
export interface ResolvedOrderKeys {
  an8: number;
  /** Ship-to address number; omitted → the customer's first ship-to. */
  shan?: number | undefined;
  /** Item per hub line number: the second item number, or a customer item number for the ERP to cross-reference. */
  items: ReadonlyMap<number, { LITM: string } | { CITM: string }>;
}

/**
 * A canonical sales order as the simulator's order entry request: external reference = the hub's reference, line
 * numbers kept ("3" → "3.000"), units in the simulator's codes, cancelled and rejected lines left out. Prices are not
 * sent: the ERP prices the order from its own books and the connector reports its prices back.
 */
export function salesOrderToSim(order: SalesOrder, reference: string, keys: ResolvedOrderKeys, defaults: { company: string; warehouse?: string | undefined }): SimOrderRequest {
  return {
    DCTO: 'SO',
    KCOO: defaults.company,
    AN8: keys.an8,
    ...(keys.shan !== undefined ? { SHAN: keys.shan } : {}),
    VR01: order.customerPoNumber.slice(0, 25),
    EXTREF: reference,
    ...(order.requestedDeliveryDate ? { DRQJ: isoToJulian(order.requestedDeliveryDate) } : {}),
    ...(defaults.warehouse ? { MCU: defaults.warehouse } : {}),
    ...(order.requestedCarrier ? { CARS: order.requestedCarrier.code } : {}),
    ...(order.notes ? { HDTX: order.notes } : {}),
    LINES: order.lines
      .filter((l) => l.status !== 'Cancelled' && l.status !== 'Rejected')
      .map((l) => ({
        LNID: formatLnid(l.lineNumber),
        ...keys.items.get(l.lineNumber),
        UORG: l.quantity,
        UOM: unitToSim(l.unit),
        ...(l.requestedDate ? { DRQJ: isoToJulian(l.requestedDate) } : {}),
      })),
  };
}
