/**
 * In-memory implementations of the procure-to-pay ports (SupplierCommands, SupplierQueries) and the API keys of
 * suppliers, a customer and staff, for the supplier and operations API tests. Like the real process they keep
 * suppliers apart (another supplier's order, ASN or invoice is unknown) and answer a repeated acknowledgment, ASN
 * number or invoice number as a duplicate that changes nothing.
 */
import type { FastifyInstance } from 'fastify';
import {
  ConflictError,
  InputError,
  NotFoundError,
  type AcknowledgmentLineOutcome,
  type AcknowledgmentResult,
  type AcknowledgmentSubmission,
  type ApiKeyResolver,
  type AsnSubmission,
  type AsnView,
  type PurchaseOrderQuery,
  type ResultPage,
  type SupplierAvailabilityUpdate,
  type SupplierCommands,
  type SupplierInvoiceSubmission,
  type SupplierInvoiceView,
  type SupplierItemView,
  type SupplierPurchaseOrderView,
  type SupplierQueries,
  type SupplierScorecard,
  type TenantContext,
} from '@tradelane/core';
import { buildApp } from '../app.js';
import { MemoryAuditLog } from '../audit/audit.test-support.js';
import { FakeIdempotencyStore, captureLogger } from '../customer/customer.test-support.js';
import { SUPPLIER_SCOPES, type SupplierRoutesDeps } from './supplier.routes.js';

/** The tenant every test key belongs to. */
export const TENANT = 't_acme';
/** The fixed time the fakes stamp on what they record. */
export const NOW = '2026-03-10T08:00:00.000Z';
/** Party ids of the test suppliers and customer. */
export const PARTIES = { supplierA: 'pty_supplier_a', supplierB: 'pty_supplier_b', customer: 'pty_customer_c' } as const;

/** API keys the fake resolver knows. */
export const KEYS = {
  /** Supplier A with every supplier scope. */
  supplierA: 'tlk_supplier_a_0123456789',
  /** Supplier B with every supplier scope. */
  supplierB: 'tlk_supplier_b_0123456789',
  /** Supplier A, read-only purchase orders. */
  supplierAReadOnly: 'tlk_supplier_a_ro_0123456789',
  /** A customer with every customer scope. */
  customer: 'tlk_customer_0123456789',
  /** A distributor-side key with no partner and every scope. */
  staff: 'tlk_staff_0123456789',
  /** A buyer on the distributor side with the exceptions scope only. */
  buyer: 'tlk_buyer_0123456789',
  /** Another buyer with the exceptions scope only. */
  buyer2: 'tlk_buyer2_0123456789',
  /** Distributor-side user without the exceptions scope. */
  clerk: 'tlk_clerk_0123456789',
} as const;

const CUSTOMER_SCOPES = ['orders:read', 'orders:write', 'invoices:read', 'returns:write', 'catalog:read'];

/** API keys → contexts for suppliers, a customer and staff. */
export class FakeP2pApiKeys implements ApiKeyResolver {
  readonly contexts = new Map<string, TenantContext>([
    [KEYS.supplierA, { tenantId: TENANT, partnerId: PARTIES.supplierA, actor: { kind: 'client', id: 'cli_sup_a' }, scopes: [...SUPPLIER_SCOPES], correlationId: '' }],
    [KEYS.supplierB, { tenantId: TENANT, partnerId: PARTIES.supplierB, actor: { kind: 'client', id: 'cli_sup_b' }, scopes: [...SUPPLIER_SCOPES], correlationId: '' }],
    [KEYS.supplierAReadOnly, { tenantId: TENANT, partnerId: PARTIES.supplierA, actor: { kind: 'client', id: 'cli_sup_a_ro' }, scopes: ['purchase-orders:read'], correlationId: '' }],
    [KEYS.customer, { tenantId: TENANT, partnerId: PARTIES.customer, actor: { kind: 'client', id: 'cli_cus' }, scopes: CUSTOMER_SCOPES, correlationId: '' }],
    [KEYS.staff, { tenantId: TENANT, actor: { kind: 'user', id: 'usr_admin' }, scopes: ['*'], correlationId: '' }],
    [KEYS.buyer, { tenantId: TENANT, actor: { kind: 'user', id: 'usr_buyer' }, scopes: ['ops:exceptions'], correlationId: '' }],
    [KEYS.buyer2, { tenantId: TENANT, actor: { kind: 'user', id: 'usr_buyer2' }, scopes: ['ops:exceptions'], correlationId: '' }],
    [KEYS.clerk, { tenantId: TENANT, actor: { kind: 'user', id: 'usr_clerk' }, scopes: ['orders:read'], correlationId: '' }],
  ]);
  async resolve(apiKey: string, correlationId: string): Promise<TenantContext | null> {
    const ctx = this.contexts.get(apiKey);
    return ctx ? { ...ctx, correlationId } : null;
  }
}

