import { makeEvent, newId, returnReasonCodes, type ReturnAuthorization, type ReturnReasonCode } from '@tradelane/canonical';
import type { ErpReturns } from '@tradelane/connector-kit';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  PermanentError,
  type Clock,
  type NewTimelineEntry,
  type OrderToCashTransactionRunner,
  type OrderToCashTx,
  type ReturnRequest,
  type ReturnView,
  type TenantContext,
} from '@tradelane/core';
import type { EventEnvelope } from '@tradelane/canonical';
import type { CircuitBreaker } from './circuit-breaker.js';

/** Event written with every return request; its consumer asks the ERP for the RMA. */
export const RETURN_REQUESTED = 'return.requested';

/** Payload of `return.requested`. */
export interface ReturnRequestedData {
  returnId: string;
  orderId: string;
  partnerId: string;
}

/** What the returns part of order-to-cash needs. */
export interface ReturnsDeps {
  transactions: OrderToCashTransactionRunner;
  erpReturns: ErpReturns | undefined;
  erpBreaker: CircuitBreaker;
  clock: Clock;
  /** Warehouse returns go back to. @default 'M10' */
  returnLocation?: string | undefined;
}

/**
 * The timeline entry of a return's goods received. Written by `receiveReturn` once the ERP has the receipt and, with
 * the same key, by the credit-memo consumer just before `Credited`: the ERP credits a return after its receipt, and
 * its credit memo can reach the hub before the receipt's own transaction commits. Whichever commits first writes it,
 * so the order's timeline reads `ReturnReceived` before `Credited` either way.
 */
export function returnReceivedEntry(returnId: string, at: string): NewTimelineEntry {
  return { key: `wms:return:${returnId}:received`, status: 'ReturnReceived', at, source: 'wms', detail: `return ${returnId}: goods received` };
}

function reasonOf(code: string): ReturnReasonCode {
  return (returnReasonCodes as readonly string[]).includes(code) ? (code as ReturnReasonCode) : 'other';
}

/**
 * Returns: `requestReturn` (customer command) writes the return (`Requested`) and `return.requested` in one
 * transaction; the consumer asks the ERP for the RMA (idempotent on the return id) → `Authorized` or `Rejected`;
 * `receiveReturn` records the warehouse receipt in the ERP → `Received`; the credit memo arrives on the change feed → `Credited`.
 */
