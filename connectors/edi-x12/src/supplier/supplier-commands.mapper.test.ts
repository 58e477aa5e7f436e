import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AdvanceShipNotice, Invoice, PurchaseOrder, PurchaseOrderAcknowledgment } from '@tradelane/canonical';
import { InputError } from '@tradelane/core';
import { x12856ToAdvanceShipNotice } from '../mappers/asn-856.to-canonical.js';
import { x12810ToInvoice } from '../mappers/invoice-810.to-canonical.js';
import { contextFor, fixtureSet, itemIds, supplierProfile } from '../mappers/mapping-test.fixture.js';
import { x12850ToPurchaseOrder } from '../mappers/po-850.to-canonical.js';
import { x12855ToAcknowledgment } from '../mappers/poa-855.to-canonical.js';
import { acknowledgmentLineSubmission, acknowledgmentToSubmission, asnToSubmission, invoiceToSubmission, supplierCommandErrorCodes } from './supplier-commands.mapper.js';

const ctx = contextFor(supplierProfile);
const po: PurchaseOrder = x12850ToPurchaseOrder(fixtureSet('po-850.edi'), ctx, { itemIdForSku: (s) => itemIds.get(s) });
const ack: PurchaseOrderAcknowledgment = x12855ToAcknowledgment(fixtureSet('poa-855.edi'), ctx, po);
const asn: AdvanceShipNotice = x12856ToAdvanceShipNotice(fixtureSet('asn-856.edi'), ctx);
const invoice: Invoice = x12810ToInvoice(fixtureSet('invoice-810.edi'), ctx);

function refused(fn: () => unknown, code: string, field?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InputError, 'an InputError');
    assert.equal(err.code, code);
    if (field) assert.equal(err.details?.field, field);
    return true;
  });
}

describe('855 acknowledgment → acknowledge submission', () => {
  it('maps accept, quantity change + backorder and price change per purchase order line', () => {
    const { poNumber, submission } = acknowledgmentToSubmission(ack);
    assert.equal(poNumber, 'PO-2025-0042');
    assert.equal(submission.acknowledgmentNumber, 'SO-ACM-66120');
    assert.equal(submission.revision, po.revision);
    assert.equal(submission.lines.length, 3);
    const [l1, l2, l3] = submission.lines;
    // ACK*IA*24*CA*068*20250305
    assert.deepEqual(l1, { lineNumber: 1, action: 'accept', quantity: '24', promisedDate: '2025-03-05', unit: 'CS' });
    // ACK*IQ*6*EA*068*20250305 + ACK*IB*4*EA*068*20250319: 10 committed, in full by the backorder date
    assert.equal(l2!.lineNumber, 2);
    assert.equal(l2!.action, 'backorder');
    assert.equal(l2!.quantity, '10');
    assert.equal(l2!.unit, 'EA');
    assert.equal(l2!.promisedDate, '2025-03-19');
    assert.equal(l2!.unitPrice, undefined);
    assert.equal(l2!.note, 'change quantity 6 EA by 2025-03-05, backorder 4 EA by 2025-03-19');
    // ACK*IP with PO104 7.10 (ordered 6.75)
    assert.deepEqual(l3, { lineNumber: 3, action: 'change', unitPrice: '7.10' });
  });

  it('maps a rejected line with its reason, a partly rejected line as a quantity change, a date change', () => {
    const base = { sku: 'AC-1001' };
    assert.deepEqual(acknowledgmentLineSubmission(1, [{ ...base, lineNumber: 1, action: 'reject', reasonCode: 'discontinued', reason: 'end of life' }]), {
      lineNumber: 1,
      action: 'reject',
      note: 'discontinued: end of life',
    });
    const partly = acknowledgmentLineSubmission(1, [
      { ...base, lineNumber: 1, action: 'accept', quantity: '20', unit: 'CS', scheduledDate: '2025-03-05' },
      { ...base, lineNumber: 1, action: 'reject', reasonCode: 'no_capacity' },
    ]);
    assert.equal(partly.action, 'change');
    assert.equal(partly.quantity, '20');
    assert.equal(partly.promisedDate, '2025-03-05');
    assert.equal(partly.note, 'accept 20 CS by 2025-03-05, rejected (no_capacity)');
    assert.deepEqual(acknowledgmentLineSubmission(2, [{ ...base, lineNumber: 2, action: 'change_date', originalDate: '2025-03-05', scheduledDate: '2025-03-28' }]), {
      lineNumber: 2,
      action: 'change',
      promisedDate: '2025-03-28',
    });
    assert.deepEqual(
      acknowledgmentLineSubmission(3, [
        { ...base, lineNumber: 3, action: 'change_quantity', originalQuantity: '24', quantity: '22', unit: 'CS', scheduledDate: '2025-03-06' },
        { ...base, lineNumber: 3, action: 'change_price', unitPrice: { amount: '18.90', currency: 'USD' } },
      ]),
      { lineNumber: 3, action: 'change', quantity: '22', unitPrice: '18.90', promisedDate: '2025-03-06', unit: 'CS', note: 'change quantity 22 CS by 2025-03-06, price 18.90' },
    );
  });

  it('refuses a backorder without a date and a line answered in two units', () => {
    refused(() => acknowledgmentLineSubmission(2, [{ lineNumber: 2, action: 'backorder', quantity: '4', unit: 'EA' }]), supplierCommandErrorCodes.ackBackorderDate, 'lines[2].scheduledDate');
    refused(
      () =>
        acknowledgmentLineSubmission(2, [
          { lineNumber: 2, action: 'accept', quantity: '4', unit: 'EA' },
          { lineNumber: 2, action: 'backorder', quantity: '1', unit: 'CS', scheduledDate: '2025-04-01' },
        ]),
      supplierCommandErrorCodes.ackMixedUnits,
    );
  });
});

