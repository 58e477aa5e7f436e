/**
 * In-memory implementations of the customer ports (CustomerCommands, CustomerQueries, IdempotencyStore,
 * ApiKeyResolver) for the API tests. Like the real process they enforce partner isolation: a customer never sees
 * another customer's order, invoice or return.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { multiplyMoney, newId, sumMoney } from '@tradelane/canonical';
import {
  ConflictError,
  NotFoundError,
  type AccountBalance,
  type ApiKeyResolver,
  type CustomerCommands,
  type CustomerQueries,
  type IdempotencyBegin,
  type IdempotencyRequest,
  type IdempotencyStore,
  type InvoiceView,
  type ItemOffer,
  type OrderChange,
  type OrderQuery,
  type OrderSubmission,
  type OrderSummary,
  type OrderView,
  type ResultPage,
  type ReturnRequest,
  type ReturnView,
  type StoredResponse,
  type TenantContext,
  type TimelineEntry,
} from '@tradelane/core';
import { buildApp } from '../app.js';
import { MemoryAuditLog } from '../audit/audit.test-support.js';
import type { CustomerRoutesDeps } from './customer.routes.js';

/** The tenant every test key belongs to. */
export const TENANT = 't_acme';
/** API keys the fake resolver knows. */
export const KEYS = {
  /** Customer A with every customer scope. */
  alice: 'tlk_alice_0123456789',
  /** Customer B with every customer scope. */
  bob: 'tlk_bob_0123456789',
  /** Customer A, read-only orders. */
  aliceReadOnly: 'tlk_alice_ro_0123456789',
  /** A distributor-side key with no partner. */
  staff: 'tlk_staff_0123456789',
} as const;

const ALL_SCOPES = ['orders:read', 'orders:write', 'invoices:read', 'returns:write', 'catalog:read'];

/** API keys → contexts; counts lookups. */
export class FakeApiKeys implements ApiKeyResolver {
  lookups = 0;
  readonly contexts = new Map<string, TenantContext>([
    [KEYS.alice, { tenantId: TENANT, partnerId: 'cus_alice', actor: { kind: 'client', id: 'cli_alice' }, scopes: ALL_SCOPES, correlationId: '' }],
    [KEYS.bob, { tenantId: TENANT, partnerId: 'cus_bob', actor: { kind: 'client', id: 'cli_bob' }, scopes: ALL_SCOPES, correlationId: '' }],
    [KEYS.aliceReadOnly, { tenantId: TENANT, partnerId: 'cus_alice', actor: { kind: 'client', id: 'cli_alice_ro' }, scopes: ['orders:read'], correlationId: '' }],
    [KEYS.staff, { tenantId: TENANT, actor: { kind: 'user', id: 'usr_ops' }, scopes: ['*'], correlationId: '' }],
  ]);
  async resolve(apiKey: string, correlationId: string): Promise<TenantContext | null> {
    this.lookups += 1;
    const ctx = this.contexts.get(apiKey);
    return ctx ? { ...ctx, correlationId } : null;
  }
}

interface KeyRow {
  hash: string;
  response: StoredResponse | null;
  lockedUntil: number;
}

/** Stripe-style idempotency keys in memory: one `started` per key, replay, in_flight, mismatch. */
export class FakeIdempotencyStore implements IdempotencyStore {
  readonly rows = new Map<string, KeyRow>();
  readonly calls = { begin: 0, complete: 0, release: 0 };
  private id(ctx: TenantContext, r: { scope: string; key: string }): string {
    return `${ctx.tenantId}|${r.scope}|${r.key}`;
  }
  async begin(ctx: TenantContext, request: IdempotencyRequest, options?: { lockMs?: number }): Promise<IdempotencyBegin> {
    this.calls.begin += 1;
    const id = this.id(ctx, request);
    const row = this.rows.get(id);
    const now = Date.now();
    if (!row) {
      this.rows.set(id, { hash: request.requestHash, response: null, lockedUntil: now + (options?.lockMs ?? 60_000) });
      return 'started';
    }
    if (row.hash !== request.requestHash) return 'mismatch';
    if (row.response) return { replay: row.response };
    if (row.lockedUntil > now) return 'in_flight';
    row.lockedUntil = now + (options?.lockMs ?? 60_000);
    return 'started';
  }
  async complete(ctx: TenantContext, request: Omit<IdempotencyRequest, 'requestHash'>, response: StoredResponse): Promise<void> {
    this.calls.complete += 1;
    const row = this.rows.get(this.id(ctx, request));
    if (row) row.response = structuredClone(response);
  }
  async release(ctx: TenantContext, request: Omit<IdempotencyRequest, 'requestHash'>): Promise<void> {
    this.calls.release += 1;
    const id = this.id(ctx, request);
    if (!this.rows.get(id)?.response) this.rows.delete(id);
  }
  async expire(): Promise<number> {
    return 0;
  }
}