export function createReturns(deps: ReturnsDeps) {
  const { transactions, clock } = deps;
  const erpReturns = () => {
    if (!deps.erpReturns) throw new PermanentError('TL_O2C_NO_ERP_RETURNS', 'the ERP connector offers no returns');
    return deps.erpReturns;
  };

  async function requestReturn(ctx: TenantContext, request: ReturnRequest): Promise<ReturnView> {
    const partnerId = ctx.partnerId;
    if (!partnerId) throw new NotAllowedError('TL_O2C_NOT_A_CUSTOMER', 'only a customer can request a return');
    if (!request || !Array.isArray(request.lines) || request.lines.length === 0) throw new InputError('TL_O2C_BAD_RETURN', 'lines: at least one line is required', { field: 'lines' });
    const id = newId('rma', clock.now().getTime());
    const at = clock.now().toISOString();
    return transactions.transaction(async (tx) => {
      const order = await tx.orderToCash.orders.get(ctx, request.orderId);
      if (!order || order.partnerId !== partnerId) throw new NotFoundError('TL_O2C_ORDER_NOT_FOUND', `order ${request.orderId} does not exist`, { orderId: request.orderId });
      if (!order.view.orderNumber) throw new ConflictError('TL_O2C_NOT_COMMITTED', 'the order has not reached the ERP yet', { orderId: order.id });
      const lines = request.lines.map((l, i) => {
        const line = order.view.lines.find((x) => x.lineNumber === l.lineNumber);
        if (!line) throw new InputError('TL_O2C_BAD_RETURN', `lines.${i}.lineNumber: order has no line ${l.lineNumber}`, { field: `lines.${i}.lineNumber` });
        return { lineNumber: l.lineNumber, sku: line.sku, quantity: l.quantity, reasonCode: l.reasonCode };
      });
      const view: ReturnView = { id, orderId: order.id, status: 'Requested', lines, timeline: [] };
      await tx.orderToCash.returns.upsert(ctx, partnerId, view);
      const timeline = await tx.orderToCash.orders.appendTimeline(ctx, order.id, [
        { key: `customer:return:${id}:requested`, status: 'ReturnRequested', at, source: 'customer', detail: `return ${id} requested: ${request.reason}` },
      ]);
      const data: ReturnRequestedData = { returnId: id, orderId: order.id, partnerId };
      await tx.outbox.append(ctx, {
        envelope: makeEvent({ type: RETURN_REQUESTED, source: '/tradelane/order-to-cash', tenantId: ctx.tenantId, subject: id, data, dataVersion: 1, correlationId: ctx.correlationId, time: at }),
        aggregateType: 'return',
        aggregateId: id,
      });
      return { ...view, timeline };
    });
  }

  /** Consumer: asks the ERP for the RMA and records its decision. */
  async function authorize(ctx: TenantContext, event: EventEnvelope<ReturnRequestedData>, tx: OrderToCashTx): Promise<void> {
    const found = await tx.orderToCash.returns.get(ctx, event.data.returnId);
    if (!found || found.view.status !== 'Requested') return;
    const order = await tx.orderToCash.orders.get(ctx, found.view.orderId);
    if (!order) return;
    const at = clock.now().toISOString();
    const rma: ReturnAuthorization = {
      schemaVersion: 1,
      id: found.view.id as ReturnAuthorization['id'],
      tenantId: ctx.tenantId,
      rmaNumber: found.view.id,
      customerId: found.partnerId as ReturnAuthorization['customerId'],
      status: 'Requested',
      requestedAt: at,
      returnToLocationId: deps.returnLocation ?? 'M10',
      currency: order.view.total.currency,
      lines: found.view.lines.map((l, i) => {
        const line = order.view.lines.find((x) => x.lineNumber === l.lineNumber)!;
        return {
          lineNumber: i + 1,
          salesOrderId: order.id as `so_${string}`,
          salesOrderLineNumber: l.lineNumber,
          sku: l.sku,
          quantity: l.quantity,
          unit: line.unit as ReturnAuthorization['lines'][number]['unit'],
          reasonCode: reasonOf(l.reasonCode),
        };
      }),
      externalIds: {},
      createdAt: at,
      updatedAt: at,
    };
    const { record } = await deps.erpBreaker.call(() => erpReturns().requestReturn(ctx, rma, found.view.id));
    const status = record.status === 'Rejected' ? 'Rejected' : 'Authorized';
    await tx.orderToCash.returns.upsert(ctx, found.partnerId, { ...found.view, status, rmaNumber: record.erpReturnNumber });
    await tx.orderToCash.orders.appendTimeline(ctx, order.id, [
      { key: `erp:return:${found.view.id}:${status}`, status: status === 'Rejected' ? 'ReturnRejected' : 'ReturnAuthorized', at, source: 'erp', detail: `return ${found.view.id}: RMA ${record.erpReturnNumber} ${status.toLowerCase()}` },
    ]);
  }

  /**
   * Records the warehouse receipt of a return in the ERP (which then issues the credit memo), then the return
   * `Received` and its timeline entry ({@link returnReceivedEntry}). When the credit memo was applied in between, the
   * return stays `Credited` and the entry is already there.
   */
  async function receiveReturn(ctx: TenantContext, returnId: string, lines?: Array<{ lineNumber: number; quantity: string }>): Promise<ReturnView> {
    const found = await transactions.transaction((tx) => tx.orderToCash.returns.get(ctx, returnId));
    if (!found) throw new NotFoundError('TL_O2C_RETURN_NOT_FOUND', `return ${returnId} does not exist`, { returnId });
    if (found.view.status !== 'Authorized' || !found.view.rmaNumber) throw new ConflictError('TL_O2C_RETURN_NOT_AUTHORIZED', `return ${returnId} is ${found.view.status}`);
    const received = lines ?? found.view.lines.map((l, i) => ({ lineNumber: i + 1, quantity: l.quantity }));
    await deps.erpBreaker.call(() => erpReturns().receiveReturn(ctx, found.view.rmaNumber!, received));
    const at = clock.now().toISOString();
    return transactions.transaction(async (tx) => {
      const current = (await tx.orderToCash.returns.get(ctx, returnId))!;
      const view = current.view.status === 'Authorized' ? { ...current.view, status: 'Received' } : current.view;
      await tx.orderToCash.returns.upsert(ctx, current.partnerId, view);
      await tx.orderToCash.orders.appendTimeline(ctx, view.orderId, [returnReceivedEntry(returnId, at)]);
      return view;
    });
  }

  const schema = {
    safeParse(data: unknown): { success: true; data: ReturnRequestedData } | { success: false; error: unknown } {
      const d = data as Partial<ReturnRequestedData> | null;
      return d && typeof d.returnId === 'string' ? { success: true, data: d as ReturnRequestedData } : { success: false, error: new PermanentError('TL_O2C_BAD_EVENT', 'return.requested needs returnId') };
    },
  };

  return { requestReturn, receiveReturn, authorize, schema };
}
