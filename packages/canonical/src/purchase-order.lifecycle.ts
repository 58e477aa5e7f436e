import { defineLifecycle, type TransitionGuard } from './lifecycle.js';

/** Header states of a purchase order, in the order they are normally reached. */
export const purchaseOrderStates = [
  'Draft',
  'Approved',
  'Published',
  'PartiallyAcknowledged',
  'Acknowledged',
  'Changed',
  'Shipped',
  'PartiallyReceived',
  'Received',
  'Invoiced',
  'Matched',
  'Disputed',
  'Closed',
  'Cancelled',
] as const;

/** A purchase order header state. */
export type PurchaseOrderState = (typeof purchaseOrderStates)[number];

/** Per-line states of a purchase order. */
export const purchaseOrderLineStatuses = [
  'Open',
  'Acknowledged',
  'Changed',
  'Backordered',
  'Rejected',
  'Shipped',
  'PartiallyReceived',
  'Received',
  'Cancelled',
  'Closed',
] as const;

/** A purchase order line state. */
export type PurchaseOrderLineStatus = (typeof purchaseOrderLineStatuses)[number];

/** What purchase order guards look at; a PurchaseOrder document satisfies it. */
export interface PurchaseOrderLifecycleContext {
  /** Lines with their received quantity so far. */
  readonly lines?: readonly { readonly lineNumber?: number; readonly quantityReceived?: string | undefined }[];
}

type Guard = TransitionGuard<PurchaseOrderLifecycleContext>;

const hasLines: Guard = (po) => ((po.lines ?? []).length > 0 ? true : 'a purchase order needs at least one line');

const nothingReceived: Guard = (po) => {
  const received = (po.lines ?? []).filter((line) => line.quantityReceived !== undefined && !/^0+(?:\.0+)?$/.test(line.quantityReceived));
  return received.length === 0 ? true : `line(s) ${received.map((l) => l.lineNumber ?? '?').join(', ')} already received`;
};

const cancel = { Cancelled: nothingReceived } as const;

/** The purchase order lifecycle (procure-to-pay). Cancelled only before the supplier ships. */
export const purchaseOrderLifecycle = defineLifecycle<PurchaseOrderState, PurchaseOrderLifecycleContext>({
  name: 'purchase order',
  states: purchaseOrderStates,
  initial: 'Draft',
  transitions: {
    Draft: { Approved: hasLines, ...cancel },
    Approved: { Published: true, Draft: true, ...cancel },
    // Suppliers sometimes ship without acknowledging; the ASN then moves the order on.
    Published: { Acknowledged: true, PartiallyAcknowledged: true, Changed: true, Shipped: true, ...cancel },
    PartiallyAcknowledged: { Acknowledged: true, Changed: true, Shipped: true, ...cancel },
    Acknowledged: { Changed: true, Shipped: true, ...cancel },
    // A change (ours, or a supplier counter-proposal we accepted) is published again and re-acknowledged.
    Changed: { Published: true, Acknowledged: true, PartiallyAcknowledged: true, ...cancel },
    Shipped: { PartiallyReceived: true, Received: true },
    PartiallyReceived: { Received: true, Invoiced: true },
    Received: { Invoiced: true },
    Invoiced: { Matched: true, Disputed: true },
    Disputed: { Matched: true, Invoiced: true },
    Matched: { Closed: true },
  },
});
