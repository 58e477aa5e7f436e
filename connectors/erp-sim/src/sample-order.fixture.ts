import { newId, salesOrderSchema, type SalesOrder } from '@tradelane/canonical';
import { partyIdOf } from './mappers/derived-id.js';

/** One line of a sample order: SKU (the simulator's LITM), quantity and canonical unit. */
export interface SampleLine {
  sku?: string;
  customerPartNumber?: string;
  quantity: string;
  unit?: string;
}

/**
 * A valid canonical sales order for the simulator's customer `an8` (default 4242, ship-to `shan` 14242), for tests.
 * Prices on the hub side are placeholders: the ERP prices the order itself.
 */
export function sampleOrder(tenantId: string, lines: SampleLine[] = [{ sku: 'FAS-1001', quantity: '2', unit: 'BX' }], options: { an8?: number; shan?: number } = {}): SalesOrder {
  const an8 = options.an8 ?? 4242;
  const shan = options.shan ?? 14242;
  const now = new Date().toISOString();
  const party = (code: number, name: string) => ({
    partyId: partyIdOf(tenantId, code),
    code: String(code),
    name,
    address: { line1: '1 Test Street', city: 'Chicago', region: 'IL', postalCode: '60607', country: 'US' },
  });
  return salesOrderSchema.parse({
    schemaVersion: 1,
    id: newId('so'),
    tenantId,
    customerId: partyIdOf(tenantId, an8),
    customerPoNumber: `PO-${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
    channel: 'portal',
    status: 'Accepted',
    orderedAt: now,
    shipTo: party(shan, 'Ship-to'),
    billTo: party(an8, 'Bill-to'),
    currency: 'USD',
    shipComplete: false,
    lines: lines.map((l, i) => ({
      lineNumber: i + 1,
      ...(l.sku ? { sku: l.sku } : {}),
      ...(l.customerPartNumber ? { customerPartNumber: l.customerPartNumber } : {}),
      quantity: l.quantity,
      unit: l.unit ?? 'EA',
      unitPrice: { amount: '1.00', currency: 'USD' },
      status: 'Open',
    })),
    totals: { subtotal: { amount: '0.00', currency: 'USD' }, tax: { amount: '0.00', currency: 'USD' }, freight: { amount: '0.00', currency: 'USD' }, total: { amount: '0.00', currency: 'USD' } },
    holds: [],
    shipments: [],
    externalIds: {},
    createdAt: now,
    updatedAt: now,
  });
}
