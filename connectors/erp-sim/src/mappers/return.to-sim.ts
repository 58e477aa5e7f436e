import type { ReturnAuthorization, ReturnReasonCode } from '@tradelane/canonical';
import { formatLnid } from '../wire/line-number.js';
import type { SimReturnReason, SimReturnRequest } from '../wire/sim-wire.types.js';
import { unitToSim } from './unit-code.mapper.js';

const REASONS: Record<ReturnReasonCode, SimReturnReason> = {
  damaged_in_transit: 'DMG',
  defective: 'DEF',
  wrong_item: 'WRG',
  not_ordered: 'NOR',
  over_shipped: 'OVS',
  expired: 'EXP',
  no_longer_needed: 'NLN',
  recall: 'RCL',
  other: 'OTH',
};

/**
 * A canonical return authorisation as the simulator's return request: external reference = the hub's reference,
 * original order by its external reference (the hub's sales order id) and line, reason codes in the ERP's codes.
 */
export function returnToSim(rma: ReturnAuthorization, reference: string, an8: number): SimReturnRequest {
  return {
    EXTREF: reference,
    AN8: an8,
    MCU: rma.returnToLocationId,
    LINES: rma.lines.map((l) => ({
      LNID: formatLnid(l.lineNumber),
      LITM: l.sku,
      UOM: unitToSim(l.unit),
      UORG: l.quantity,
      RCD: REASONS[l.reasonCode],
      ...(l.salesOrderId ? { OEXT: l.salesOrderId } : {}),
      ...(l.salesOrderLineNumber !== undefined ? { OLNID: formatLnid(l.salesOrderLineNumber) } : {}),
    })),
  };
}
