import { newId, salesOrderSchema, type SalesOrder } from '@tradelane/canonical';

/** One line of a sample order: SKU (Tryton product code), quantity and canonical unit. */
export interface SampleLine {
  sku: string;
  quantity: string;
  unit?: string;
}

/**
 * A valid canonical sales order for the seeded Tryton customer `customerCode` (default C1001), for tests. Prices on the
 * hub side are placeholders: Tryton prices the sale from the product's list price.
 */
export function sampleOrder(tenantId: string, lines: SampleLine[] = [{ sku: 'TL-1001', quantity: '2' }], customerCode = 'C1001'): SalesOrder {
  const now = new Date().toISOString();
  const party = (name: string) => ({
    code: customerCode,
    name,
    address: { line1: '100 Main Street', city: 'Chicago', region: 'IL', postalCode: '60607', country: 'US' },
  });
  return salesOrderSchema.parse({
    schemaVersion: 1,
    id: newId('so'),
    tenantId,
    customerId: newId('pty'),
    customerPoNumber: `PO-${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
    channel: 'portal',
    status: 'Accepted',
    orderedAt: now,
    shipTo: party('Ship-to'),
    billTo: party('Bill-to'),
    currency: 'USD',
    shipComplete: false,
    lines: lines.map((l, i) => ({ lineNumber: i + 1, sku: l.sku, quantity: l.quantity, unit: l.unit ?? 'EA', unitPrice: { amount: '1.00', currency: 'USD' }, status: 'Open' })),
    totals: { subtotal: { amount: '0.00', currency: 'USD' }, tax: { amount: '0.00', currency: 'USD' }, freight: { amount: '0.00', currency: 'USD' }, total: { amount: '0.00', currency: 'USD' } },
    holds: [],
    shipments: [],
    externalIds: {},
    createdAt: now,
    updatedAt: now,
  });
}
