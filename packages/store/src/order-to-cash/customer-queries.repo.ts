import { addDecimal, compareDecimal, roundMoney, subtractDecimal, type InventoryPosition, type Item, type Price } from '@tradelane/canonical';
import type { AccountBalance, Clock, CustomerQueries, InvoiceView, ItemOffer, OrderView, ReturnView, TenantContext, TimelineEntry } from '@tradelane/core';
import type { Sql } from '../driver/database.js';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/pagination.js';
import { readTimeline } from './order-to-cash.repo.js';

/** In-process registry of timeline listeners, told after the transaction that appended an entry has committed. */
export interface TimelineWatchers {
  watch(tenantId: string, orderId: string, listener: (entry: TimelineEntry) => void): () => void;
  notify(tenantId: string, orderId: string, entry: TimelineEntry): void;
}

/** Builds an empty {@link TimelineWatchers} registry. */
export function createTimelineWatchers(): TimelineWatchers {
  const byOrder = new Map<string, Set<(entry: TimelineEntry) => void>>();
  return {
    watch(tenantId, orderId, listener) {
      const key = `${tenantId}\u0000${orderId}`;
      const set = byOrder.get(key) ?? new Set();
      set.add(listener);
      byOrder.set(key, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) byOrder.delete(key);
      };
    },
    notify(tenantId, orderId, entry) {
      for (const listener of byOrder.get(`${tenantId}\u0000${orderId}`) ?? []) {
        try {
          listener(entry);
        } catch {
          // a failing listener must not affect others
        }
      }
    },
  };
}

const DAY_MS = 86_400_000;

/** The stored invoice without the hub's settlement bookkeeping (not part of what a customer reads). */
const CUSTOMER_INVOICE_VIEW = `(view - 'settlement')`;

/** Ageing bucket of an amount due on `dueDate`, seen at `now`. */
function agingBucket(now: Date, dueDate: string): keyof AccountBalance['aging'] {
  const daysPastDue = Math.floor((now.getTime() - Date.parse(`${dueDate}T00:00:00Z`)) / DAY_MS);
  return daysPastDue <= 0 ? 'current' : daysPastDue <= 30 ? 'days1to30' : daysPastDue <= 60 ? 'days31to60' : daysPastDue <= 90 ? 'days61to90' : 'over90';
}

/**
 * The customer's reads, from the read models only. Every query carries both the tenant and the partner predicate:
 * a context without a partner sees nothing.
 */
