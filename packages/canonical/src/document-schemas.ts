import { advanceShipNoticeSchema } from './advance-ship-notice.schema.js';
import { eventEnvelopeSchema } from './event-envelope.schema.js';
import { exceptionSchema } from './exception.schema.js';
import { inventoryPositionSchema } from './inventory-position.schema.js';
import { invoiceSchema } from './invoice.schema.js';
import { itemSchema } from './item.schema.js';
import { partySchema } from './party.schema.js';
import { paymentSchema } from './payment.schema.js';
import { priceSchema } from './price.schema.js';
import { purchaseOrderAcknowledgmentSchema } from './purchase-order-acknowledgment.schema.js';
import { purchaseOrderSchema } from './purchase-order.schema.js';
import { returnAuthorizationSchema } from './return-authorization.schema.js';
import { salesOrderSchema } from './sales-order.schema.js';
import { shipmentSchema } from './shipment.schema.js';
import { trackingEventSchema } from './tracking-event.schema.js';

/** Every canonical document schema by its kebab-case name (published as `docs/schemas/<name>.v1.json`). */
export const documentSchemas = {
  party: partySchema,
  item: itemSchema,
  price: priceSchema,
  'inventory-position': inventoryPositionSchema,
  'sales-order': salesOrderSchema,
  'purchase-order': purchaseOrderSchema,
  'purchase-order-acknowledgment': purchaseOrderAcknowledgmentSchema,
  'advance-ship-notice': advanceShipNoticeSchema,
  shipment: shipmentSchema,
  'tracking-event': trackingEventSchema,
  invoice: invoiceSchema,
  payment: paymentSchema,
  'return-authorization': returnAuthorizationSchema,
  exception: exceptionSchema,
  'event-envelope': eventEnvelopeSchema,
} as const;

/** A canonical document name, e.g. 'sales-order'. */
export type DocumentName = keyof typeof documentSchemas;

/** Human title of each document, used in the published JSON Schemas. */
export const documentTitles: Readonly<Record<DocumentName, string>> = {
  party: 'Party (customer, supplier, ship-to, bill-to)',
  item: 'Item',
  price: 'Price (list or contract, with quantity tiers)',
  'inventory-position': 'Inventory position',
  'sales-order': 'Sales order',
  'purchase-order': 'Purchase order',
  'purchase-order-acknowledgment': 'Purchase order acknowledgment',
  'advance-ship-notice': 'Advance ship notice',
  shipment: 'Shipment',
  'tracking-event': 'Tracking event',
  invoice: 'Invoice (receivable or payable)',
  payment: 'Payment',
  'return-authorization': 'Return authorization (RMA)',
  exception: 'Business exception',
  'event-envelope': 'Event envelope (CloudEvents 1.0)',
};

/** Version of every document schema in this release (each document also carries `schemaVersion`). */
export const DOCUMENT_SCHEMA_VERSION = 1;
