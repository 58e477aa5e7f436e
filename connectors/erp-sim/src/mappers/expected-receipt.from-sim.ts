import type { ErpExpectedReceipt } from '@tradelane/connector-kit';
import { julianToIsoDate } from '../wire/julian-date.js';
import type { SimExpectedReceipt } from '../wire/sim-purchasing.types.js';

const STATUS = { A: 'InTransit', R: 'Received', C: 'Cancelled' } as const;

/** A simulator expected receipt as an {@link ErpExpectedReceipt}: `A` → InTransit, `R` → Received, `C` → Cancelled. */
export function expectedReceiptFromSim(expected: SimExpectedReceipt): ErpExpectedReceipt {
  return {
    asnNumber: expected.VASN,
    erpNumber: String(expected.ERN),
    status: STATUS[expected.STS],
    expectedDate: julianToIsoDate(expected.EXDJ),
    poNumbers: [...new Set(expected.LINES.map((l) => String(l.DOCO)))],
  };
}
