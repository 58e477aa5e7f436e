import { paymentSchema, type Payment } from '@tradelane/canonical';
import { decimalOf, isoDateOf, isoDateTimeOf } from '../codec/tryton-json.codec.js';
import { ERP_TRYTON_SYSTEM } from '../errors.js';
import type { TrytonPaymentRecord } from '../wire/tryton-records.js';
import { trytonDerivedId } from './derived-id.js';
import { invoiceIdOfTryton } from './invoice.from-tryton.js';
import { moneyOf } from './item.from-tryton.js';
import { partyIdOfTryton } from './party.from-tryton.js';
import { validateDocument } from './validate-document.js';

/** Derived canonical id of a customer payment: the paying `account.move.line` and the invoice it pays. */
export const paymentIdOfTryton = (tenantId: string, lineId: number, invoiceId: number) => trytonDerivedId('pay', tenantId, 'payment', `${lineId}/${invoiceId}`);

/** Whether a payment line received money (credit on the receivable account): only those are customer payments. */
export function isPaymentReceived(record: Pick<TrytonPaymentRecord, 'amount'>): boolean {
  return /^\d/.test(record.amount) && /[1-9]/.test(record.amount);
}

/**
 * A payment line of a posted customer invoice as a canonical incoming Payment, completed, allocated in full to that
 * invoice: amount = the line's credit − debit, reference = the payment move's number (else its description, else the
 * line id), paid at the line's date (the time it was recorded when that is the same day).
 */
export function paymentFromTryton(record: TrytonPaymentRecord, context: { tenantId: string }): Payment {
  const created = isoDateTimeOf(record.create_date, '1970-01-01T00:00:00.000Z');
  const date = isoDateOf(record.date) ?? created.slice(0, 10);
  const amount = { amount: moneyOf(decimalOf(record.amount)), currency: record.currency };
  const invoiceNumber = record.invoiceNumber ?? String(record.invoiceId);
  const reference = (record.moveNumber || record.description || `account.move.line ${record.lineId}`).slice(0, 60);
  return validateDocument(
    paymentSchema,
    {
      schemaVersion: 1,
      id: paymentIdOfTryton(context.tenantId, record.lineId, record.invoiceId),
      tenantId: context.tenantId,
      direction: 'incoming',
      partyId: partyIdOfTryton(context.tenantId, record.party),
      method: 'other',
      reference,
      amount,
      status: 'Completed',
      paidAt: created.slice(0, 10) === date ? created : `${date}T00:00:00.000Z`,
      valueDate: date,
      allocations: [{ invoiceId: invoiceIdOfTryton(context.tenantId, record.invoiceId), invoiceNumber, amount }],
      ...(record.journalName || record.description ? { note: [record.journalName, record.description].filter(Boolean).join(': ').slice(0, 500) } : {}),
      externalIds: { [ERP_TRYTON_SYSTEM]: `account.move.line ${record.lineId}` },
      createdAt: created,
      updatedAt: isoDateTimeOf(record.write_date, created),
    },
    `payment line ${record.lineId} of invoice ${invoiceNumber}`,
  );
}
