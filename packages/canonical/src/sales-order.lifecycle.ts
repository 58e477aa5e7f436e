import { defineLifecycle, type TransitionGuard } from './lifecycle.js';

/** Header states of a sales order, in the order they are normally reached. */
export const salesOrderStates = [
  'Received',
  'Validated',
  'Accepted',
  'Committed',
  'Acknowledged',
  'Allocated',
  'Backordered',
  'Released',
  'Picked',
  'Packed',
  'PartiallyShipped',
  'Shipped',
  'InTransit',
  'Delivered',
  'Invoiced',
  'Paid',
  'Closed',
  'OnHold',
  'Cancelled',
  'Rejected',
] as const;

/** A sales order header state. */
export type SalesOrderState = (typeof salesOrderStates)[number];

/** Per-line states of a sales order. */
export const salesOrderLineStatuses = [
  'Open',
  'Allocated',
  'Backordered',
  'Released',
  'Picked',
  'Packed',
  'Shipped',
  'Delivered',
  'Invoiced',
  'Cancelled',
  'Rejected',
] as const;

/** A sales order line state. */
export type SalesOrderLineStatus = (typeof salesOrderLineStatuses)[number];

/** Line states that mean the warehouse already has the goods: the order can no longer be cancelled. */
export const releasedLineStatuses: readonly SalesOrderLineStatus[] = ['Released', 'Picked', 'Packed', 'Shipped', 'Delivered', 'Invoiced'];

/** What sales order guards look at; a SalesOrder document satisfies it (add `trackingNumber` when shipping). */
export interface SalesOrderLifecycleContext {
  /** Lines with their current status. */
  readonly lines?: readonly { readonly lineNumber?: number; readonly status: string }[];
  /** Holds on the order; a hold without `releasedAt` is active. */
  readonly holds?: readonly { readonly code: string; readonly releasedAt?: string | undefined }[];
  /** Tracking number of the shipment being recorded. */
  readonly trackingNumber?: string | undefined;
  /** Shipments already recorded on the order. */
  readonly shipments?: readonly { readonly trackingNumber?: string | undefined }[];
}

type Guard = TransitionGuard<SalesOrderLifecycleContext>;

const noReleasedLines: Guard = (order) => {
  const released = (order.lines ?? []).filter((line) => (releasedLineStatuses as readonly string[]).includes(line.status));
  return released.length === 0
    ? true
    : `line(s) ${released.map((l) => l.lineNumber ?? '?').join(', ')} already released to the warehouse`;
};

const hasTrackingNumber: Guard = (order) =>
  order.trackingNumber || (order.shipments ?? []).some((s) => s.trackingNumber) ? true : 'a tracking number is required to ship';

const noActiveHold: Guard = (order) => {
  const active = (order.holds ?? []).filter((hold) => !hold.releasedAt);
  return active.length === 0 ? true : `order still has active hold(s): ${active.map((h) => h.code).join(', ')}`;
};

const cancel = { Cancelled: noReleasedLines } as const;
const hold = { OnHold: true } as const;

/** The sales order lifecycle (order-to-cash). Cancelled only before release; OnHold for credit and other holds. */
export const salesOrderLifecycle = defineLifecycle<SalesOrderState, SalesOrderLifecycleContext>({
  name: 'sales order',
  states: salesOrderStates,
  initial: 'Received',
  transitions: {
    Received: { Validated: true, Rejected: true, ...hold, ...cancel },
    Validated: { Accepted: true, Rejected: true, ...hold, ...cancel },
    Accepted: { Committed: true, ...hold, ...cancel },
    Committed: { Acknowledged: true, Rejected: true, ...hold, ...cancel },
    Acknowledged: { Allocated: true, Backordered: true, ...hold, ...cancel },
    Allocated: { Released: true, Backordered: true, ...hold, ...cancel },
    Backordered: { Allocated: true, ...hold, ...cancel },
    OnHold: {
      Validated: noActiveHold,
      Accepted: noActiveHold,
      Committed: noActiveHold,
      Acknowledged: noActiveHold,
      Allocated: noActiveHold,
      Backordered: noActiveHold,
      Rejected: true,
      ...cancel,
    },
    Released: { Picked: true },
    Picked: { Packed: true },
    Packed: { Shipped: hasTrackingNumber, PartiallyShipped: hasTrackingNumber },
    PartiallyShipped: { Shipped: hasTrackingNumber },
    // Distributors often invoice at shipment, so Invoiced may come before InTransit/Delivered.
    Shipped: { InTransit: true, Delivered: true, Invoiced: true },
    InTransit: { Delivered: true, Invoiced: true },
    Delivered: { Invoiced: true },
    Invoiced: { Paid: true },
    Paid: { Closed: true },
  },
});
