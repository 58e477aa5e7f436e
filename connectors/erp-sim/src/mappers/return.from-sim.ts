import type { ErpReturn } from '@tradelane/connector-kit';
import { simReturnStatus, type SimReturn } from '../wire/sim-wire.types.js';

const STATUS: Record<number, ErpReturn['status']> = {
  [simReturnStatus.authorized]: 'Authorized',
  [simReturnStatus.rejected]: 'Rejected',
  [simReturnStatus.received]: 'Received',
  [simReturnStatus.credited]: 'Credited',
};

/** A simulator return as an {@link ErpReturn}: 910 Authorized, 915 Rejected, 930 Received, 940 Credited. */
export function returnFromSim(rma: SimReturn): ErpReturn {
  return {
    reference: rma.EXTREF,
    erpReturnNumber: String(rma.RMAN),
    status: STATUS[rma.LTTR] ?? 'Authorized',
    ...(rma.CMDOC !== undefined ? { creditMemoNumber: String(rma.CMDOC) } : {}),
  };
}