export function createCustomerQueries(db: Sql, watchers: TimelineWatchers, clock: Clock): CustomerQueries {
  const partnerOf = (ctx: TenantContext): string | undefined => ctx.partnerId;

  async function getOrder(ctx: TenantContext, orderId: string): Promise<OrderView | null> {
    const partner = partnerOf(ctx);
    if (!partner) return null;
    // One statement (one round trip, one snapshot): the order and its timeline as [seq, entry] pairs in sequence.
    const { rows } = await db.query<{ view: OrderView; timeline: Array<[number, Omit<TimelineEntry, 'seq'>]> }>(
      `SELECT o.view,
              (SELECT coalesce(jsonb_agg(jsonb_build_array(t.seq, t.entry) ORDER BY t.seq), '[]'::jsonb)
                 FROM tl_o2c_timeline t WHERE t.tenant_id = o.tenant_id AND t.order_id = o.id) AS timeline
         FROM tl_o2c_orders o WHERE o.tenant_id = $1 AND o.partner_id = $2 AND o.id = $3`,
      [ctx.tenantId, partner, orderId],
    );
    if (!rows[0]) return null;
    return { ...rows[0].view, timeline: rows[0].timeline.map(([seq, entry]) => ({ seq: Number(seq), ...entry })) };
  }

  return {
    getOrder,

    async listOrders(ctx, query) {
      const partner = partnerOf(ctx);
      if (!partner) return { items: [], nextCursor: null };
      const limit = pageLimit(query.limit);
      const params: unknown[] = [ctx.tenantId, partner];
      const where = ['tenant_id = $1', 'partner_id = $2'];
      if (query.cursor) {
        params.push(decodeCursor(query.cursor));
        where.push(`seq < $${params.length}`);
      }
      if (query.status) {
        params.push(query.status);
        where.push(`status = $${params.length}`);
      }
      if (query.from) {
        params.push(query.from);
        where.push(`ordered_at >= $${params.length}`);
      }
      if (query.to) {
        params.push(query.to);
        where.push(`ordered_at <= $${params.length}`);
      }
      if (query.q) {
        params.push(query.q);
        where.push(`(customer_po ILIKE '%' || $${params.length} || '%' OR EXISTS (SELECT 1 FROM jsonb_array_elements(view->'lines') l WHERE l->>'sku' = $${params.length}))`);
      }
      params.push(limit + 1);
      const { rows } = await db.query<{ seq: string; view: OrderView }>(
        `SELECT seq, view FROM tl_o2c_orders WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${params.length}`,
        params,
      );
      const page = rows.slice(0, limit);
      return {
        items: page.map(({ view }) => ({
          id: view.id,
          customerPoNumber: view.customerPoNumber,
          ...(view.orderNumber ? { orderNumber: view.orderNumber } : {}),
          status: view.status,
          orderedAt: view.orderedAt,
          total: view.total,
          lineCount: view.lines.length,
        })),
        nextCursor: rows.length > limit ? encodeCursor(String(page[page.length - 1]!.seq)) : null,
      };
    },

    watchTimeline(ctx, orderId, listener) {
      const partner = partnerOf(ctx);
      if (!partner) return () => {};
      let active = true;
      let unsubscribe: () => void = () => {};
      // Subscribe only once the order is known to be the caller's; entries appended meanwhile are not lost because
      // the registry is joined before the ownership check resolves and filtered until it does.
      const pending: TimelineEntry[] = [];
      let owned: boolean | undefined;
      unsubscribe = watchers.watch(ctx.tenantId, orderId, (entry) => {
        if (!active) return;
        if (owned === undefined) pending.push(entry);
        else if (owned) listener(entry);
      });
      void db
        .query('SELECT 1 FROM tl_o2c_orders WHERE tenant_id = $1 AND partner_id = $2 AND id = $3', [ctx.tenantId, partner, orderId])
        .then(
          ({ rows }) => {
            owned = rows.length > 0;
            if (!owned) unsubscribe();
            else if (active) for (const e of pending.splice(0)) listener(e);
          },
          () => {
            owned = false;
            unsubscribe();
          },
        );
      return () => {
        active = false;
        unsubscribe();
      };
    },

    async searchItems(ctx, query) {
      const partner = partnerOf(ctx);
      if (!partner) return { items: [], nextCursor: null };
      const limit = pageLimit(query.limit);
      const params: unknown[] = [ctx.tenantId];
      const where = ['tenant_id = $1', `doc->>'status' = 'active'`];
      if (query.cursor) {
        params.push(decodeCursor(query.cursor));
        where.push(`sku > $${params.length}`);
      }
      if (query.q) {
        params.push(query.q);
        where.push(`(sku ILIKE '%' || $${params.length} || '%' OR doc->>'description' ILIKE '%' || $${params.length} || '%' OR doc->'crossReferences' @> jsonb_build_array(jsonb_build_object('kind', 'gtin', 'gtin', $${params.length}::text)))`);
      }
      params.push(limit + 1);
      const { rows } = await db.query<{ sku: string; doc: Item }>(
        `SELECT sku, doc FROM tl_o2c_items WHERE ${where.join(' AND ')} ORDER BY sku LIMIT $${params.length}`,
        params,
      );
      const page = rows.slice(0, limit);
      const items: ItemOffer[] = [];
      for (const { doc: item } of page) {
        const prices = (await db.query<{ doc: Price }>(
          'SELECT doc FROM tl_o2c_prices WHERE tenant_id = $1 AND item_id = $2 AND (customer_id IS NULL OR customer_id = $3)',
          [ctx.tenantId, item.id, partner],
        )).rows.map((r) => r.doc);
        const price = prices.find((p) => p.kind === 'contract') ?? prices.find((p) => p.kind === 'list');
        if (!price) continue;
        const stock = (await db.query<{ doc: InventoryPosition }>('SELECT doc FROM tl_o2c_inventory WHERE tenant_id = $1 AND item_id = $2', [ctx.tenantId, item.id])).rows.map((r) => r.doc);
        const available = stock.reduce((sum, p) => (compareDecimal(p.available, '0') > 0 ? addDecimal(sum, p.available) : sum), '0');
        const asOf = stock.reduce((latest, p) => (p.asOf > latest ? p.asOf : latest), '1970-01-01T00:00:00.000Z');
        const partNumber = item.crossReferences.find((r) => r.kind === 'customer_part' && r.customerId === partner);
        const gtin = item.crossReferences.find((r) => r.kind === 'gtin' && r.unit === item.baseUnit);
        items.push({
          sku: item.sku,
          description: item.description,
          ...(partNumber && partNumber.kind === 'customer_part' ? { customerPartNumber: partNumber.partNumber } : {}),
          ...(gtin && gtin.kind === 'gtin' ? { gtin: gtin.gtin } : {}),
          unit: price.unit,
          units: item.conversions.filter((c) => c.to === item.baseUnit).map((c) => ({ unit: c.from, factor: c.factor })),
          price: price.tiers[0]!.unitPrice,
          priceSource: price.kind,
          tiers: price.tiers.map((t) => ({ minQuantity: t.minQuantity, price: t.unitPrice })),
          available,
          asOf: new Date(asOf).toISOString(),
        });
      }
      return { items, nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.sku) : null };
    },

    async listInvoices(ctx, query) {
      const partner = partnerOf(ctx);
      if (!partner) return { items: [], nextCursor: null };
      const limit = pageLimit(query.limit);
      const params: unknown[] = [ctx.tenantId, partner];
      const where = ['tenant_id = $1', 'partner_id = $2'];
      if (query.status) {
        params.push(query.status);
        where.push(`status = $${params.length}`);
      }
      if (query.cursor) {
        params.push(decodeCursor(query.cursor));
        where.push(`id > $${params.length}`);
      }
      params.push(limit + 1);
      const { rows } = await db.query<{ id: string; view: InvoiceView }>(
        `SELECT id, ${CUSTOMER_INVOICE_VIEW} AS view FROM tl_o2c_invoices WHERE ${where.join(' AND ')} ORDER BY id LIMIT $${params.length}`,
        params,
      );
      const page = rows.slice(0, limit);
      return { items: page.map((r) => r.view), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : null };
    },

    async getInvoice(ctx, invoiceId) {
      const partner = partnerOf(ctx);
      if (!partner) return null;
      const { rows } = await db.query<{ view: InvoiceView }>(`SELECT ${CUSTOMER_INVOICE_VIEW} AS view FROM tl_o2c_invoices WHERE tenant_id = $1 AND partner_id = $2 AND id = $3`, [
        ctx.tenantId,
        partner,
        invoiceId,
      ]);
      return rows[0]?.view ?? null;
    },

    /**
     * Open invoices less open credit memos (a credit takes off what is owed; below zero the customer is in credit),
     * each in the bucket of its due date; every figure in the currency's decimals.
     */
    async getBalance(ctx) {
      const partner = partnerOf(ctx);
      const now = clock.now();
      const balance: AccountBalance = {
        currency: 'USD',
        balance: '0.00',
        aging: { current: '0.00', days1to30: '0.00', days31to60: '0.00', days61to90: '0.00', over90: '0.00' },
        asOf: now.toISOString(),
      };
      if (!partner) return balance;
      const { rows } = await db.query<{ view: InvoiceView }>('SELECT view FROM tl_o2c_invoices WHERE tenant_id = $1 AND partner_id = $2 ORDER BY id', [ctx.tenantId, partner]);
      for (const { view } of rows) {
        const open = view.openAmount.amount;
        if (compareDecimal(open, '0') === 0) continue;
        balance.currency = view.openAmount.currency;
        const owed = view.kind === 'credit_memo' ? subtractDecimal('0', open) : open;
        balance.balance = addDecimal(balance.balance, owed);
        const bucket = agingBucket(now, view.dueDate);
        balance.aging[bucket] = addDecimal(balance.aging[bucket], owed);
      }
      const inCurrency = (amount: string) => roundMoney({ amount, currency: balance.currency }).amount;
      balance.balance = inCurrency(balance.balance);
      for (const bucket of Object.keys(balance.aging) as Array<keyof AccountBalance['aging']>) balance.aging[bucket] = inCurrency(balance.aging[bucket]);
      return balance;
    },

    async getReturn(ctx, returnId) {
      const partner = partnerOf(ctx);
      if (!partner) return null;
      const { rows } = await db.query<{ view: ReturnView; order_id: string }>(
        'SELECT view, order_id FROM tl_o2c_returns WHERE tenant_id = $1 AND partner_id = $2 AND id = $3',
        [ctx.tenantId, partner, returnId],
      );
      if (!rows[0]) return null;
      const timeline = (await readTimeline(db, ctx.tenantId, rows[0].order_id)).filter((e) => e.detail.includes(returnId));
      return { ...rows[0].view, timeline };
    },
  };
}
