import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { X12MappingError } from '../errors.js';
import { InMemoryControlNumberSequence } from '../codec/writer/control-number.sequence.js';
import { createInterchange } from '../codec/writer/envelope.builder.js';
import { writeX12 } from '../codec/writer/x12.writer.js';
import { validateX12 } from '../codec/validate/envelope.validator.js';
import { parseX12 } from '../codec/x12.reader.js';
import type { X12TransactionSet } from '../codec/x12.types.js';
import { contextFor, fixedNow, fixtureSet, supplierId, supplierProfile } from './mapping-test.fixture.js';
import { envelopeSettingsFor } from './partner-profile.schema.js';
import { invoiceTo810 } from './invoice-810.from-canonical.js';
import { x12810ToInvoice } from './invoice-810.to-canonical.js';

function edit(set: X12TransactionSet, f: (tag: string, els: string[]) => string[][] | undefined): X12TransactionSet {
  return { ...set, segments: set.segments.flatMap((s) => { const e = f(s.tag, s.elements as string[]); return e === undefined ? [s] : e.map((x, i) => (i === 0 ? { ...s, elements: x } : { tag: x.shift() as string, elements: x })); }) };
}

describe('810 → canonical', () => {
  it('reads a supplier invoice as a payable with terms, remit-to, lines, freight and totals', () => {
    const inv = x12810ToInvoice(fixtureSet('invoice-810.edi'), contextFor(supplierProfile));
    assert.equal(inv.direction, 'payable');
    assert.equal(inv.status, 'Received');
    assert.equal(inv.kind, 'invoice');
    assert.equal(inv.invoiceNumber, 'INV-90331');
    assert.equal(inv.partyId, supplierId);
    assert.equal(inv.invoiceDate, '2025-03-06');
    assert.equal(inv.dueDate, '2025-04-05');
    assert.deepEqual(inv.terms, { code: '01', netDays: 30, discountPercent: '2', discountDays: 10 });
    assert.deepEqual(inv.orderRefs, [{ kind: 'purchase_order', poNumber: 'PO-2025-0042' }]);
    assert.equal(inv.remitTo?.address.line1, 'PO Box 4410');
    assert.equal(inv.billTo.name, 'Tradelane Demo Distributing', 'N1*BT without address: the profile default');
    assert.deepEqual(inv.lines.map((l) => [l.lineNumber, l.orderLineNumber, l.sku, l.partNumber, l.quantity, l.unit, l.unitPrice.amount, l.lineAmount.amount]), [
      [1, 1, 'AC-1001', 'ACM-1001-CS', '24', 'CS', '18.50', '444.00'],
      [2, 2, 'AC-2040', 'ACM-2040', '6', 'EA', '245.00', '1470.00'],
      [3, 3, 'AC-0300', 'ACM-0300-BX', '120', 'BX', '6.75', '810.00'],
    ]);
    assert.deepEqual(
      Object.fromEntries(Object.entries(inv.totals).map(([k, v]) => [k, v.amount])),
      { subtotal: '2724.00', tax: '0.00', freight: '85.00', total: '2809.00' },
    );
    assert.equal(inv.amountDue.amount, '2809.00');
  });

  it('takes taxes and allowances into the totals, and refuses a TDS that does not add up', () => {
    const withTax = edit(fixtureSet('invoice-810.edi'), (tag) => (tag === 'TDS' ? [['281900'], ['TXI', 'ST', '20.00', '0.7342'], ['SAC', 'A', 'C310', '', '', '1000']] : undefined));
    const inv = x12810ToInvoice(withTax, contextFor(supplierProfile));
    assert.deepEqual(inv.taxes, [{ type: 'sales', rate: '0.7342', amount: { amount: '20.00', currency: 'USD' } }]);
    assert.equal(inv.totals.discount?.amount, '10.00');
    assert.equal(inv.totals.total.amount, '2819.00');
    const wrong = edit(fixtureSet('invoice-810.edi'), (tag) => (tag === 'TDS' ? [['280000']] : undefined));
    assert.throws(() => x12810ToInvoice(wrong, contextFor(supplierProfile)), (e: unknown) => e instanceof X12MappingError && e.element === 'TDS01' && e.position?.index === 17 && /2809\.00/.test(e.message));
  });

  it('credit memos and missing data', () => {
    const credit = edit(fixtureSet('invoice-810.edi'), (tag, els) => (tag === 'BIG' ? [[...els.slice(0, 6), 'CR']] : undefined));
    assert.equal(x12810ToInvoice(credit, contextFor(supplierProfile)).kind, 'credit_memo');
    const noPrice = edit(fixtureSet('invoice-810.edi'), (tag, els) => (tag === 'IT1' && els[0] === '2' ? [['2', '6', 'EA']] : undefined));
    assert.throws(() => x12810ToInvoice(noPrice, contextFor(supplierProfile)), (e: unknown) => e instanceof X12MappingError && e.element === 'IT104' && e.position?.index === 15);
  });
});

describe('canonical → 810', () => {
  it('writes an 810 that validates and maps back to the same invoice', async () => {
    const withTax = edit(fixtureSet('invoice-810.edi'), (tag) => (tag === 'TDS' ? [['281900'], ['TXI', 'ST', '20.00', '0.7342'], ['SAC', 'A', 'C310', '', '', '1000']] : undefined));
    const inv = x12810ToInvoice(withTax, contextFor(supplierProfile));
    const set = invoiceTo810(inv, supplierProfile);
    const ic = await createInterchange(envelopeSettingsFor(supplierProfile, { asPartner: true }), [{ functionalId: 'IN', sets: [set] }], { sequence: new InMemoryControlNumberSequence(), now: () => fixedNow });
    const text = writeX12(ic, { lineEnding: '\n' });
    assert.deepEqual((await validateX12(text)).errors, []);
    const back = x12810ToInvoice(parseX12(text).interchanges[0]!.groups[0]!.sets[0]!, contextFor(supplierProfile));
    const strip = ({ id: _i, ...rest }: typeof inv) => rest;
    assert.deepEqual(strip(back), strip(inv));
  });
});
