/** Which events partners can subscribe to, how filters match them, whose events they are, and the body sent. */
import { eventTypes, type EventEnvelope } from '@tradelane/canonical';
import { InputError } from '@tradelane/core';

/**
 * Event types partners may subscribe to, taken from the canonical event catalog: the order-to-cash order status
 * events (`sales_order.*`, including `sales_order.repromised` when the catalog has it) and
 * `purchase_order.published`. Other events are internal.
 */
export const webhookEventTypes: readonly string[] = eventTypes.filter((t) => t.startsWith('sales_order.') || t === 'purchase_order.published');

const FILTER = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/;

/**
 * True when a filter matches an event type: the exact type, `<prefix>.*` (any type under the prefix), or `*`.
 * @example matchesEventFilter('purchase_order.*', 'purchase_order.published') // true
 */
export function matchesEventFilter(filter: string, eventType: string): boolean {
  if (filter === '*') return true;
  if (filter.endsWith('.*')) return eventType.startsWith(filter.slice(0, -1));
  return filter === eventType;
}

/** True when any of the filters matches the event type. */
export function matchesAnyFilter(filters: readonly string[], eventType: string): boolean {
  return filters.some((f) => matchesEventFilter(f, eventType));
}

/**
 * Checks subscription filters: each must be well-formed and match at least one subscribable event type.
 * @throws InputError `TL_WEBHOOK_BAD_FILTER`
 */
export function validateEventFilters(filters: readonly string[], subscribable: readonly string[] = webhookEventTypes): string[] {
  if (!Array.isArray(filters) || filters.length === 0 || filters.length > 100) {
    throw new InputError('TL_WEBHOOK_BAD_FILTER', 'eventTypes must list 1-100 event types or wildcards', { field: 'eventTypes' });
  }
  const out = [...new Set(filters)];
  for (const f of out) {
    if (typeof f !== 'string' || !FILTER.test(f) || !subscribable.some((t) => matchesEventFilter(f, t))) {
      throw new InputError('TL_WEBHOOK_BAD_FILTER', `"${String(f)}" matches no event a partner can subscribe to (${subscribable.join(', ')})`, {
        field: 'eventTypes',
        filter: f,
      });
    }
  }
  return out;
}

function idAt(data: unknown, path: readonly string[]): string | undefined {
  let value: unknown = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * The partner an event concerns: the envelope's `partnerid` extension when set, else the customer of a sales order
 * or the supplier of a purchase order in its data (`partnerId`, `salesOrder.customerId`, `purchaseOrder.supplierId`).
 */
export function eventPartnerId(event: EventEnvelope): string | undefined {
  return (
    event.partnerid ??
    idAt(event.data, ['partnerId']) ??
    idAt(event.data, ['salesOrder', 'customerId']) ??
    idAt(event.data, ['purchaseOrder', 'supplierId'])
  );
}

/**
 * The JSON body sent for an event, Standard Webhooks style: `{ type, timestamp, data }` plus the document the event
 * is about (`subject`), the payload version and the correlation id. Rendered once; every attempt sends the same bytes.
 */
export function webhookBody(event: EventEnvelope): string {
  return JSON.stringify({
    type: event.type,
    timestamp: event.time,
    ...(event.subject !== undefined ? { subject: event.subject } : {}),
    dataversion: event.dataversion,
    ...(event.correlationid !== undefined ? { correlationid: event.correlationid } : {}),
    data: event.data,
  });
}
