import { eventCatalog, type EventData, type EventEnvelope, type PurchaseOrder } from '@tradelane/canonical';
import type { ErpPurchasing, WmsFulfilment } from '@tradelane/connector-kit';
import {
  describeError,
  InputError,
  systemClock,
  systemContext,
  type Clock,
  type ExceptionDesk,
  type ExceptionOwnerRole,
  type ProcureToPayTransactionRunner,
  type ProcureToPayTx,
  type SupplierCommands,
  type SupplierItemView,
  type SupplierPurchaseOrderView,
  type SupplierQueries,
  type TenantContext,
  type ToleranceProfile,
} from '@tradelane/core';
import { erpChangeDataSchema, erpChangeEventTypes, type ErpChangeData } from '../order-to-cash/erp-feed.consumers.js';
import { wmsEventDataSchema, wmsEventTypes, type WmsEventData } from '../order-to-cash/fulfilment.js';
import type { OrderToCashConsumerDefinitions, PayloadSchema } from '../order-to-cash/order-to-cash.js';
import { acknowledge } from './acknowledgments.js';
import { countReceiptOnAsn, receiveAsn, submitAsn } from './asns.js';
import { createExceptionDesk } from './exception-desk.js';
import { availabilityToPromise, type AvailabilityToPromise } from './impact.js';
import { assertDate, assertQuantity, submitInvoice, supplierOf } from './invoices.js';
import { applyErpPurchaseOrder, remind } from './purchase-orders.js';
import { openException, p2pEventTypes, toleranceOf, today, touch, type ErpRequest, type P2pSettings } from './procure-to-pay.process.js';
import { createSupplierQueries } from './supplier-queries.js';
import type { ToleranceConfig } from './tolerance.js';

/**
 * An outbound channel a purchase order can be sent on (EDI 850 drop, CSV over SFTP, e-mail…). Suppliers whose
 * profile names channel `api` read their orders from the supplier API instead; nothing is sent.
 */
export interface SupplierOutboundChannel {
  /** The name a tolerance profile's `channel` refers to, e.g. `edi-850`. */
  readonly name: string;
  /** Sends one purchase order revision to the supplier; must be idempotent on `po.poNumber` + `supplier.revision`. */
  publish(ctx: TenantContext, po: PurchaseOrder, supplier: { supplierId: string; revision: number; view: SupplierPurchaseOrderView }): Promise<void>;
}

/** What {@link createProcureToPay} needs. */
export interface ProcureToPayDeps {
  /** Procure-to-pay transactions (`createProcureToPayStore(store, { watchers }).transactions`). */
  transactions: ProcureToPayTransactionRunner;
  /** The ERP's purchasing capability. */
  erpPurchasing: ErpPurchasing;
  /** The warehouse: ship notices are announced to it (when it takes them) and its receipts come back. */
  wms?: Pick<WmsFulfilment, 'announceInbound'> | undefined;
  /** Outbound channels by name, for suppliers not on the API. */
  channels?: readonly SupplierOutboundChannel[] | undefined;
  /** Tolerance profiles: the default and per-supplier overrides (by supplier party id). */
  tolerances?: ToleranceConfig | undefined;
  /** Hours an exception may stay open, per owner role. @default buyer 24, finance 48, customer_service 8 */
  exceptionSlaHours?: Partial<Record<ExceptionOwnerRole, number>> | undefined;
  /** Tenants the sweeps work on. */
  tenantIds: readonly string[];
  /** @default systemClock */
  clock?: Clock | undefined;
  /** Wait between sweep rounds (real time). @default 30000 */
  sweepIntervalMs?: number | undefined;
  onError?: ((err: unknown) => void) | undefined;
}

