import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type PurchaseOrder, money, newId, purchaseOrderSchema } from '@tradelane/canonical';
import { X12MappingError, X12WriteError } from '../errors.js';
import { InMemoryControlNumberSequence } from '../codec/writer/control-number.sequence.js';
import { createInterchange } from '../codec/writer/envelope.builder.js';
import { writeX12 } from '../codec/writer/x12.writer.js';
import { parseX12 } from '../codec/x12.reader.js';
import { validateX12 } from '../codec/validate/envelope.validator.js';
import { contextFor, customerProfile, fixedNow, fixtureSet, itemIds, supplierId, supplierProfile } from './mapping-test.fixture.js';
import { envelopeSettingsFor } from './partner-profile.schema.js';
import { purchaseOrderTo850 } from './po-850.from-canonical.js';
import { x12850ToPurchaseOrder, x12850ToSalesOrderIntake } from './po-850.to-canonical.js';

function samplePo(): PurchaseOrder {
  const c = (a: string) => money(a, 'USD');
  return purchaseOrderSchema.parse({
    schemaVersion: 1,
    id: newId('po'),
    tenantId: 'demo',
    poNumber: 'PO-2025-0042',
    revision: 0,
    supplierId,
    status: 'Approved',
    orderedAt: '2025-03-01T09:30:00Z',
    buyer: { name: 'Dana Whitfield', phone: '5125550147', email: 'dana.whitfield@tldemo.example' },
    channel: 'edi',
    currency: 'USD',
    paymentTerms: { code: '01', netDays: 30, discountPercent: '2', discountDays: 10, description: '2% 10 NET 30' },
    shipToLocationId: 'AUS1',
    shipTo: { code: 'AUS1', name: 'Tradelane Demo DC Austin', address: { line1: '4100 Industrial Blvd', line2: 'Dock 7', city: 'Austin', region: 'TX', postalCode: '78744', country: 'US' } },
    requestedCarrier: { code: 'FXFE', name: 'FedEx Freight' },
    lines: [
      { lineNumber: 1, itemId: itemIds.get('AC-1001'), sku: 'AC-1001', supplierPartNumber: 'ACM-1001-CS', description: 'Nitrile gloves', quantity: '24', unit: 'CS', unitPrice: c('18.50'), requestedDate: '2025-03-14', status: 'Open' },
      { lineNumber: 2, itemId: itemIds.get('AC-2040'), sku: 'AC-2040', quantity: '10', unit: 'EA', unitPrice: c('245.00'), requestedDate: '2025-03-21', status: 'Open' },
      { lineNumber: 3, itemId: itemIds.get('AC-0300'), sku: 'AC-0300', quantity: '2.5', unit: 'KG', unitPrice: c('6.7525'), requestedDate: '2025-03-14', status: 'Open' },
    ],
    totals: { subtotal: c('2910.88'), tax: c('0'), freight: c('0'), total: c('2910.88') },
    externalIds: {},
    createdAt: '2025-03-01T09:30:00Z',
    updatedAt: '2025-03-01T09:30:00Z',
  });
}