interface Owned<T> {
  tenantId: string;
  partnerId: string;
  value: T;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function page<T>(all: T[], cursor: string | undefined, limit: number | undefined): ResultPage<T> {
  const start = cursor ? Number(cursor) : 0;
  const n = limit ?? 50;
  const items = all.slice(start, start + n);
  return { items, nextCursor: start + n < all.length ? String(start + n) : null };
}

/** The order-to-cash process in memory, partner-isolated. */
export class FakeOrderToCash implements CustomerCommands, CustomerQueries {
  readonly orders = new Map<string, Owned<OrderView>>();
  readonly invoices = new Map<string, Owned<InvoiceView>>();
  readonly returns = new Map<string, Owned<ReturnView>>();
  readonly listeners = new Map<string, Set<(e: TimelineEntry) => void>>();
  readonly calls = { submitOrder: 0, changeOrder: 0, cancelOrder: 0, requestReturn: 0, searchItems: 0, listOrders: 0 };
  /** The last query each listing received. */
  readonly lastQuery: { searchItems?: unknown; listOrders?: OrderQuery; listInvoices?: unknown } = {};
  /** Delay of submitOrder, to make concurrent requests overlap. */
  submitDelayMs = 0;
  /** Thrown by the next submitOrder calls while set. */
  failSubmitWith: Error | null = null;
  items: ItemOffer[] = [
    offer('WID-100', 'Widget, zinc-plated, 10 mm', '4.25', '1200'),
    offer('WID-200', 'Widget, stainless, 12 mm', '6.80', '0'),
    offer('BOLT-M8', 'Hex bolt M8x40, box of 100', '18.90', '75'),
  ];

  private own<T>(ctx: TenantContext, map: Map<string, Owned<T>>, id: string): T | null {
    const row = map.get(id);
    return row && row.tenantId === ctx.tenantId && row.partnerId === ctx.partnerId ? row.value : null;
  }

  private ownedList<T>(ctx: TenantContext, map: Map<string, Owned<T>>): T[] {
    return [...map.values()].filter((r) => r.tenantId === ctx.tenantId && r.partnerId === ctx.partnerId).map((r) => r.value);
  }

  /** Appends a timeline entry to an order and tells its watchers, as the process does when something happens. */
  appendTimeline(orderId: string, status: string, detail: string): TimelineEntry {
    const order = this.orders.get(orderId)!.value;
    const entry: TimelineEntry = { seq: order.timeline.length + 1, status, at: new Date().toISOString(), source: 'erp', detail };
    order.timeline.push(entry);
    order.status = status;
    for (const l of this.listeners.get(orderId) ?? []) l(entry);
    return entry;
  }

  watcherCount(orderId: string): number {
    return this.listeners.get(orderId)?.size ?? 0;
  }

  /** Stores an order for a customer directly (what the process would have created earlier). */
  seedOrder(ctx: Pick<TenantContext, 'tenantId' | 'partnerId'>, view: Partial<OrderView> & { customerPoNumber: string }): OrderView {
    const id = newId('so');
    const order: OrderView = {
      id,
      status: 'Received',
      orderedAt: '2025-03-01T10:00:00.000Z',
      shipTo: { code: 'MAIN', name: 'Main warehouse' },
      lines: [],
      shipments: [],
      total: { amount: '0.00', currency: 'USD' },
      timeline: [{ seq: 1, status: 'Received', at: '2025-03-01T10:00:00.000Z', source: 'hub', detail: 'Order received' }],
      ...view,
    };
    this.orders.set(id, { tenantId: ctx.tenantId, partnerId: ctx.partnerId!, value: order });
    return order;
  }

  seedInvoice(ctx: Pick<TenantContext, 'tenantId' | 'partnerId'>, view: Partial<InvoiceView> & { invoiceNumber: string }): InvoiceView {
    const id = newId('inv');
    const invoice: InvoiceView = {
      id,
      kind: 'invoice',
      status: 'Open',
      invoiceDate: '2025-03-05',
      dueDate: '2025-04-04',
      total: { amount: '127.50', currency: 'USD' },
      openAmount: { amount: '127.50', currency: 'USD' },
      lines: [
        { lineNumber: 1, sku: 'WID-100', description: 'Widget, zinc-plated, 10 mm', quantity: '30', unit: 'EA', unitPrice: { amount: '4.25', currency: 'USD' }, amount: { amount: '127.50', currency: 'USD' } },
      ],
      ...view,
    };
    this.invoices.set(id, { tenantId: ctx.tenantId, partnerId: ctx.partnerId!, value: invoice });
    return invoice;
  }