/** The acknowledgment and promise sweeps: `runOnce` in tests and jobs, `start`/`stop` in the worker. */
export interface ProcureToPaySweeps {
  /** Sends due reminders, raises missing acknowledgments and missed promises; resolves how many things it did. */
  runOnce(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/** The composed procure-to-pay process. */
export interface ProcureToPay {
  /** Consumer definitions to pass to `defineConsumers` with the procure-to-pay transactions. */
  readonly consumerDefinitions: OrderToCashConsumerDefinitions<ProcureToPayTx>;
  /** What the supplier API calls. */
  readonly commands: SupplierCommands;
  /** What the supplier API reads. */
  readonly queries: SupplierQueries;
  /** What the operations API calls for exceptions. */
  readonly exceptions: ExceptionDesk;
  readonly sweeps: ProcureToPaySweeps;
  /** Availability-to-promise of a SKU: on hand, allocated and inbound supply by date, per warehouse. */
  atp(ctx: TenantContext, sku: string): Promise<AvailabilityToPromise>;
  /** Records goods received against a ship notice (as the warehouse would report them); every line in full when `lines` is absent. */
  receiveAsn(ctx: TenantContext, asnId: string, lines?: Array<{ poNumber: string; lineNumber: number; quantity: string }>): Promise<void>;
  /** The tolerance profile in force for a supplier. */
  tolerance(ctx: TenantContext, supplierId: string): Promise<ToleranceProfile>;
  /** Stores a run-time override of a supplier's tolerance profile (on top of the configured one). */
  setTolerance(ctx: TenantContext, supplierId: string, profile: Partial<ToleranceProfile>): Promise<ToleranceProfile>;
}

/**
 * Composes procure-to-pay: the consumers of the ERP's purchasing changes and of the warehouse's receipts, the ERP
 * writer, the outbound channel publisher, the supplier commands and queries, the exception desk and the sweeps.
 * @example
 * const p2pStore = createProcureToPayStore(store, { watchers: o2cStore.watchers });
 * const p2p = createProcureToPay({ transactions: p2pStore.transactions, erpPurchasing: erp.erpPurchasing, wms, tenantIds: ['acme'] });
 * const consumers = defineConsumers<ProcureToPayStoreTx, any>({ ...o2c.consumerDefinitions, ...p2p.consumerDefinitions });
 */
export function createProcureToPay(deps: ProcureToPayDeps): ProcureToPay {
  const clock = deps.clock ?? systemClock;
  const settings: P2pSettings = {
    clock,
    tolerances: deps.tolerances,
    exceptionSlaHours: { buyer: 24, finance: 48, customer_service: 8, ...deps.exceptionSlaHours },
  };
  const { transactions, erpPurchasing } = deps;
  const outageRetry = { maxAttempts: 1000, initialDelayMs: 500, maxDelayMs: 30_000 };

  async function syncOrder(ctx: TenantContext, tx: ProcureToPayTx, poNumber: string): Promise<void> {
    const erp = await erpPurchasing.findPurchaseOrder(ctx, poNumber);
    if (erp) await applyErpPurchaseOrder(ctx, tx, settings, erp, 'erp');
  }

  async function writeErp(ctx: TenantContext, event: EventEnvelope<ErpRequest>, tx: ProcureToPayTx): Promise<void> {
    const r = event.data;
    switch (r.op) {
      case 'ack': {
        const erp = await erpPurchasing.applyAcknowledgment(ctx, r.poNumber, r.lines);
        await applyErpPurchaseOrder(ctx, tx, settings, erp, 'hub');
        return;
      }
      case 'asn': {
        await erpPurchasing.recordExpectedReceipt(ctx, r.asn);
        if (deps.wms?.announceInbound) await deps.wms.announceInbound(ctx, r.notice);
        return;
      }
      case 'receipt': {
        await erpPurchasing.recordReceipt(ctx, r.receipt, r.reference);
        await countReceiptOnAsn(ctx, tx, r.receipt, r.reference);
        await syncOrder(ctx, tx, r.poNumber);
        return;
      }
      case 'invoice': {
        await erpPurchasing.recordSupplierInvoice(ctx, r.invoice);
        if (r.decision) await erpPurchasing.setInvoiceMatchDecision(ctx, r.invoice.id, r.decision, r.reason);
        return;
      }
      case 'decision': {
        await erpPurchasing.setInvoiceMatchDecision(ctx, r.invoiceId, r.decision, r.reason);
        return;
      }
    }
  }

  const erpRequestSchema: PayloadSchema<ErpRequest> = {
    safeParse(data) {
      const op = (data as { op?: unknown } | null)?.op;
      return typeof op === 'string' && ['ack', 'asn', 'receipt', 'invoice', 'decision'].includes(op)
        ? { success: true, data: data as ErpRequest }
        : { success: false, error: new Error('payload is not a procure-to-pay ERP request') };
    },
  };

  const consumerDefinitions: OrderToCashConsumerDefinitions<ProcureToPayTx> = {
    'procure-to-pay-erp-feed': {
      [erpChangeEventTypes['purchase_order.updated']]: {
        schema: erpChangeDataSchema,
        retry: { maxAttempts: 20, initialDelayMs: 500, maxDelayMs: 60_000 },
        handler: async (ctx: TenantContext, event: EventEnvelope<ErpChangeData>, tx: ProcureToPayTx) => {
          const change = event.data.change;
          if (change.kind === 'purchase_order.updated') await applyErpPurchaseOrder(ctx, tx, settings, change.purchaseOrder, 'erp');
        },
      },
      [erpChangeEventTypes['receipt.recorded']]: {
        schema: erpChangeDataSchema,
        retry: outageRetry,
        handler: async (ctx: TenantContext, event: EventEnvelope<ErpChangeData>, tx: ProcureToPayTx) => {
          const change = event.data.change;
          if (change.kind !== 'receipt.recorded') return;
          await countReceiptOnAsn(ctx, tx, change.receipt.receipt, change.receipt.reference);
          await syncOrder(ctx, tx, change.receipt.poNumber);
        },
      },
    },
    'procure-to-pay-erp': {
      [p2pEventTypes.erpRequested]: { schema: erpRequestSchema, retry: outageRetry, handler: writeErp },
    },
  };
  if (deps.wms) {
    consumerDefinitions['procure-to-pay-warehouse'] = {
      [wmsEventTypes['receipt.recorded']]: {
        schema: wmsEventDataSchema,
        retry: { maxAttempts: 20, initialDelayMs: 500, maxDelayMs: 60_000 },
        handler: async (ctx: TenantContext, event: EventEnvelope<WmsEventData>, tx: ProcureToPayTx) => {
          const e = event.data.event;
          if (e.kind !== 'receipt.recorded' || !e.reference.startsWith('asn_')) return;
          const asn = await tx.procureToPay.asns.get(ctx, e.reference);
          if (!asn) return;
          const lines = e.lines.flatMap((l) => (l.poNumber && l.lineNumber !== undefined ? [{ poNumber: l.poNumber, lineNumber: l.lineNumber, quantity: l.quantity }] : []));
          await receiveAsn(ctx, tx, settings, asn.id, { at: e.at, warehouseId: e.warehouseId, ...(lines.length ? { lines } : {}) });
        },
      },
    };
  }
  const channels = new Map((deps.channels ?? []).map((c) => [c.name, c]));
  if (channels.size > 0) {
    consumerDefinitions['procure-to-pay-outbound'] = {
      [p2pEventTypes.published]: {
        schema: eventCatalog['purchase_order.published'].schema,
        retry: outageRetry,
        handler: async (ctx: TenantContext, event: EventEnvelope<EventData<'purchase_order.published'>>, tx: ProcureToPayTx) => {
          // The payload is the catalog's; the outbound channel name and the supplier view come from the hub's own records.
          const { purchaseOrder } = event.data;
          const stored = await tx.procureToPay.purchaseOrders.get(ctx, purchaseOrder.id);
          if (!stored) return;
          const profile = await toleranceOf(ctx, tx, settings, stored.supplierId);
          const channel = channels.get(profile.channel);
          if (!channel) return;
          await channel.publish(ctx, purchaseOrder, { supplierId: stored.supplierId, revision: purchaseOrder.revision, view: stored.view });
        },
      },
    };
  }

  const commands: SupplierCommands = {
    acknowledge: (ctx, purchaseOrderId, submission) => acknowledge(ctx, transactions, settings, purchaseOrderId, submission),
    submitAsn: (ctx, asn) => submitAsn(ctx, transactions, settings, asn),
    submitInvoice: (ctx, invoice) => submitInvoice(ctx, transactions, settings, invoice),
    async updateAvailability(ctx, sku, update) {
      const supplierId = supplierOf(ctx);
      if (typeof sku !== 'string' || sku.trim() === '' || sku.length > 40) throw new InputError('TL_P2P_BAD_SKU', 'sku is required', { field: 'sku' });
      assertQuantity(update?.available, 'available', true);
      if (typeof update.unit !== 'string' || update.unit === '') throw new InputError('TL_P2P_BAD_AVAILABILITY', 'unit is required', { field: 'unit' });
      if (update.leadTimeDays !== undefined && (!Number.isInteger(update.leadTimeDays) || update.leadTimeDays < 0 || update.leadTimeDays > 365)) {
        throw new InputError('TL_P2P_BAD_AVAILABILITY', 'leadTimeDays must be an integer 0-365', { field: 'leadTimeDays' });
      }
      if (update.nextAvailableDate !== undefined) assertDate(update.nextAvailableDate, 'nextAvailableDate');
      const item: SupplierItemView = {
        sku,
        available: update.available,
        unit: update.unit,
        ...(update.leadTimeDays !== undefined ? { leadTimeDays: update.leadTimeDays } : {}),
        ...(update.nextAvailableDate !== undefined ? { nextAvailableDate: update.nextAvailableDate } : {}),
        updatedAt: clock.now().toISOString(),
      };
      await transactions.transaction((tx) => tx.procureToPay.suppliers.putItem(ctx, supplierId, item));
      return item;
    },
  };

  async function sweepTenant(tenantId: string): Promise<number> {
    const ctx = systemContext(tenantId, 'sweep-procure-to-pay', 'sweep:procure-to-pay');
    const now = clock.now();
    let done = 0;
    await transactions.transaction(async (tx) => {
      for (const found of await tx.procureToPay.purchaseOrders.listAwaitingAcknowledgment(ctx, now, 200)) {
        let po = found;
        if (!po.reminderSent && po.reminderAt && Date.parse(po.reminderAt) <= now.getTime()) {
          po = await remind(ctx, tx, settings, po);
          done += 1;
        }
        if (!po.ackMissingRaised && po.view.acknowledgmentDueBy && Date.parse(po.view.acknowledgmentDueBy) <= now.getTime()) {
          await openException(ctx, tx, settings, {
            type: 'acknowledgment_missing',
            ownerRole: 'buyer',
            subject: { kind: 'purchase_order', id: po.id, number: po.poNumber },
            supplierId: po.supplierId,
            summary: `PO ${po.poNumber} rev ${po.view.revision}: no acknowledgment by ${po.view.acknowledgmentDueBy}`,
            evidence: { poNumber: po.poNumber, revision: po.view.revision, publishedAt: po.publishedAt ?? null, reminderAt: po.reminderAt ?? null, acknowledgmentDueBy: po.view.acknowledgmentDueBy },
            actions: ['remind', 'close'],
            context: { purchaseOrderId: po.id, revision: po.view.revision },
          });
          await tx.procureToPay.purchaseOrders.upsert(ctx, touch({ ...po, ackMissingRaised: true }, now));
          done += 1;
        }
      }
      for (const link of await tx.procureToPay.supply.listPromisesDue(ctx, today(clock), 200)) {
        const order = await tx.orderToCash.orders.get(ctx, link.orderId);
        const line = order?.view.lines.find((l) => l.lineNumber === link.lineNumber);
        if (!order || !line || line.status === 'Shipped' || line.status === 'Cancelled' || Number(line.quantityBackordered) <= 0 || line.promisedDate !== link.promisedDate) {
          await tx.procureToPay.supply.deletePromise(ctx, link.orderId, link.lineNumber);
          continue;
        }
        const open = (await tx.procureToPay.exceptions.findOpen(ctx, 'promise_missed', link.orderId)).some((e) => e.context.lineNumber === link.lineNumber);
        if (!open) {
          await openException(ctx, tx, settings, {
            type: 'promise_missed',
            ownerRole: 'customer_service',
            subject: { kind: 'sales_order', id: link.orderId, number: order.view.orderNumber ?? order.view.customerPoNumber },
            customerId: link.partnerId,
            summary: `order ${order.view.customerPoNumber} line ${link.lineNumber} (${link.sku}) promised ${link.promisedDate} has not shipped`,
            evidence: { lineNumber: link.lineNumber, sku: link.sku, promisedDate: link.promisedDate, quantityBackordered: line.quantityBackordered, supply: link.supplyKey },
            actions: ['acknowledge'],
            context: { lineNumber: link.lineNumber, promisedDate: link.promisedDate },
          });
          done += 1;
        }
        await tx.procureToPay.supply.putPromise(ctx, { ...link, missedRaisedFor: link.promisedDate });
      }
    });
    return done;
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  const intervalMs = deps.sweepIntervalMs ?? 30_000;
  const sweeps: ProcureToPaySweeps = {
    async runOnce() {
      let total = 0;
      for (const tenantId of deps.tenantIds) total += await sweepTenant(tenantId);
      return total;
    },
    start() {
      if (!stopped) return;
      stopped = false;
      const schedule = (): void => {
        if (stopped) return;
        timer = setTimeout(() => {
          running = sweeps
            .runOnce()
            .catch((err: unknown) => deps.onError?.(new Error(`procure-to-pay sweep: ${describeError(err)}`, { cause: err })))
            .finally(() => {
              running = undefined;
              schedule();
            });
        }, intervalMs);
        timer.unref?.();
      };
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };

  return {
    consumerDefinitions,
    commands,
    queries: createSupplierQueries(transactions, settings),
    exceptions: createExceptionDesk(transactions, settings),
    sweeps,
    atp: (ctx, sku) => transactions.transaction((tx) => availabilityToPromise(ctx, tx, sku, clock.now())),
    receiveAsn: (ctx, asnId, lines) => transactions.transaction(async (tx) => void (await receiveAsn(ctx, tx, settings, asnId, { at: clock.now().toISOString(), ...(lines ? { lines } : {}) }))),
    tolerance: (ctx, supplierId) => transactions.transaction((tx) => toleranceOf(ctx, tx, settings, supplierId)),
    async setTolerance(ctx, supplierId, profile) {
      return transactions.transaction(async (tx) => {
        await tx.procureToPay.suppliers.putTolerance(ctx, supplierId, profile);
        return toleranceOf(ctx, tx, settings, supplierId);
      });
    },
  };
}