describe('850 → canonical', () => {
  it('reads our sample 850 back as the purchase order it describes', () => {
    const po = x12850ToPurchaseOrder(fixtureSet('po-850.edi'), contextFor(supplierProfile), { itemIdForSku: (s) => itemIds.get(s) });
    assert.equal(po.poNumber, 'PO-2025-0042');
    assert.equal(po.supplierId, supplierId);
    assert.equal(po.orderedAt, '2025-03-01T00:00:00Z');
    assert.equal(po.shipToLocationId, 'AUS1');
    assert.deepEqual(po.shipTo.address, { line1: '4100 Industrial Blvd', line2: 'Dock 7', city: 'Austin', region: 'TX', postalCode: '78744', country: 'US' });
    assert.deepEqual(po.paymentTerms, { code: '01', netDays: 30, discountPercent: '2', discountDays: 10, description: '2% 10 NET 30' });
    assert.equal(po.requestedCarrier, undefined, 'TD5 without a SCAC (TD503) names no carrier');
    assert.deepEqual(po.buyer, { name: 'Dana Whitfield', phone: '5125550147', email: 'dana.whitfield@tldemo.example' });
    assert.deepEqual(
      po.lines.map((l) => [l.lineNumber, l.sku, l.supplierPartNumber, l.quantity, l.unit, l.unitPrice.amount, l.requestedDate]),
      [
        [1, 'AC-1001', 'ACM-1001-CS', '24', 'CS', '18.50', '2025-03-14'],
        [2, 'AC-2040', 'ACM-2040', '10', 'EA', '245.00', '2025-03-21'],
        [3, 'AC-0300', 'ACM-0300-BX', '120', 'BX', '6.75', '2025-03-14'],
      ],
    );
    assert.equal(po.totals.total.amount, '3704.00');
  });

  it('takes a customer 850 in as a sales order intake', () => {
    const so = x12850ToSalesOrderIntake(fixtureSet('multi-isa.edi'), contextFor(customerProfile));
    assert.equal(so.status, 'Received');
    assert.equal(so.channel, 'edi');
    assert.equal(so.customerPoNumber, 'NW-88213');
    assert.equal(so.shipTo.code, 'NW-012');
    assert.equal(so.billTo.name, 'Northwind Foods Accounts Payable', 'no N1*BT: the profile default');
    assert.deepEqual(so.lines.map((l) => [l.sku, l.quantity, l.unit, l.unitPrice.amount]), [
      ['AC-1001', '5', 'CS', '21.00'],
      ['AC-2040', '2', 'EA', '260.00'],
    ]);
    assert.equal(so.totals.total.amount, '625.00');
    assert.equal(so.createdAt, '2025-03-10T15:30:00Z');
    assert.match(so.id, /^so_/);
  });

  it('names segment, position and element when something is missing or wrong', () => {
    const set = fixtureSet('po-850.edi');
    const beg = set.segments[0]!;
    const noNumber = { ...set, segments: [{ ...beg, elements: ['00', 'SA', '', '', '20250301'] }, ...set.segments.slice(1)] };
    assert.throws(
      () => x12850ToPurchaseOrder(noNumber, contextFor(supplierProfile), { itemIdForSku: (s) => itemIds.get(s) }),
      (e: unknown) => e instanceof X12MappingError && e.element === 'BEG03' && e.segment === 'BEG' && e.position?.index === 3 && e.code === 'TL_EDI_MAPPING_FAILED',
    );
    const badQty = { ...set, segments: set.segments.map((s) => (s.tag === 'PO1' && s.elements[0] === '2' ? { ...s, elements: ['2', 'ten', 'EA', '245.00'] } : s)) };
    assert.throws(() => x12850ToPurchaseOrder(badQty, contextFor(supplierProfile), { itemIdForSku: (s) => itemIds.get(s) }), (e: unknown) => e instanceof X12MappingError && e.element === 'PO102' && e.position?.index === 19);
    const badUnit = { ...set, segments: set.segments.map((s) => (s.tag === 'PO1' && s.elements[0] === '2' ? { ...s, elements: ['2', '10', 'ZZ', '245.00'] } : s)) };
    assert.throws(() => x12850ToPurchaseOrder(badUnit, contextFor(supplierProfile)), (e: unknown) => e instanceof X12MappingError && e.element === 'PO103');
    assert.throws(() => x12850ToPurchaseOrder(set, contextFor(supplierProfile)), (e: unknown) => e instanceof X12MappingError && /no item id/.test(e.message) && e.element === 'PO107');
  });

  it('unit codes and part numbers follow the partner profile', () => {
    const set = fixtureSet('multi-isa.edi');
    const profile = { ...customerProfile, codes: { ...customerProfile.codes, units: { CA: 'BX' as const } } };
    const so = x12850ToSalesOrderIntake(set, contextFor(profile));
    assert.equal(so.lines[0]?.unit, 'BX');
  });
});

describe('canonical → 850', () => {
  it('writes an 850 that validates and maps back to the same purchase order', async () => {
    const po = samplePo();
    const set = purchaseOrderTo850(po, supplierProfile);
    const ic = await createInterchange(envelopeSettingsFor(supplierProfile), [{ functionalId: 'PO', sets: [set] }], { sequence: new InMemoryControlNumberSequence(), now: () => fixedNow });
    const text = writeX12(ic, { lineEnding: '\n' });
    assert.deepEqual((await validateX12(text)).errors, []);
    assert.match(text, /^PO1\*1\*24\*CA\*18\.50\*\*BP\*AC-1001\*VP\*ACM-1001-CS~$/m);
    assert.match(text, /^PO1\*3\*2\.5\*KG\*6\.7525\*\*BP\*AC-0300~$/m);
    const parsedSet = parseX12(text).interchanges[0]!.groups[0]!.sets[0]!;
    const back = x12850ToPurchaseOrder(parsedSet, { ...contextFor(supplierProfile), partyId: supplierId }, { purchaseOrderId: po.id, itemIdForSku: (s) => itemIds.get(s) });
    const strip = ({ status: _s, orderedAt: _o, createdAt: _c, updatedAt: _u, externalIds: _e, lines, ...rest }: PurchaseOrder) => ({ ...rest, lines: lines.map(({ status: _l, description: _d, ...l }) => l) });
    assert.deepEqual(strip(back), strip(po));
    assert.deepEqual(back.lines.map((l) => l.description), ['Nitrile gloves', undefined, undefined]);
  });

  it('refuses data that contains a separator instead of corrupting the file', () => {
    const po = samplePo();
    po.shipTo = { ...po.shipTo, name: 'Dock *7*' };
    const set = purchaseOrderTo850(po, supplierProfile);
    assert.throws(() => writeX12({ header: { tag: 'ISA', elements: [] }, separators: { element: '*', component: '>', repetition: undefined, segment: '~' }, acknowledgments: [], groups: [{ header: { tag: 'GS', elements: [] }, sets: [{ header: { tag: 'ST', elements: ['850', '0001'] }, segments: set.segments, trailer: undefined }], trailer: undefined }], trailer: undefined }), (e: unknown) => e instanceof X12WriteError && e.code === 'TL_EDI_SEPARATOR_IN_DATA' && e.details?.['element'] === 'N102');
  });
});