  async submitOrder(ctx: TenantContext, s: OrderSubmission): Promise<OrderView> {
    this.calls.submitOrder += 1;
    if (this.submitDelayMs) await sleep(this.submitDelayMs);
    if (this.failSubmitWith) throw this.failSubmitWith;
    const at = new Date().toISOString();
    const lines = s.lines.map((l, i) => {
      const item = this.items.find((x) => x.sku === l.sku || (l.customerPartNumber && x.customerPartNumber === l.customerPartNumber));
      const unitPrice = item?.price ?? { amount: '10.00', currency: 'USD' };
      return {
        lineNumber: i + 1,
        sku: item?.sku ?? l.sku ?? l.gtin ?? 'UNKNOWN',
        description: item?.description,
        quantity: l.quantity,
        unit: l.unit,
        unitPrice,
        status: 'Received',
        quantityAllocated: '0',
        quantityBackordered: '0',
        quantityShipped: '0',
        ...(l.expectedUnitPrice && l.expectedUnitPrice !== unitPrice.amount ? { priceMismatch: { expected: l.expectedUnitPrice, contract: unitPrice.amount } } : {}),
      };
    });
    const order: OrderView & { erpInternalNote: string } = {
      id: newId('so'),
      customerPoNumber: s.customerPoNumber,
      status: 'Received',
      orderedAt: at,
      requestedDeliveryDate: s.requestedDeliveryDate,
      shipTo: { code: s.shipTo ?? 'MAIN', name: s.shipTo ? `Ship-to ${s.shipTo}` : 'Main warehouse' },
      lines,
      shipments: [],
      total: sumMoney(lines.map((l) => multiplyMoney(l.unitPrice, l.quantity)), 'USD'),
      timeline: [{ seq: 1, status: 'Received', at, source: 'hub', detail: 'Order received through the API' }],
      // Internal field a real read model might carry: the response schema must strip it.
      erpInternalNote: 'credit check pending',
    };
    this.orders.set(order.id, { tenantId: ctx.tenantId, partnerId: ctx.partnerId!, value: order });
    return order;
  }

  async changeOrder(ctx: TenantContext, orderId: string, change: OrderChange): Promise<OrderView> {
    this.calls.changeOrder += 1;
    const order = this.own(ctx, this.orders, orderId);
    if (!order) throw new NotFoundError('TL_ORDER_NOT_FOUND', `No order ${orderId}.`);
    if (!['Received', 'Accepted'].includes(order.status)) {
      throw new ConflictError('TL_ORDER_STATE', `Order is ${order.status}; it can no longer be changed.`, { status: order.status });
    }
    for (const c of change.lines) {
      const line = order.lines.find((l) => l.lineNumber === c.lineNumber);
      if (line) line.quantity = c.quantity;
    }
    this.appendTimeline(orderId, order.status, 'Quantities changed by the customer');
    return order;
  }

  async cancelOrder(ctx: TenantContext, orderId: string, reason: string): Promise<OrderView> {
    this.calls.cancelOrder += 1;
    const order = this.own(ctx, this.orders, orderId);
    if (!order) throw new NotFoundError('TL_ORDER_NOT_FOUND', `No order ${orderId}.`);
    if (['Shipped', 'Delivered', 'Invoiced', 'Closed', 'Cancelled'].includes(order.status)) {
      throw new ConflictError('TL_ORDER_STATE', `Order is ${order.status}; it can no longer be cancelled.`, { status: order.status });
    }
    this.appendTimeline(orderId, 'Cancelled', `Cancelled by the customer: ${reason}`);
    return order;
  }

  async requestReturn(ctx: TenantContext, request: ReturnRequest): Promise<ReturnView> {
    this.calls.requestReturn += 1;
    const order = this.own(ctx, this.orders, request.orderId);
    if (!order) throw new NotFoundError('TL_ORDER_NOT_FOUND', `No order ${request.orderId}.`);
    const rma: ReturnView = {
      id: newId('rma'),
      orderId: order.id,
      status: 'Requested',
      lines: request.lines.map((l) => ({
        lineNumber: l.lineNumber,
        sku: order.lines.find((x) => x.lineNumber === l.lineNumber)?.sku ?? 'UNKNOWN',
        quantity: l.quantity,
        reasonCode: l.reasonCode,
      })),
      timeline: [{ seq: 1, status: 'Requested', at: new Date().toISOString(), source: 'customer', detail: request.reason }],
    };
    this.returns.set(rma.id, { tenantId: ctx.tenantId, partnerId: ctx.partnerId!, value: rma });
    return rma;
  }

  async searchItems(_ctx: TenantContext, query: { q?: string; cursor?: string; limit?: number }): Promise<ResultPage<ItemOffer>> {
    this.calls.searchItems += 1;
    this.lastQuery.searchItems = query;
    const q = query.q?.toLowerCase();
    const all = this.items.filter((i) => !q || i.sku.toLowerCase().includes(q) || i.description.toLowerCase().includes(q));
    return page(all, query.cursor, query.limit);
  }

