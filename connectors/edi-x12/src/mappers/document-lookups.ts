/**
 * What inbound mapping may need to know about our own data: the purchase order an acknowledgment answers, our
 * purchase order id for a PO number, our item id for a SKU. Implemented by the caller (a catalog or read model);
 * each lookup may answer synchronously or with a promise, and `undefined` when it does not know.
 */
import type { Id } from '@tradelane/canonical';
import type { AcknowledgedPurchaseOrder } from './poa-855.to-canonical.js';

/** A lookup answer, now or later. */
export type LookupResult<T> = T | undefined | Promise<T | undefined>;

/** Lookups of our own data used by the inbound mappers (all optional). */
export interface DocumentLookups {
  /** The purchase order an acknowledgment (855 or CSV) answers, by its number. */
  purchaseOrder?: ((poNumber: string) => LookupResult<AcknowledgedPurchaseOrder>) | undefined;
  /** Our purchase order id for a PO number (ship notices, invoices). */
  purchaseOrderId?: ((poNumber: string) => LookupResult<Id<'po'>>) | undefined;
  /** Our item id for a SKU (inventory positions). */
  itemId?: ((sku: string) => LookupResult<Id<'itm'>>) | undefined;
}
