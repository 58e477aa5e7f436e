import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PermanentError } from '@tradelane/core';
import { invoiceFromTryton, invoiceIdOfTryton, isCreditNote } from './invoice.from-tryton.js';
import { partyIdOfTryton } from './party.from-tryton.js';
import { isPaymentReceived, paymentFromTryton, paymentIdOfTryton } from './payment.from-tryton.js';
import { returnFromTryton } from './return.from-tryton.js';
import type { TrytonInvoiceRecord, TrytonPaymentRecord } from '../wire/tryton-records.js';

const dt = (hour: number) => ({ __class__: 'datetime', year: 2026, month: 5, day: 6, hour, minute: 0, second: 0, microsecond: 0 });
const date = (day: number) => ({ __class__: 'date', year: 2026, month: 5, day });
const dec = (decimal: string) => ({ __class__: 'Decimal', decimal });

const creditNote: TrytonInvoiceRecord = {
  id: 41,
  number: 'INV0041',
  state: 'posted',
  invoice_date: date(6),
  'currency.code': 'USD',
  party: 7,
  'party.code': 'C1001',
  'party.name': 'Acme Hardware',
  'payment_term.name': 'Net 30',
  untaxed_amount: dec('-41.70'),
  tax_amount: dec('0'),
  total_amount: dec('-41.70'),
  amount_to_pay: dec('-41.70'),
  create_date: dt(9),
  write_date: dt(10),
  dueDate: '2026-06-05',
  address: { street: '100 Main Street', city: 'Chicago', postal_code: '60607', country_code: 'US' },
  saleReference: 'rma_01J00000000000000000000000',
  lines: [
    { id: 1, type: 'line', 'product.code': 'TL-1001', description: 'TL-1001 returned', quantity: -3, 'unit.symbol': 'u', unit_price: dec('12.5000'), amount: dec('-37.50') },
    { id: 2, type: 'line', 'product.code': 'TL-1002', description: null, quantity: -1, 'unit.symbol': 'u', unit_price: dec('4.2000'), amount: dec('-4.20') },
  ],
};

test('a customer invoice with a negative total is a credit memo with positive quantities and amounts', () => {
  assert.equal(isCreditNote(creditNote), true);
  const memo = invoiceFromTryton(creditNote, { tenantId: 'acme' });
  assert.equal(memo.kind, 'credit_memo');
  assert.equal(memo.direction, 'receivable');
  assert.equal(memo.status, 'Issued');
  assert.equal(memo.id, invoiceIdOfTryton('acme', 41));
  assert.deepEqual(memo.lines.map((l) => [l.lineNumber, l.sku, l.quantity, l.unit, l.unitPrice.amount, l.lineAmount.amount]), [
    [1, 'TL-1001', '3', 'EA', '12.50', '37.50'],
    [2, 'TL-1002', '1', 'EA', '4.20', '4.20'],
  ]);
  assert.deepEqual([memo.totals.subtotal.amount, memo.totals.total.amount, memo.amountDue.amount], ['41.70', '41.70', '41.70']);
  assert.deepEqual(memo.orderRefs, [], 'a return reference is not a sales order');
  // paid (reconciled against an invoice or refunded)
  assert.equal(invoiceFromTryton({ ...creditNote, state: 'paid', amount_to_pay: dec('0') }, { tenantId: 'acme' }).status, 'Paid');
  // a zero total made of negative lines is a credit note too; an ordinary invoice is not
  assert.equal(isCreditNote({ total_amount: dec('0'), lines: [{ ...creditNote.lines[0]!, quantity: -1 }] }), true);
  const invoice = { ...creditNote, total_amount: dec('41.70'), untaxed_amount: dec('41.70'), amount_to_pay: dec('41.70'), saleReference: null, lines: creditNote.lines.map((l) => ({ ...l, quantity: -(l.quantity ?? 0), amount: dec(String(l.amount && (l.amount as { decimal: string }).decimal).replace('-', '')) })) };
  assert.equal(isCreditNote(invoice), false);
  assert.equal(invoiceFromTryton(invoice, { tenantId: 'acme' }).kind, 'invoice');
});

const payment: TrytonPaymentRecord = {
  id: 90,
  lineId: 90,
  invoiceId: 33,
  invoiceNumber: 'INV0033',
  party: 7,
  currency: 'USD',
  amount: '10',
  date: date(6),
  moveNumber: 'CASH0004',
  description: 'check 1001',
  journalName: 'Cash',
  create_date: dt(11),
  write_date: dt(12),
};

test('a payment line of a customer invoice is an incoming Payment allocated to that invoice', () => {
  const p = paymentFromTryton(payment, { tenantId: 'acme' });
  assert.equal(p.id, paymentIdOfTryton('acme', 90, 33));
  assert.equal(p.direction, 'incoming');
  assert.equal(p.status, 'Completed');
  assert.equal(p.partyId, partyIdOfTryton('acme', 7));
  assert.equal(p.reference, 'CASH0004');
  assert.deepEqual(p.amount, { amount: '10.00', currency: 'USD' });
  assert.equal(p.paidAt, '2026-05-06T11:00:00.000Z', 'recorded the same day: the time it was entered');
  assert.equal(p.valueDate, '2026-05-06');
  assert.deepEqual(p.allocations, [{ invoiceId: invoiceIdOfTryton('acme', 33), invoiceNumber: 'INV0033', amount: { amount: '10.00', currency: 'USD' } }]);
  assert.equal(p.note, 'Cash: check 1001');
  // entered later for an earlier date; no move number yet
  const earlier = paymentFromTryton({ ...payment, date: date(2), moveNumber: null, description: null, journalName: null }, { tenantId: 'acme' });
  assert.equal(earlier.paidAt, '2026-05-02T00:00:00.000Z');
  assert.equal(earlier.reference, 'account.move.line 90');
  assert.equal(isPaymentReceived(payment), true);
  assert.equal(isPaymentReceived({ amount: '-5' }), false, 'money paid out (a refund) is not a payment received');
  assert.equal(isPaymentReceived({ amount: '0' }), false);
  assert.throws(() => paymentFromTryton({ ...payment, amount: '-5' }, { tenantId: 'acme' }), (e: unknown) => e instanceof PermanentError && e.code === 'TL_ERP_TRYTON_MAPPING_INVALID');
});

test('a return sale maps to an ErpReturn status: authorized, received, credited, rejected', () => {
  const base = { reference: 'rma_1', number: 'SO0042', state: 'processing', shipmentStates: ['draft'], invoices: [] as Array<{ number: string | null; state: string }> };
  assert.deepEqual(returnFromTryton(base), { reference: 'rma_1', erpReturnNumber: 'SO0042', status: 'Authorized' });
  assert.equal(returnFromTryton({ ...base, shipmentStates: ['done', 'draft'] }).status, 'Received');
  assert.equal(returnFromTryton({ ...base, shipmentStates: ['done'], invoices: [{ number: null, state: 'draft' }] }).status, 'Received', 'a draft credit note is not credited yet');
  assert.deepEqual(returnFromTryton({ ...base, shipmentStates: ['done'], invoices: [{ number: 'INV0041', state: 'posted' }] }), { reference: 'rma_1', erpReturnNumber: 'SO0042', status: 'Credited', creditMemoNumber: 'INV0041' });
  assert.equal(returnFromTryton({ ...base, state: 'cancelled' }).status, 'Rejected');
});