/** A deterministic id of the given prefix: `<prefix>_` and the number padded to 26 characters. */
export function fakeId(prefix: string, n: number): string {
  return `${prefix}_${String(n).padStart(26, '0')}`;
}

interface Owned<T> {
  tenantId: string;
  supplierId: string;
  value: T;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number, decimals: number) => n.toFixed(decimals);

function page<T>(all: T[], cursor: string | undefined, limit: number | undefined): ResultPage<T> {
  const start = cursor ? Number(cursor) : 0;
  const n = limit ?? 50;
  return { items: all.slice(start, start + n), nextCursor: start + n < all.length ? String(start + n) : null };
}

/** The procure-to-pay process in memory, supplier-isolated; quantity tolerance ±5 %, price ±2 %. */
export class FakeProcureToPay implements SupplierCommands, SupplierQueries {
  readonly purchaseOrders = new Map<string, Owned<SupplierPurchaseOrderView>>();
  readonly acknowledgments = new Map<string, Owned<AcknowledgmentResult & { key: string }>>();
  readonly asns = new Map<string, Owned<AsnView>>();
  readonly invoices = new Map<string, Owned<SupplierInvoiceView>>();
  readonly items = new Map<string, Owned<SupplierItemView>>();
  readonly calls = { acknowledge: 0, submitAsn: 0, submitInvoice: 0, updateAvailability: 0, listPurchaseOrders: 0, scorecard: 0 };
  /** The last query or period each read received. */
  readonly last: { listPurchaseOrders?: PurchaseOrderQuery; scorecard?: { from?: string | undefined; to?: string | undefined } } = {};
  /** Delay of every command, to make concurrent requests overlap. */
  delayMs = 0;
  private seq = 0;

  private nextId(prefix: string): string {
    this.seq += 1;
    return fakeId(prefix, this.seq);
  }

  private owned<T>(ctx: TenantContext, map: Map<string, Owned<T>>): T[] {
    return [...map.values()].filter((r) => r.tenantId === ctx.tenantId && r.supplierId === ctx.partnerId).map((r) => r.value);
  }

  private findPo(ctx: TenantContext, idOrNumber: string): SupplierPurchaseOrderView | null {
    return this.owned(ctx, this.purchaseOrders).find((p) => p.id === idOrNumber || p.poNumber === idOrNumber) ?? null;
  }

  private requirePo(ctx: TenantContext, idOrNumber: string): SupplierPurchaseOrderView {
    const po = this.findPo(ctx, idOrNumber);
    if (!po) throw new NotFoundError('TL_PURCHASE_ORDER_NOT_FOUND', `No purchase order ${idOrNumber}.`);
    return po;
  }

