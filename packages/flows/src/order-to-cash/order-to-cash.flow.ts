import type { ErpOrder, ErpSalesOrders } from '@tradelane/connector-kit';
import { NotFoundError, PermanentError, type Clock, type OrderToCashTransactionRunner, type StoredOrder, type TenantContext } from '@tradelane/core';
import { defineFlow, defineStep, type FlowDefinition } from '../flow-definition.js';
import { FlowStepFailedError } from '../flow-errors.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { applyErpOrder } from './erp-order.apply.js';
import { validateOrder } from './order-validation.js';

/** Input of the order-to-cash flow: which order, for which customer. */
export interface OrderToCashInput {
  orderId: string;
  partnerId: string;
}

/** How an order-to-cash run ended. */
export type OrderToCashOutcome =
  | { outcome: 'committed'; orderNumber: string; duplicate: boolean }
  | { outcome: 'rejected'; reasons: string[] };

/** What the order-to-cash flow needs. */
export interface OrderToCashFlowDeps {
  transactions: OrderToCashTransactionRunner;
  erpSalesOrders: ErpSalesOrders;
  /** Breaker of the ERP, shared by every call to it. */
  erpBreaker: CircuitBreaker;
  clock: Clock;
}

/** Retry of the ERP commit: long enough to ride out an ERP outage (about 8 hours at the 30 s cap). */
export const commitRetryPolicy = { maxAttempts: 1000, initialDelayMs: 200, maxDelayMs: 30_000 } as const;

/** Id of the order-to-cash flow. */
export const ORDER_TO_CASH_FLOW_ID = 'order-to-cash';

async function loadOrder(tx: Parameters<Parameters<OrderToCashTransactionRunner['transaction']>[0]>[0], ctx: TenantContext, orderId: string): Promise<StoredOrder> {
  const order = await tx.orderToCash.orders.get(ctx, orderId, { forUpdate: true });
  if (!order) throw new NotFoundError('TL_O2C_ORDER_NOT_FOUND', `order ${orderId} does not exist`, { orderId });
  return order;
}

/**
 * Builds the order-to-cash flow: validate → commit to the ERP exactly once (reference = the hub's order id) → apply
 * the ERP's answer. Runs of one customer share the concurrency key `customer:<partnerId>`, so orders of a customer
 * reach the ERP in submission order, also after an outage.
 */