  async listOrders(ctx: TenantContext, query: OrderQuery): Promise<ResultPage<OrderSummary>> {
    this.calls.listOrders += 1;
    this.lastQuery.listOrders = query;
    const q = query.q?.toLowerCase();
    const all = this.ownedList(ctx, this.orders)
      .filter((o) => !query.status || o.status === query.status)
      .filter((o) => !query.from || o.orderedAt.slice(0, 10) >= query.from)
      .filter((o) => !query.to || o.orderedAt.slice(0, 10) <= query.to)
      .filter((o) => !q || o.customerPoNumber.toLowerCase().includes(q) || o.lines.some((l) => l.sku.toLowerCase() === q))
      .map((o) => ({ id: o.id, customerPoNumber: o.customerPoNumber, status: o.status, orderedAt: o.orderedAt, total: o.total, lineCount: o.lines.length }));
    return page(all, query.cursor, query.limit);
  }

  async getOrder(ctx: TenantContext, orderId: string): Promise<OrderView | null> {
    return this.own(ctx, this.orders, orderId);
  }

  watchTimeline(_ctx: TenantContext, orderId: string, listener: (entry: TimelineEntry) => void): () => void {
    const set = this.listeners.get(orderId) ?? new Set();
    set.add(listener);
    this.listeners.set(orderId, set);
    return () => {
      set.delete(listener);
    };
  }

  async listInvoices(ctx: TenantContext, query: { status?: string; cursor?: string; limit?: number }): Promise<ResultPage<InvoiceView>> {
    this.lastQuery.listInvoices = query;
    const all = this.ownedList(ctx, this.invoices).filter((i) => !query.status || i.status === query.status);
    return page(all, query.cursor, query.limit);
  }

  async getInvoice(ctx: TenantContext, invoiceId: string): Promise<InvoiceView | null> {
    return this.own(ctx, this.invoices, invoiceId);
  }

  async getBalance(ctx: TenantContext): Promise<AccountBalance> {
    const open = this.ownedList(ctx, this.invoices).map((i) => i.openAmount);
    return {
      currency: 'USD',
      balance: sumMoney(open, 'USD').amount,
      aging: { current: sumMoney(open, 'USD').amount, days1to30: '0.00', days31to60: '0.00', days61to90: '0.00', over90: '0.00' },
      asOf: '2025-03-10T08:00:00.000Z',
    };
  }

  async getReturn(ctx: TenantContext, returnId: string): Promise<ReturnView | null> {
    return this.own(ctx, this.returns, returnId);
  }
}

function offer(sku: string, description: string, price: string, available: string): ItemOffer {
  return {
    sku,
    description,
    unit: 'EA',
    units: [{ unit: 'CS', factor: '12' }],
    price: { amount: price, currency: 'USD' },
    priceSource: 'contract',
    tiers: [{ minQuantity: '100', price: { amount: price, currency: 'USD' } }],
    available,
    asOf: '2025-03-10T08:00:00.000Z',
  };
}

/** A valid order submission. */
export function submission(overrides: Partial<OrderSubmission> = {}): OrderSubmission {
  return {
    customerPoNumber: 'PO-2025-0042',
    requestedDeliveryDate: '2025-04-01',
    lines: [
      { sku: 'WID-100', quantity: '30', unit: 'EA', expectedUnitPrice: '4.25' },
      { sku: 'BOLT-M8', quantity: '2.5', unit: 'BX' },
    ],
    ...overrides,
  };
}

/** Log lines captured from the app's pino logger. */
export function captureLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** The whole app with the customer tree wired to the in-memory ports. */
export async function customerApp(overrides: Partial<CustomerRoutesDeps> = {}): Promise<{
  app: FastifyInstance;
  o2c: FakeOrderToCash;
  idempotency: FakeIdempotencyStore;
  apiKeys: FakeApiKeys;
  logs: string[];
  audit: MemoryAuditLog;
}> {
  const audit = new MemoryAuditLog();
  const o2c = new FakeOrderToCash();
  const idempotency = new FakeIdempotencyStore();
  const apiKeys = new FakeApiKeys();
  const { logger, lines } = captureLogger();
  const app = await buildApp({
    logger,
    version: '0.0.0-test',
    readiness: { check: async () => ({}) },
    customer: { commands: o2c, queries: o2c, idempotency, apiKeys, ...overrides },
    audit,
  });
  return { app, o2c, idempotency, apiKeys, logs: lines, audit };
}

/** Headers authenticating as `key`. */
export function as(key: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${key}`, ...extra };
}

/** Context the fakes use for seeding: a customer of the test tenant. */
export const customerOf = (partnerId: 'cus_alice' | 'cus_bob') => ({ tenantId: TENANT, partnerId });