  /** Stores a purchase order for a supplier (what the process would have published earlier): two lines by default. */
  seedPurchaseOrder(supplierId: string, view: Partial<SupplierPurchaseOrderView> & { poNumber: string }): SupplierPurchaseOrderView {
    const id = view.id ?? this.nextId('po');
    const po: SupplierPurchaseOrderView = {
      id,
      status: 'New',
      revision: 1,
      awaitingAcknowledgment: true,
      acknowledgmentDueBy: '2026-03-11T08:00:00.000Z',
      orderDate: '2026-03-09',
      shipTo: { code: 'DC1', name: 'Main distribution center' },
      currency: 'USD',
      total: { amount: '1105.00', currency: 'USD' },
      lines: [
        {
          lineNumber: 1,
          sku: 'WID-100',
          supplierPartNumber: 'SP-9001',
          quantity: '100',
          unit: 'EA',
          unitPrice: { amount: '4.25', currency: 'USD' },
          requestedDate: '2026-03-20',
          status: 'Open',
          quantityShipped: '0',
          quantityReceived: '0',
        },
        {
          lineNumber: 2,
          sku: 'BOLT-M8',
          quantity: '36',
          unit: 'BX',
          unitPrice: { amount: '18.90', currency: 'USD' },
          requestedDate: '2026-03-20',
          status: 'Open',
          quantityShipped: '0',
          quantityReceived: '0',
        },
      ],
      updatedAt: '2026-03-09T10:00:00.000Z',
      ...view,
    };
    this.purchaseOrders.set(id, { tenantId: TENANT, supplierId, value: po });
    return po;
  }

  async acknowledge(ctx: TenantContext, purchaseOrderId: string, s: AcknowledgmentSubmission): Promise<AcknowledgmentResult> {
    this.calls.acknowledge += 1;
    if (this.delayMs) await sleep(this.delayMs);
    const po = this.requirePo(ctx, purchaseOrderId);
    const revision = s.revision ?? po.revision;
    if (revision !== po.revision) {
      throw new ConflictError('TL_PURCHASE_ORDER_REVISION', `Revision ${revision} is not the current revision ${po.revision}.`, { current: po.revision });
    }
    const key = `${po.id}|${revision}|${s.acknowledgmentNumber ?? ''}`;
    const earlier = s.acknowledgmentNumber ? this.acknowledgments.get(key) : undefined;
    if (earlier) {
      const { key: _key, ...rest } = earlier.value;
      return { ...rest, outcome: 'Duplicate' };
    }
    const lines: AcknowledgmentLineOutcome[] = s.lines.map((l) => {
      const line = po.lines.find((x) => x.lineNumber === l.lineNumber);
      if (!line) throw new InputError('TL_ACKNOWLEDGMENT_LINE_UNKNOWN', `Purchase order ${po.poNumber} has no line ${l.lineNumber}.`, { lineNumber: l.lineNumber });
      if (l.action === 'reject') return { lineNumber: l.lineNumber, outcome: 'rejected', reasons: ['rejected by the supplier'] };
      if (l.action === 'accept') return { lineNumber: l.lineNumber, outcome: 'as_ordered', reasons: [] };
      const reasons: string[] = [];
      let out = false;
      if (l.quantity !== undefined) {
        const pct = ((Number(l.quantity) - Number(line.quantity)) / Number(line.quantity)) * 100;
        const over = Math.abs(pct) > 5;
        out ||= over;
        reasons.push(`quantity ${pct >= 0 ? '+' : ''}${fmt(pct, 1)}% ${over ? 'exceeds' : 'within'} ${pct >= 0 ? '+' : '-'}5%`);
      }
      if (l.unitPrice !== undefined) {
        const pct = ((Number(l.unitPrice) - Number(line.unitPrice.amount)) / Number(line.unitPrice.amount)) * 100;
        const over = Math.abs(pct) > 2;
        out ||= over;
        reasons.push(`price ${pct >= 0 ? '+' : ''}${fmt(pct, 2)}% ${over ? 'exceeds' : 'within'} 2%`);
      }
      if (l.promisedDate !== undefined && l.promisedDate !== line.requestedDate) reasons.push(`date ${line.requestedDate} → ${l.promisedDate}`);
      if (l.substituteSku !== undefined) {
        out = true;
        reasons.push(`substitute ${l.substituteSku} not allowed`);
      }
      return { lineNumber: l.lineNumber, outcome: out ? 'out_of_tolerance' : 'within_tolerance', reasons };
    });
    const exception = lines.some((l) => l.outcome === 'out_of_tolerance');
    const result: AcknowledgmentResult = {
      id: this.nextId('ack'),
      purchaseOrderId: po.id,
      outcome: exception ? 'Exception' : 'Applied',
      lines,
      ...(exception ? { exceptionId: this.nextId('exc') } : {}),
      receivedAt: NOW,
    };
    this.acknowledgments.set(key, { tenantId: ctx.tenantId, supplierId: ctx.partnerId!, value: { ...result, key } });
    po.awaitingAcknowledgment = false;
    po.status = exception ? 'InException' : 'Acknowledged';
    po.updatedAt = NOW;
    return result;
  }