describe('856 ship notice → submitAsn submission', () => {
  it('maps header, carrier, tracking and the items of every pack per purchase order line', () => {
    const s = asnToSubmission(asn);
    assert.equal(s.asnNumber, 'SH-778120');
    assert.equal(s.shipDate, '2025-03-05');
    assert.equal(s.expectedDeliveryDate, '2025-03-07');
    assert.equal(s.carrierCode, 'FXFE');
    assert.equal(s.trackingNumber, asn.trackingNumber);
    assert.deepEqual(s.lines, [
      { poNumber: 'PO-2025-0042', lineNumber: 1, sku: 'AC-1001', quantity: '24', unit: 'CS' },
      { poNumber: 'PO-2025-0042', lineNumber: 2, sku: 'AC-2040', quantity: '6', unit: 'EA' },
      { poNumber: 'PO-2025-0042', lineNumber: 3, sku: 'AC-0300', quantity: '120', unit: 'BX' },
    ]);
  });

  it('sums one line spread over several packs and keeps a lot common to them', () => {
    const order = asn.orders[0]!;
    const pack = order.packs[0]!;
    const twice: AdvanceShipNotice = {
      ...asn,
      orders: [{ ...order, packs: [{ ...pack, items: pack.items.map((i) => ({ ...i, lot: 'L-77' })) }, { ...pack, sscc: '000061414100000017', items: pack.items.map((i) => ({ ...i, lot: 'L-77' })) }] }],
    };
    assert.deepEqual(asnToSubmission(twice).lines, [{ poNumber: 'PO-2025-0042', lineNumber: 1, sku: 'AC-1001', quantity: '48', unit: 'CS', lot: 'L-77' }]);
  });

  it('refuses what submitAsn cannot take', () => {
    refused(() => asnToSubmission({ ...asn, purpose: 'cancel' }), supplierCommandErrorCodes.asnPurpose, 'purpose');
    const { expectedDeliveryDate: _omit, ...noDate } = asn;
    refused(() => asnToSubmission(noDate as AdvanceShipNotice), supplierCommandErrorCodes.asnDeliveryDate, 'expectedDeliveryDate');
    const order = asn.orders[0]!;
    const noSku: AdvanceShipNotice = { ...asn, orders: [{ ...order, packs: order.packs.map((p) => ({ ...p, items: p.items.map(({ sku: _s, ...i }) => i) })) }] };
    refused(() => asnToSubmission(noSku), supplierCommandErrorCodes.asnSku, 'orders[0].packs[0].items[0].sku');
  });
});

describe('810 invoice → submitInvoice submission', () => {
  it('maps number, dates, order, lines at the invoiced price and freight', () => {
    const s = invoiceToSubmission(invoice);
    assert.equal(s.invoiceNumber, 'INV-90331');
    assert.equal(s.invoiceDate, '2025-03-06');
    assert.equal(s.poNumber, 'PO-2025-0042');
    assert.equal(s.currency, 'USD');
    assert.deepEqual(s.lines, [
      { lineNumber: 1, sku: 'AC-1001', quantity: '24', unit: 'CS', unitPrice: '18.50' },
      { lineNumber: 2, sku: 'AC-2040', quantity: '6', unit: 'EA', unitPrice: '245.00' },
      { lineNumber: 3, sku: 'AC-0300', quantity: '120', unit: 'BX', unitPrice: '6.75' },
    ]);
    assert.deepEqual(s.charges, [{ kind: 'freight', amount: invoice.totals.freight.amount }]);
    assert.equal(Number(invoice.totals.freight.amount), 85);
    assert.equal(s.tax, undefined);
  });

  it('refuses memos, invoices without exactly one purchase order, discounts and lines without our SKU', () => {
    refused(() => invoiceToSubmission({ ...invoice, kind: 'credit_memo' }), supplierCommandErrorCodes.invoiceKind, 'kind');
    refused(() => invoiceToSubmission({ ...invoice, direction: 'receivable' }), supplierCommandErrorCodes.invoiceDirection, 'direction');
    refused(() => invoiceToSubmission({ ...invoice, orderRefs: [] }), supplierCommandErrorCodes.invoiceOrder, 'orderRefs');
    refused(() => invoiceToSubmission({ ...invoice, totals: { ...invoice.totals, discount: { amount: '5.00', currency: 'USD' } } }), supplierCommandErrorCodes.invoiceDiscount, 'totals.discount');
    refused(() => invoiceToSubmission({ ...invoice, lines: invoice.lines.map(({ sku: _s, ...l }) => l) }), supplierCommandErrorCodes.invoiceSku, 'lines[0].sku');
  });
});
