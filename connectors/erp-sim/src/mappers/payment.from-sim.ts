import { paymentSchema, type Payment } from '@tradelane/canonical';
import { ERP_SIM_SYSTEM } from '../errors.js';
import { julianToIsoDate, julianToIsoDateTime } from '../wire/julian-date.js';
import type { SimPayment } from '../wire/sim-wire.types.js';
import { derivedId, invoiceIdOf, partyIdOf } from './derived-id.js';
import { validateDocument } from './validate-document.js';

const METHODS = { C: 'check', A: 'ach', W: 'wire', R: 'card' } as const;

/** A simulator receipt as a canonical incoming Payment allocated to its one invoice. */
export function paymentFromSim(payment: SimPayment, context: { tenantId: string }): Payment {
  const at = julianToIsoDateTime(payment.UPMJ, payment.TDAY);
  const amount = { amount: payment.PAAP, currency: payment.CRCD };
  return validateDocument(
    paymentSchema,
    {
      schemaVersion: 1,
      id: derivedId('pay', context.tenantId, 'payment', String(payment.PYID)),
      tenantId: context.tenantId,
      direction: 'incoming',
      partyId: partyIdOf(context.tenantId, payment.AN8),
      method: METHODS[payment.PYIN] ?? 'other',
      reference: payment.CKNU,
      amount,
      status: 'Completed',
      paidAt: payment.DMTJ === payment.UPMJ ? at : julianToIsoDateTime(payment.DMTJ),
      valueDate: julianToIsoDate(payment.DMTJ),
      allocations: [{ invoiceId: invoiceIdOf(context.tenantId, payment.DCT, payment.DOC), invoiceNumber: String(payment.DOC), amount }],
      externalIds: { [ERP_SIM_SYSTEM]: String(payment.PYID) },
      createdAt: at,
      updatedAt: at,
    },
    `payment ${payment.PYID}`,
  );
}