  async submitAsn(ctx: TenantContext, asn: AsnSubmission): Promise<AsnView> {
    this.calls.submitAsn += 1;
    if (this.delayMs) await sleep(this.delayMs);
    const earlier = this.owned(ctx, this.asns).find((a) => a.asnNumber === asn.asnNumber);
    if (earlier) return { ...earlier, duplicate: true };
    for (const l of asn.lines) {
      const po = this.requirePo(ctx, l.poNumber);
      if (!po.lines.some((x) => x.lineNumber === l.lineNumber)) {
        throw new InputError('TL_ASN_LINE_UNKNOWN', `Purchase order ${po.poNumber} has no line ${l.lineNumber}.`, { poNumber: l.poNumber, lineNumber: l.lineNumber });
      }
    }
    const view: AsnView = {
      id: this.nextId('asn'),
      asnNumber: asn.asnNumber,
      status: 'InTransit',
      shipDate: asn.shipDate,
      expectedDeliveryDate: asn.expectedDeliveryDate,
      carrierCode: asn.carrierCode,
      trackingNumber: asn.trackingNumber,
      lines: asn.lines.map((l) => ({ poNumber: l.poNumber, lineNumber: l.lineNumber, sku: l.sku, quantity: l.quantity, unit: l.unit, quantityReceived: '0' })),
      receivedAt: NOW,
    };
    this.asns.set(view.id, { tenantId: ctx.tenantId, supplierId: ctx.partnerId!, value: view });
    return view;
  }

  async submitInvoice(ctx: TenantContext, invoice: SupplierInvoiceSubmission): Promise<SupplierInvoiceView> {
    this.calls.submitInvoice += 1;
    if (this.delayMs) await sleep(this.delayMs);
    const earlier = this.owned(ctx, this.invoices).find((i) => i.invoiceNumber === invoice.invoiceNumber);
    if (earlier) return { ...earlier, duplicate: true };
    const po = this.requirePo(ctx, invoice.poNumber);
    const lines = invoice.lines.map((l) => {
      const line = po.lines.find((x) => x.lineNumber === l.lineNumber);
      if (!line) throw new InputError('TL_INVOICE_LINE_UNKNOWN', `Purchase order ${po.poNumber} has no line ${l.lineNumber}.`, { lineNumber: l.lineNumber });
      const variances: string[] = [];
      const pct = ((Number(l.unitPrice) - Number(line.unitPrice.amount)) / Number(line.unitPrice.amount)) * 100;
      if (Math.abs(pct) > 2) variances.push(`price ${pct >= 0 ? '+' : ''}${fmt(pct, 2)}% exceeds 2%`);
      if (Number(l.quantity) > Number(line.quantityReceived)) variances.push(`invoiced ${l.quantity} > received ${line.quantityReceived}`);
      return {
        lineNumber: l.lineNumber,
        sku: l.sku,
        orderedQuantity: line.quantity,
        receivedQuantity: line.quantityReceived,
        invoicedQuantity: l.quantity,
        poUnitPrice: line.unitPrice.amount,
        invoicedUnitPrice: l.unitPrice,
        variances,
      };
    });
    const amount =
      invoice.lines.reduce((sum, l) => sum + Number(l.quantity) * Number(l.unitPrice), 0) +
      (invoice.charges ?? []).reduce((sum, c) => sum + Number(c.amount), 0) +
      Number(invoice.tax ?? '0');
    const variance = lines.some((l) => l.variances.length > 0);
    const view: SupplierInvoiceView = {
      id: this.nextId('inv'),
      invoiceNumber: invoice.invoiceNumber,
      poNumber: po.poNumber,
      status: variance ? 'Disputed' : 'Approved',
      invoiceDate: invoice.invoiceDate,
      total: { amount: fmt(amount, 2), currency: invoice.currency },
      match: { result: variance ? 'variance' : 'matched', lines },
      ...(variance ? { exceptionId: this.nextId('exc') } : {}),
      receivedAt: NOW,
    };
    this.invoices.set(view.id, { tenantId: ctx.tenantId, supplierId: ctx.partnerId!, value: view });
    return view;
  }

