import { defineConnector } from '@tradelane/connector-kit';
import { createTrytonClient } from './tryton.client.js';
import { trytonConfigSchema } from './tryton-config.schema.js';

/**
 * Tryton ERP (6.0 LTS) over JSON-RPC: customers with credit limits, items, list and contract prices, and stock; sales
 * orders committed exactly once (the hub's order id is the sale's `reference`), shipped in full or in part;
 * purchasing (suppliers, purchases, acknowledgments, ship notices as supplier shipments, receipts, supplier invoices);
 * returns as return sales; a change feed of sales, posted customer invoices and credit notes, customer payments, stock
 * changes, purchases, received supplier shipments and supplier invoices polled on `write_date` with a durable cursor.
 * @example
 * const erp = await trytonConnector.instantiate(deps, { url: 'http://127.0.0.1:8000', database: 'tradelane', user: 'hub', password });
 * const { record, duplicate } = await erp.erpSalesOrders.commitOrder(ctx, order, order.id);
 */
export const trytonConnector = defineConnector({
  id: 'erp-tryton',
  title: 'Tryton ERP',
  configSchema: trytonConfigSchema,
  capabilities: ['erpMasterData', 'erpSalesOrders', 'erpChangeFeed', 'erpPurchasing', 'erpReturns'] as const,
  create: (deps, config) => createTrytonClient(deps, config),
});

export { trytonConfigSchema, type TrytonConfig } from './tryton-config.schema.js';
export { createTrytonClient, flattenRow, type TrytonCapability } from './tryton.client.js';
export { orderFromTryton, orderStatusFromTryton } from './mappers/order.from-tryton.js';
export { encodeChangeCursor, decodeChangeCursor, encodeFeedCursor, decodeFeedCursor, FEED_STREAMS, type ChangePosition, type FeedPositions, type FeedStream } from './mappers/change-cursor.js';
export { createTrytonPurchasing, type TrytonPurchasing, type TrytonPurchasingParts } from './tryton-purchasing.client.js';
export { purchaseOrderFromTryton, purchaseOrderStatusFromTryton, purchaseOrderIdOfTryton } from './mappers/purchase-order.from-tryton.js';
export { supplierInvoiceFromTryton, matchStatusFromTryton } from './mappers/supplier-invoice.from-tryton.js';
export { receiptFromTryton } from './mappers/receipt.from-tryton.js';
export { supplierFromTryton } from './mappers/party.from-tryton.js';
export { acknowledgmentOfNote, noteWithAcknowledgment } from './mappers/acknowledgment-note.js';
export { invoiceFromTryton, invoiceIdOfTryton, isCreditNote } from './mappers/invoice.from-tryton.js';
export { paymentFromTryton, paymentIdOfTryton, isPaymentReceived } from './mappers/payment.from-tryton.js';
export { returnFromTryton, type TrytonReturnRecord } from './mappers/return.from-tryton.js';
export { contractPriceFromTryton, type TrytonContractPriceRecord } from './mappers/contract-price.from-tryton.js';
export { customerCreditFromTryton, type TrytonCreditRecord } from './mappers/credit.from-tryton.js';
export { createTrytonReturns, type TrytonReturnsParts } from './tryton-returns.client.js';
export { TRYTON_UNIT_SYMBOLS, unitFromTryton, unitToTryton } from './mappers/unit.mapper.js';
export { ERP_TRYTON_SYSTEM } from './errors.js';
