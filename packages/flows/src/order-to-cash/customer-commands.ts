import { makeEvent, newId } from '@tradelane/canonical';
import type { ErpSalesOrders } from '@tradelane/connector-kit';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
  type Clock,
  type CustomerCommands,
  type OrderToCashTransactionRunner,
  type OrderView,
  type TenantContext,
} from '@tradelane/core';
import type { CircuitBreaker } from './circuit-breaker.js';
import { assertSubmissionShape } from './order-validation.js';

/** Type of the event written with every accepted submission; its consumer starts the order-to-cash flow. */
export const SALES_ORDER_RECEIVED = 'sales_order.received' as const;

/** Payload of `sales_order.received` as order-to-cash writes it (the order is not validated yet). */
export interface SalesOrderReceivedData {
  orderId: string;
  partnerId: string;
  customerPoNumber: string;
}

/** What the customer commands need. */
export interface CustomerCommandDeps {
  transactions: OrderToCashTransactionRunner;
  erpSalesOrders: ErpSalesOrders;
  erpBreaker: CircuitBreaker;
  clock: Clock;
}

function partnerOf(ctx: TenantContext): string {
  if (!ctx.partnerId) throw new NotAllowedError('TL_O2C_NOT_A_CUSTOMER', 'only a customer can do this');
  return ctx.partnerId;
}

/**
 * The customer's commands. `submitOrder` accepts the order (status `Received`, timeline `Received`) and writes
 * `sales_order.received` in the same transaction; validation and the ERP commit follow in the flow.
 */
export function createCustomerCommands(deps: CustomerCommandDeps): CustomerCommands {
  const { transactions, clock } = deps;

  async function loadOwned(ctx: TenantContext, orderId: string) {
    const partnerId = partnerOf(ctx);
    return transactions.transaction(async (tx) => {
      const order = await tx.orderToCash.orders.get(ctx, orderId);
      if (!order || order.partnerId !== partnerId) throw new NotFoundError('TL_O2C_ORDER_NOT_FOUND', `order ${orderId} does not exist`, { orderId });
      return order;
    });
  }

  async function viewOf(ctx: TenantContext, orderId: string): Promise<OrderView> {
    return transactions.transaction(async (tx) => {
      const order = await tx.orderToCash.orders.get(ctx, orderId);
      if (!order) throw new NotFoundError('TL_O2C_ORDER_NOT_FOUND', `order ${orderId} does not exist`, { orderId });
      return { ...order.view, timeline: await tx.orderToCash.orders.timeline(ctx, orderId) };
    });
  }

  return {
    async submitOrder(ctx, submission) {
      const partnerId = partnerOf(ctx);
      assertSubmissionShape(submission);
      const now = clock.now();
      const at = now.toISOString();
      const id = newId('so', now.getTime());
      return transactions.transaction(async (tx) => {
        const customer = await tx.orderToCash.catalog.getParty(ctx, partnerId);
        if (!customer || customer.kind !== 'customer') throw new NotAllowedError('TL_O2C_NOT_A_CUSTOMER', `partner ${partnerId} is not a customer account`);
        const shipTos = await tx.orderToCash.catalog.listShipTos(ctx, partnerId);
        const shipTo = submission.shipTo ? shipTos.find((s) => s.code === submission.shipTo || s.id === submission.shipTo) : shipTos[0];
        const currency = customer.currency;
        const view: OrderView = {
          id,
          customerPoNumber: submission.customerPoNumber,
          status: 'Received',
          orderedAt: at,
          ...(submission.requestedDeliveryDate ? { requestedDeliveryDate: submission.requestedDeliveryDate } : {}),
          shipTo: { ...(submission.shipTo ? { code: submission.shipTo } : shipTo ? { code: shipTo.code } : {}), name: shipTo?.name ?? customer.name },
          lines: submission.lines.map((l, i) => ({
            lineNumber: i + 1,
            sku: l.sku ?? '',
            ...(l.customerPartNumber ? { customerPartNumber: l.customerPartNumber } : {}),
            quantity: l.quantity,
            unit: l.unit,
            unitPrice: { amount: l.expectedUnitPrice ?? '0.00', currency },
            status: 'Open',
            quantityAllocated: '0',
            quantityBackordered: '0',
            quantityShipped: '0',
          })),
          shipments: [],
          total: { amount: '0.00', currency },
          timeline: [],
        };
        await tx.orderToCash.orders.insert(ctx, { id, partnerId, submission, view });
        const timeline = await tx.orderToCash.orders.appendTimeline(ctx, id, [
          { key: 'hub:received', status: 'Received', at, source: 'hub', detail: `order ${submission.customerPoNumber} received with ${submission.lines.length} line(s)` },
        ]);
        const data: SalesOrderReceivedData = { orderId: id, partnerId, customerPoNumber: submission.customerPoNumber };
        await tx.outbox.append(ctx, {
          envelope: makeEvent({ type: SALES_ORDER_RECEIVED, source: '/tradelane/order-to-cash', tenantId: ctx.tenantId, subject: id, data, dataVersion: 1, correlationId: ctx.correlationId, time: at }),
          aggregateType: 'sales_order',
          aggregateId: id,
        });
        return { ...view, timeline };
      });
    },

    async changeOrder(ctx, orderId, change) {
      const order = await loadOwned(ctx, orderId);
      if (!order.view.orderNumber) throw new ConflictError('TL_O2C_NOT_COMMITTED', 'the order is still being committed to the ERP; try again shortly', { orderId });
      const erpOrder = await deps.erpBreaker.call(() => deps.erpSalesOrders.changeOrder(ctx, order.view.orderNumber!, change));
      await transactions.transaction(async (tx) => {
        const current = await tx.orderToCash.orders.get(ctx, orderId, { forUpdate: true });
        if (!current) return;
        const lines = current.view.lines.map((l) => {
          const c = change.lines.find((x) => x.lineNumber === l.lineNumber);
          return c ? { ...l, quantity: c.quantity } : l;
        });
        await tx.orderToCash.orders.save(ctx, { ...current, view: { ...current.view, lines } });
        await tx.orderToCash.orders.appendTimeline(ctx, orderId, [
          { key: `customer:change:${erpOrder.updatedAt}`, status: 'Changed', at: clock.now().toISOString(), source: 'customer', detail: change.lines.map((l) => `line ${l.lineNumber} → ${l.quantity}`).join(', ') },
        ]);
      });
      return viewOf(ctx, orderId);
    },

    async cancelOrder(ctx, orderId, reason) {
      const order = await loadOwned(ctx, orderId);
      if (!order.view.orderNumber) throw new ConflictError('TL_O2C_NOT_COMMITTED', 'the order is still being committed to the ERP; try again shortly', { orderId });
      await deps.erpBreaker.call(() => deps.erpSalesOrders.cancelOrder(ctx, order.view.orderNumber!, reason));
      await transactions.transaction(async (tx) => {
        const current = await tx.orderToCash.orders.get(ctx, orderId, { forUpdate: true });
        if (!current) return;
        await tx.orderToCash.orders.save(ctx, { ...current, view: { ...current.view, status: 'Cancelled' } });
        await tx.orderToCash.orders.appendTimeline(ctx, orderId, [
          { key: 'customer:cancelled', status: 'Cancelled', at: clock.now().toISOString(), source: 'customer', detail: `cancelled: ${reason}` },
        ]);
      });
      return viewOf(ctx, orderId);
    },

    async requestReturn() {
      throw new ConflictError('TL_O2C_RETURNS_UNAVAILABLE', 'returns are not available yet');
    },
  };
}