  async updateAvailability(ctx: TenantContext, sku: string, update: SupplierAvailabilityUpdate): Promise<SupplierItemView> {
    this.calls.updateAvailability += 1;
    const view: SupplierItemView = { sku, ...update, updatedAt: NOW };
    this.items.set(`${ctx.partnerId}|${sku}`, { tenantId: ctx.tenantId, supplierId: ctx.partnerId!, value: view });
    return view;
  }

  async listPurchaseOrders(ctx: TenantContext, query: PurchaseOrderQuery): Promise<ResultPage<SupplierPurchaseOrderView>> {
    this.calls.listPurchaseOrders += 1;
    this.last.listPurchaseOrders = query;
    const all = this.owned(ctx, this.purchaseOrders)
      .filter((p) => !query.status || p.status === query.status)
      .filter((p) => query.awaitingAcknowledgment === undefined || p.awaitingAcknowledgment === query.awaitingAcknowledgment)
      .filter((p) => !query.updatedSince || Date.parse(p.updatedAt) > Date.parse(query.updatedSince));
    return page(all, query.cursor, query.limit);
  }

  async getPurchaseOrder(ctx: TenantContext, idOrNumber: string): Promise<SupplierPurchaseOrderView | null> {
    return this.findPo(ctx, idOrNumber);
  }

  async getAsn(ctx: TenantContext, asnId: string): Promise<AsnView | null> {
    return this.owned(ctx, this.asns).find((a) => a.id === asnId) ?? null;
  }

  async getInvoice(ctx: TenantContext, invoiceId: string): Promise<SupplierInvoiceView | null> {
    return this.owned(ctx, this.invoices).find((i) => i.id === invoiceId) ?? null;
  }

  async scorecard(ctx: TenantContext, period: { from?: string | undefined; to?: string | undefined }): Promise<SupplierScorecard> {
    this.calls.scorecard += 1;
    this.last.scorecard = period;
    const pos = this.owned(ctx, this.purchaseOrders);
    const acks = this.owned(ctx, this.acknowledgments);
    const invoices = this.owned(ctx, this.invoices);
    return {
      supplierId: ctx.partnerId!,
      from: period.from ?? '2026-02-08',
      to: period.to ?? '2026-03-10',
      purchaseOrders: pos.length,
      acknowledgmentLatency: { count: acks.length, medianHours: acks.length ? 4.5 : null, p90Hours: acks.length ? 20 : null },
      onTimeAsnRate: this.owned(ctx, this.asns).length ? 1 : null,
      fillRate: null,
      invoiceFirstPassMatchRate: invoices.length ? invoices.filter((i) => i.status === 'Approved').length / invoices.length : null,
    };
  }
}

/** The whole app with the supplier tree wired to the in-memory ports. */
export async function supplierApp(overrides: Partial<SupplierRoutesDeps> = {}): Promise<{
  app: FastifyInstance;
  p2p: FakeProcureToPay;
  idempotency: FakeIdempotencyStore;
  apiKeys: FakeP2pApiKeys;
  audit: MemoryAuditLog;
}> {
  const audit = new MemoryAuditLog();
  const p2p = new FakeProcureToPay();
  const idempotency = new FakeIdempotencyStore();
  const apiKeys = new FakeP2pApiKeys();
  const { logger } = captureLogger();
  const app = await buildApp({
    logger,
    version: '0.0.0-test',
    readiness: { check: async () => ({}) },
    supplier: { commands: p2p, queries: p2p, idempotency, apiKeys, ...overrides },
    audit,
  });
  return { app, p2p, idempotency, apiKeys, audit };
}

/** Headers authenticating as `key`, with an `Idempotency-Key` when `idempotencyKey` is given. */
export function as(key: string, idempotencyKey?: string): Record<string, string> {
  return { authorization: `Bearer ${key}`, ...(idempotencyKey !== undefined ? { 'idempotency-key': idempotencyKey } : {}) };
}