export function createOrderToCashFlow(deps: OrderToCashFlowDeps): FlowDefinition<OrderToCashInput, OrderToCashOutcome> {
  const { transactions, erpSalesOrders, erpBreaker, clock } = deps;

  const validate = defineStep({
    id: 'validate-order',
    retry: { maxAttempts: 20, initialDelayMs: 200, maxDelayMs: 10_000 },
    run: (input: OrderToCashInput, sctx) =>
      transactions.transaction(async (tx) => {
        const order = await loadOrder(tx, sctx.ctx, input.orderId);
        if (order.view.status === 'Rejected') {
          const timeline = await tx.orderToCash.orders.timeline(sctx.ctx, order.id);
          return { ok: false as const, reasons: timeline.filter((e) => e.status === 'Rejected').map((e) => e.detail) };
        }
        if (order.salesOrder) return { ok: true as const };
        const at = clock.now().toISOString();
        const result = await validateOrder(sctx.ctx, tx.orderToCash.catalog, order, clock.now());
        if (!result.ok) {
          const view = { ...order.view, status: 'Rejected', lines: order.view.lines.map((l) => ({ ...l, status: 'Rejected' })) };
          await tx.orderToCash.orders.save(sctx.ctx, { ...order, view });
          await tx.orderToCash.orders.appendTimeline(sctx.ctx, order.id, [
            { key: 'hub:rejected', status: 'Rejected', at, source: 'hub', detail: result.reasons.join('; ') },
          ]);
          return { ok: false as const, reasons: result.reasons };
        }
        const so = result.salesOrder;
        const view = {
          ...order.view,
          status: result.onHold ? 'OnHold' : 'Accepted',
          shipTo: { ...(so.shipTo.code ? { code: so.shipTo.code } : {}), name: so.shipTo.name },
          lines: result.lines,
          total: so.totals.total,
        };
        await tx.orderToCash.orders.save(sctx.ctx, { ...order, view, salesOrder: so });
        await tx.orderToCash.orders.appendTimeline(sctx.ctx, order.id, [
          { key: 'hub:accepted', status: 'Accepted', at, source: 'hub', detail: `validated: ${result.lines.length} line(s), total ${so.totals.total.amount} ${so.currency}` },
          ...result.notes,
          ...(result.onHold ? [{ key: 'hub:credit-hold', status: 'OnHold', at, source: 'hub' as const, detail: `account on credit hold: ${so.holds[0]?.reason ?? 'credit hold'}` }] : []),
        ]);
        return { ok: true as const };
      }),
  });

  const commit = defineStep({
    id: 'commit-order',
    retry: commitRetryPolicy,
    run: async (input: OrderToCashInput, sctx): Promise<{ erpOrder: ErpOrder; duplicate: boolean }> => {
      const order = await transactions.transaction((tx) => tx.orderToCash.orders.get(sctx.ctx, input.orderId));
      if (!order?.salesOrder) throw new PermanentError('TL_O2C_NOT_VALIDATED', `order ${input.orderId} has no validated document`);
      const salesOrder = order.salesOrder;
      const result = await erpBreaker.call(() => erpSalesOrders.commitOrder(sctx.ctx, salesOrder, order.id));
      return { erpOrder: result.record, duplicate: result.duplicate };
    },
  });

  const apply = defineStep({
    id: 'apply-erp-answer',
    retry: { maxAttempts: 20, initialDelayMs: 200, maxDelayMs: 10_000 },
    run: (input: { orderId: string; erpOrder: ErpOrder }, sctx) =>
      transactions.transaction(async (tx) => {
        const order = await loadOrder(tx, sctx.ctx, input.orderId);
        const applied = applyErpOrder(order, input.erpOrder, clock.now().toISOString(), { committed: true });
        await tx.orderToCash.orders.save(sctx.ctx, applied.order);
        await tx.orderToCash.orders.appendTimeline(sctx.ctx, order.id, applied.entries);
        return { status: applied.order.view.status };
      }),
  });

  const reject = defineStep({
    id: 'reject-order',
    run: (input: { orderId: string; reason: string }, sctx) =>
      transactions.transaction(async (tx) => {
        const order = await loadOrder(tx, sctx.ctx, input.orderId);
        const view = { ...order.view, status: 'Rejected', lines: order.view.lines.map((l) => ({ ...l, status: 'Rejected' })) };
        await tx.orderToCash.orders.save(sctx.ctx, { ...order, view });
        await tx.orderToCash.orders.appendTimeline(sctx.ctx, order.id, [
          { key: 'erp:rejected', status: 'Rejected', at: clock.now().toISOString(), source: 'erp', detail: `the ERP refused the order: ${input.reason}` },
        ]);
        return { rejected: true };
      }),
  });

  return defineFlow({
    id: ORDER_TO_CASH_FLOW_ID,
    version: 1,
    idempotencyKey: (input: OrderToCashInput) => input.orderId,
    concurrencyKey: (input) => `customer:${input.partnerId}`,
    run: async (input, f): Promise<OrderToCashOutcome> => {
      const validated = await f.step(validate, input);
      if (!validated.ok) return { outcome: 'rejected', reasons: validated.reasons };
      let committed: { erpOrder: ErpOrder; duplicate: boolean };
      try {
        committed = await f.step(commit, input);
      } catch (err) {
        if (err instanceof FlowStepFailedError && err.reason === 'permanent') {
          const reason = String(err.details?.['error'] ?? err.message);
          await f.step(reject, { orderId: input.orderId, reason });
          return { outcome: 'rejected', reasons: [reason] };
        }
        throw err;
      }
      await f.step(apply, { orderId: input.orderId, erpOrder: committed.erpOrder });
      return { outcome: 'committed', orderNumber: committed.erpOrder.erpOrderNumber, duplicate: committed.duplicate };
    },
  });
}
