import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { AdvanceShipNotice, InventoryPosition, PurchaseOrderAcknowledgment } from '@tradelane/canonical';
import { itemIds, supplierId } from '../mappers/mapping-test.fixture.js';
import { asnMapping, ctx, inventoryMapping, poId, poaMapping } from './csv-mapping.fixture.js';
import { csvMappingFor, mapCsvFile } from './csv.mapper.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));
const errorsOf = (errors: ReadonlyArray<{ row?: number; column?: string; code: string }>) => errors.map((e) => `${e.row} ${e.column ?? '-'} ${e.code}`);

describe('CSV ship notices', () => {
  it('maps the good rows into shipments (packs, pallets, items) and reports each bad row with its line, column and reason', async () => {
    const { documents, errors, rowCount } = await mapCsvFile(fixture('asn-acme.csv'), asnMapping, ctx);
    assert.equal(rowCount, 9);
    assert.deepEqual(errorsOf(errors), [
      '6 Qty TL_EDI_CSV_BAD_NUMBER',
      '7 SSCC TL_EDI_CSV_BAD_VALUE',
      '8 UoM TL_EDI_CSV_UNKNOWN_UNIT',
      '9 Ship Date TL_EDI_CSV_INCONSISTENT',
      '12 PO Number TL_EDI_CSV_REQUIRED',
    ]);
    assert.match(errors.find((e) => e.row === 6)?.message ?? '', /quantity: "twelve" is not a number/);
    assert.match(errors.find((e) => e.row === 7)?.message ?? '', /check digit/i);
    assert.match(errors.find((e) => e.row === 9)?.message ?? '', /shippedAt is "2025-03-06T09:00:00-06:00" here but "2025-03-05T14:10:00-06:00" on line 2/);
    assert.deepEqual(documents.map((d) => d.rows), [[2, 3, 5], [11]]);

    const asn = documents[0]?.document as AdvanceShipNotice;
    assert.equal(asn.asnNumber, 'SH-880001');
    assert.equal(asn.supplierId, supplierId);
    assert.equal(asn.shippedAt, '2025-03-05T14:10:00-06:00');
    assert.equal(asn.receivedVia, 'csv');
    assert.equal(asn.shipToLocationId, 'AUS1');
    assert.deepEqual(asn.carrier, { code: 'FXFE' });
    assert.equal(asn.trackingNumber, '884120377');
    assert.deepEqual(asn.shipFrom.address, { line1: '1800 Commerce St', city: 'Dallas', region: 'TX', postalCode: '75201', country: 'US' });
    const order = asn.orders[0];
    assert.equal(order?.purchaseOrderId, poId);
    assert.deepEqual(order?.packs.map((p) => [p.sscc, p.packaging, p.parentSscc ?? '-', p.items.length]), [
      ['000123450000000010', 'carton', '000123450000000201', 2],
      ['000123450000000027', 'carton', '000123450000000201', 1],
      ['000123450000000201', 'pallet', '-', 0],
    ]);
    assert.deepEqual(order?.packs[0]?.items[0], { lineNumber: 1, sku: 'AC-1001', supplierPartNumber: 'ACM-1001-CS, case of 10', quantity: '12', unit: 'CS', lot: 'L2503A' });
    const second = documents[1]?.document as AdvanceShipNotice;
    assert.equal(second.orders[0]?.packs[0]?.packaging, 'case');
    assert.equal(second.orders[0]?.purchaseOrderId, undefined, 'an unknown PO number keeps only its number');
  });
});

describe('CSV acknowledgments', () => {
  it('reads partner codes, decimal commas and day-first dates against the purchase order, reporting what does not fit', async () => {
    const { documents, errors } = await mapCsvFile(fixture('poa-acme.csv'), poaMapping, ctx);
    assert.deepEqual(errorsOf(errors), [
      '5 Liefertermin TL_EDI_CSV_BAD_DATE',
      '6 Pos TL_EDI_CSV_LOOKUP_FAILED',
      '8 Bestellnummer TL_EDI_CSV_LOOKUP_FAILED',
    ]);
    assert.match(errors[0]?.message ?? '', /"31.02.2025" is not a calendar date/);
    assert.match(errors[1]?.message ?? '', /PO-2025-0042 has no line 9/);
    assert.match(errors[2]?.message ?? '', /purchase order PO-9999 is not known/);
    assert.equal(documents.length, 1);
    const ack = documents[0]?.document as PurchaseOrderAcknowledgment;
    assert.equal(ack.purchaseOrderId, poId);
    assert.equal(ack.poRevision, 1);
    assert.equal(ack.ackType, 'accepted_with_changes');
    assert.equal(ack.receivedVia, 'csv');
    assert.equal(ack.acknowledgedAt, '2025-03-10T15:30:00Z');
    assert.deepEqual(ack.lines, [
      { lineNumber: 1, sku: 'AC-1001', action: 'accept', quantity: '24', unit: 'CS', scheduledDate: '2025-03-05' },
      { lineNumber: 2, sku: 'AC-2040', note: 'Rest folgt; sobald verfügbar', action: 'change_quantity', quantity: '6', unit: 'EA', originalQuantity: '10', scheduledDate: '2025-03-07' },
      { lineNumber: 3, sku: 'AC-0300', action: 'change_price', unitPrice: { amount: '1234.50', currency: 'USD' }, originalUnitPrice: { amount: '1.10', currency: 'USD' } },
      { lineNumber: 5, sku: 'AC-9000', note: 'Artikel ausgelaufen', action: 'reject', reasonCode: 'discontinued' },
    ]);
  });

  it('without a purchase order lookup every row says so', async () => {
    const { documents, errors } = await mapCsvFile(fixture('poa-acme.csv'), poaMapping, { ...ctx, lookups: {} });
    assert.equal(documents.length, 0);
    assert.ok(errors.filter((e) => e.code === 'TL_EDI_CSV_LOOKUP_FAILED').every((e) => /no purchase order lookup is configured/.test(e.message)));
  });
});

describe('CSV inventory', () => {
  it('reads a header-less Latin-1 tab file by column position through the cross-references', async () => {
    const { documents, errors } = await mapCsvFile(fixture('inventory-acme.csv'), inventoryMapping, { ...ctx, receivedAt: new Date('2025-03-04T06:00:00Z') });
    assert.deepEqual(errorsOf(errors), ['3 #3 TL_EDI_CSV_BAD_NUMBER', '4 #1 TL_EDI_CSV_LOOKUP_FAILED', '5 #2 TL_EDI_CSV_REQUIRED', '6 #5 TL_EDI_CSV_REQUIRED']);
    assert.match(errors[1]?.message ?? '', /no item of ours is known for SKU AC-9999/);
    const positions = documents.map((d) => d.document as InventoryPosition);
    assert.deepEqual(
      positions.map((p) => [p.sku, p.itemId, p.locationId, p.unit, p.onHand, p.available, p.allocated, p.asOf]),
      [
        ['AC-1001', itemIds.get('AC-1001'), 'DAL1', 'CS', '600', '540', '60', '2025-03-04T06:00:00Z'],
        ['AC-2040', itemIds.get('AC-2040'), 'DAL1', 'EA', '40', '35', '5', '2025-03-04T06:00:00Z'],
      ],
    );
  });

  it('picks the mapping by file name', () => {
    const all = [asnMapping, poaMapping, inventoryMapping];
    assert.equal(csvMappingFor(all, 'inventory-20250304.csv')?.id, 'inventory');
    assert.equal(csvMappingFor(all, 'asn-880001.csv')?.id, 'asn');
    assert.equal(csvMappingFor(all, 'invoice.csv'), undefined);
  });
});
