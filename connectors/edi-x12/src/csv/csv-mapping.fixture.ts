/**
 * Shared test inputs of the CSV and inbound tests: ACME's three CSV mappings, its profile with cross-references, the
 * purchase order the acknowledgments answer and the lookups that know it.
 */
import { newId } from '@tradelane/canonical';
import { fixedNow, itemIds, supplierProfile } from '../mappers/mapping-test.fixture.js';
import { parsePartnerProfile } from '../mappers/partner-profile.schema.js';
import type { AcknowledgedPurchaseOrder } from '../mappers/poa-855.to-canonical.js';
import { parseCsvMapping } from './csv-mapping.schema.js';

/** ACME's ship notice export. */
export const asnMapping = parseCsvMapping({
  id: 'asn',
  version: '3',
  document: 'advance-ship-notice',
  fileNamePatterns: ['asn-*.csv'],
  columns: {
    asnNumber: 'Shipment No',
    shippedAt: 'Ship Date',
    poNumber: 'PO Number',
    lineNumber: 'PO Line',
    sscc: 'SSCC',
    parentSscc: 'Pallet SSCC',
    packaging: 'Pack Type',
    sku: 'Item',
    supplierPartNumber: 'Vendor Part',
    quantity: 'Qty',
    unit: 'UoM',
    lot: 'Lot',
    carrierCode: 'Carrier',
    trackingNumber: 'Tracking',
  },
  constants: { shipToLocationId: 'AUS1', shipFromName: 'ACME Supply Co', shipFromLine1: '1800 Commerce St', shipFromCity: 'Dallas', shipFromRegion: 'TX', shipFromPostalCode: '75201' },
  dateFormats: ['YYYY-MM-DD HH:mm', 'ISO'],
  utcOffset: '-06:00',
  packaging: { CTN: 'carton', CAS: 'case' },
});

/** ACME's German acknowledgment export: semicolons, decimal comma, day-first dates, own codes. */
export const poaMapping = parseCsvMapping({
  id: 'poa',
  document: 'purchase-order-acknowledgment',
  fileNamePatterns: ['poa-*.csv'],
  format: { delimiter: ';', decimalSeparator: ',', thousandsSeparator: '.' },
  columns: { poNumber: 'Bestellnummer', lineNumber: 'Pos', action: 'Status', quantity: 'Menge', unit: 'Einheit', scheduledDate: 'Liefertermin', unitPrice: 'Preis', reasonCode: 'Grund', note: 'Bemerkung' },
  dateFormats: ['DD.MM.YYYY'],
  actions: { OK: 'accept', MENGE: 'change_quantity', TERMIN: 'change_date', PREIS: 'change_price', NEIN: 'reject', RUECKSTAND: 'backorder' },
  units: { KRT: 'CS', STK: 'EA' },
});

/** ACME's warehouse stock list: no header, tabs, Latin-1. */
export const inventoryMapping = parseCsvMapping({
  id: 'inventory',
  document: 'inventory-position',
  fileNamePatterns: ['inventory-*.csv'],
  format: { delimiter: '\t', header: false, encoding: 'latin1' },
  columns: { sku: 1, locationId: 2, onHand: 3, available: 4, unit: 5 },
});

/** ACME with item and location cross-references. */
export const profile = parsePartnerProfile({
  ...supplierProfile,
  crossReferences: {
    items: [
      { partnerPart: 'ACM-2040', sku: 'AC-2040', itemId: itemIds.get('AC-2040') },
      { partnerPart: 'ACM-1001-CS', sku: 'AC-1001', unit: 'CS' },
    ],
    locations: [{ partnerCode: 'ACME-DAL', locationId: 'DAL1' }],
  },
});

/** Id of PO-2025-0042. */
export const poId = newId('po');
/** A purchase order line. */
const line = (lineNumber: number, sku: string, quantity: string, unit: 'CS' | 'EA', price: string) => ({
  lineNumber,
  itemId: itemIds.get(sku) ?? newId('itm'),
  sku,
  quantity,
  unit,
  unitPrice: { amount: price, currency: 'USD' },
  requestedDate: '2025-03-14',
  status: 'Open' as const,
});
/** PO-2025-0042 as the lookups know it. */
export const purchaseOrder: AcknowledgedPurchaseOrder = {
  id: poId,
  poNumber: 'PO-2025-0042',
  revision: 1,
  currency: 'USD',
  lines: [line(1, 'AC-1001', '24', 'CS', '18.50'), line(2, 'AC-2040', '10', 'EA', '245.00'), line(3, 'AC-0300', '100', 'EA', '1.10'), line(4, 'AC-7781', '12', 'EA', '8.00'), line(5, 'AC-9000', '1', 'EA', '99.00')],
};
/** A mapping context whose lookups know PO-2025-0042 and the test items. */
export const ctx = {
  tenantId: 'demo',
  profile,
  now: () => fixedNow,
  lookups: {
    purchaseOrder: async (n: string) => (n === purchaseOrder.poNumber ? purchaseOrder : undefined),
    purchaseOrderId: (n: string) => (n === 'PO-2025-0042' ? poId : undefined),
    itemId: async (sku: string) => itemIds.get(sku),
  },
};

