import { defineConnector } from '@tradelane/connector-kit';
import { createTrytonClient } from './tryton.client.js';
import { trytonConfigSchema } from './tryton-config.schema.js';

/**
 * Tryton ERP (6.0 LTS) over JSON-RPC: customers, items, list prices and stock; sales orders committed exactly once
 * (the hub's order id is the sale's `reference`); a change feed of sales and posted customer invoices polled on
 * `write_date` with a durable cursor.
 * @example
 * const erp = await trytonConnector.instantiate(deps, { url: 'http://127.0.0.1:8000', database: 'tradelane', user: 'hub', password });
 * const { record, duplicate } = await erp.erpSalesOrders.commitOrder(ctx, order, order.id);
 */
export const trytonConnector = defineConnector({
  id: 'erp-tryton',
  title: 'Tryton ERP',
  configSchema: trytonConfigSchema,
  capabilities: ['erpMasterData', 'erpSalesOrders', 'erpChangeFeed'] as const,
  create: (deps, config) => createTrytonClient(deps, config),
});

export { trytonConfigSchema, type TrytonConfig } from './tryton-config.schema.js';
export { createTrytonClient, flattenRow, type TrytonCapability } from './tryton.client.js';
export { orderFromTryton, orderStatusFromTryton } from './mappers/order.from-tryton.js';
export { encodeChangeCursor, decodeChangeCursor, encodeFeedCursor, decodeFeedCursor, type ChangePosition, type FeedPositions } from './mappers/change-cursor.js';
export { invoiceFromTryton, invoiceIdOfTryton } from './mappers/invoice.from-tryton.js';
export { TRYTON_UNIT_SYMBOLS, unitFromTryton, unitToTryton } from './mappers/unit.mapper.js';
export { ERP_TRYTON_SYSTEM } from './errors.js';
