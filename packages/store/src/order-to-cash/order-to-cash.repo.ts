import { createFulfilmentRepo } from './fulfilment.repo.js';
import type { InventoryPosition, Item, Party, Price } from '@tradelane/canonical';
import type {
  CatalogRepo,
  FeedCursorRepo,
  InvoiceRepo,
  InvoiceView,
  NewTimelineEntry,
  OrderRepo,
  OrderToCashRepos,
  ReturnRepo,
  ReturnView,
  StoredOrder,
  TenantContext,
  TimelineEntry,
} from '@tradelane/core';
import type { Sql } from '../driver/database.js';
import { jsonParam } from '../shared/json-param.js';

/** Told about every timeline entry appended through the repositories (flushed after the transaction commits). */
export type TimelineSink = (tenantId: string, orderId: string, entry: TimelineEntry) => void;

interface OrderRow {
  id: string;
  partner_id: string;
  submission: StoredOrder['submission'];
  view: StoredOrder['view'];
  sales_order: StoredOrder['salesOrder'] | null;
}

function toStored(row: OrderRow): StoredOrder {
  return { id: row.id, partnerId: row.partner_id, submission: row.submission, view: row.view, ...(row.sales_order ? { salesOrder: row.sales_order } : {}) };
}

function withoutTimeline(order: StoredOrder): StoredOrder['view'] {
  return { ...order.view, timeline: [] };
}

/** Order repository bound to `sql`; appended timeline entries are reported to `sink`. */
export function createOrderRepo(sql: Sql, sink: TimelineSink): OrderRepo {
  return {
    async insert(ctx, order) {
      await sql.query(
        `INSERT INTO tl_o2c_orders (tenant_id, id, partner_id, status, customer_po, order_number, ordered_at, submission, view, sales_order)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          ctx.tenantId,
          order.id,
          order.partnerId,
          order.view.status,
          order.view.customerPoNumber,
          order.view.orderNumber ?? null,
          order.view.orderedAt,
          jsonParam(order.submission),
          jsonParam(withoutTimeline(order)),
          order.salesOrder ? jsonParam(order.salesOrder) : null,
        ],
      );
    },
    async get(ctx, orderId, options) {
      const { rows } = await sql.query<OrderRow>(
        `SELECT id, partner_id, submission, view, sales_order FROM tl_o2c_orders WHERE tenant_id = $1 AND id = $2${options?.forUpdate ? ' FOR UPDATE' : ''}`,
        [ctx.tenantId, orderId],
      );
      return rows[0] ? toStored(rows[0]) : undefined;
    },
    async save(ctx, order) {
      await sql.query(
        `UPDATE tl_o2c_orders SET status = $3, order_number = $4, view = $5, sales_order = $6, updated_at = now() WHERE tenant_id = $1 AND id = $2`,
        [ctx.tenantId, order.id, order.view.status, order.view.orderNumber ?? null, jsonParam(withoutTimeline(order)), order.salesOrder ? jsonParam(order.salesOrder) : null],
      );
    },
    async appendTimeline(ctx, orderId, entries) {
      const appended: TimelineEntry[] = [];
      for (const e of entries) {
        const { key, ...rest } = e as NewTimelineEntry;
        const { rows } = await sql.query<{ seq: number }>(
          `INSERT INTO tl_o2c_timeline (tenant_id, order_id, seq, key, entry)
           SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4 FROM tl_o2c_timeline WHERE tenant_id = $1 AND order_id = $2
           ON CONFLICT (tenant_id, order_id, key) DO NOTHING RETURNING seq`,
          [ctx.tenantId, orderId, key, jsonParam(rest)],
        );
        if (rows[0]) {
          const entry = { seq: Number(rows[0].seq), ...stripUndefined(rest) } as TimelineEntry;
          appended.push(entry);
          sink(ctx.tenantId, orderId, entry);
        }
      }
      return appended;
    },
    async timeline(ctx, orderId) {
      return readTimeline(sql, ctx.tenantId, orderId);
    },
    async listByStatus(ctx, status, options) {
      const { rows } = await sql.query<{ id: string; partner_id: string }>(
        'SELECT id, partner_id FROM tl_o2c_orders WHERE tenant_id = $1 AND status = $2 AND ordered_at < $3 ORDER BY seq LIMIT $4',
        [ctx.tenantId, status, options.before, options.limit],
      );
      return rows.map((r) => ({ id: r.id, partnerId: r.partner_id }));
    },
  };
}

/** The timeline of one order, in sequence. */
export async function readTimeline(sql: Sql, tenantId: string, orderId: string): Promise<TimelineEntry[]> {
  const { rows } = await sql.query<{ seq: number; entry: Omit<TimelineEntry, 'seq'> }>(
    'SELECT seq, entry FROM tl_o2c_timeline WHERE tenant_id = $1 AND order_id = $2 ORDER BY seq',
    [tenantId, orderId],
  );
  return rows.map((r) => ({ seq: Number(r.seq), ...r.entry }));
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Catalog read models bound to `sql`. */
export function createCatalogRepo(sql: Sql): CatalogRepo {
  return {
    async upsertParties(ctx, parties, syncedAt) {
      for (const p of parties) {
        const parent = p.kind === 'ship_to' || p.kind === 'bill_to' ? p.parentPartyId : null;
        await sql.query(
          `INSERT INTO tl_o2c_parties (tenant_id, id, kind, code, parent_id, doc, synced_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (tenant_id, id) DO UPDATE SET kind = EXCLUDED.kind, code = EXCLUDED.code, parent_id = EXCLUDED.parent_id, doc = EXCLUDED.doc, synced_at = EXCLUDED.synced_at`,
          [ctx.tenantId, p.id, p.kind, p.code, parent, jsonParam(p), syncedAt],
        );
      }
    },
    async upsertItems(ctx, items, syncedAt) {
      for (const i of items) {
        await sql.query(
          `INSERT INTO tl_o2c_items (tenant_id, id, sku, doc, synced_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (tenant_id, id) DO UPDATE SET sku = EXCLUDED.sku, doc = EXCLUDED.doc, synced_at = EXCLUDED.synced_at`,
          [ctx.tenantId, i.id, i.sku, jsonParam(i), syncedAt],
        );
      }
    },
    async upsertPrices(ctx, prices, syncedAt) {
      for (const p of prices) {
        await sql.query(
          `INSERT INTO tl_o2c_prices (tenant_id, id, item_id, customer_id, doc, synced_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (tenant_id, id) DO UPDATE SET item_id = EXCLUDED.item_id, customer_id = EXCLUDED.customer_id, doc = EXCLUDED.doc, synced_at = EXCLUDED.synced_at`,
          [ctx.tenantId, p.id, p.itemId, p.kind === 'contract' ? p.customerId : null, jsonParam(p), syncedAt],
        );
      }
    },
    async upsertInventory(ctx, positions) {
      for (const p of positions) {
        // An older snapshot never overwrites a newer one.
        await sql.query(
          `INSERT INTO tl_o2c_inventory (tenant_id, item_id, location_id, doc, as_of) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (tenant_id, item_id, location_id) DO UPDATE SET doc = EXCLUDED.doc, as_of = EXCLUDED.as_of
           WHERE tl_o2c_inventory.as_of <= EXCLUDED.as_of`,
          [ctx.tenantId, p.itemId, p.locationId, jsonParam(p), p.asOf],
        );
      }
    },
    async getParty(ctx, partyId) {
      const { rows } = await sql.query<{ doc: Party }>('SELECT doc FROM tl_o2c_parties WHERE tenant_id = $1 AND id = $2', [ctx.tenantId, partyId]);
      return rows[0]?.doc;
    },
    async listShipTos(ctx, customerId) {
      const { rows } = await sql.query<{ doc: Party }>(
        `SELECT doc FROM tl_o2c_parties WHERE tenant_id = $1 AND parent_id = $2 AND kind = 'ship_to' ORDER BY code`,
        [ctx.tenantId, customerId],
      );
      return rows.map((r) => r.doc);
    },
    async findItem(ctx, ref) {
      if (ref.sku) {
        const { rows } = await sql.query<{ doc: Item }>('SELECT doc FROM tl_o2c_items WHERE tenant_id = $1 AND sku = $2', [ctx.tenantId, ref.sku]);
        return rows[0]?.doc;
      }
      if (ref.customerPartNumber) {
        const { rows } = await sql.query<{ doc: Item }>(
          `SELECT doc FROM tl_o2c_items WHERE tenant_id = $1 AND doc->'crossReferences' @> $2::jsonb`,
          [ctx.tenantId, jsonParam([{ kind: 'customer_part', customerId: ref.customerId, partNumber: ref.customerPartNumber }])],
        );
        return rows[0]?.doc;
      }
      if (ref.gtin) {
        const { rows } = await sql.query<{ doc: Item }>(
          `SELECT doc FROM tl_o2c_items WHERE tenant_id = $1 AND doc->'crossReferences' @> $2::jsonb`,
          [ctx.tenantId, jsonParam([{ kind: 'gtin', gtin: ref.gtin }])],
        );
        return rows[0]?.doc;
      }
      return undefined;
    },
    async pricesOf(ctx, itemId, customerId) {
      const { rows } = await sql.query<{ doc: Price }>(
        'SELECT doc FROM tl_o2c_prices WHERE tenant_id = $1 AND item_id = $2 AND (customer_id IS NULL OR customer_id = $3) ORDER BY id',
        [ctx.tenantId, itemId, customerId],
      );
      return rows.map((r) => r.doc);
    },
    async inventoryOf(ctx, itemId) {
      const { rows } = await sql.query<{ doc: InventoryPosition }>(
        'SELECT doc FROM tl_o2c_inventory WHERE tenant_id = $1 AND item_id = $2 ORDER BY location_id',
        [ctx.tenantId, itemId],
      );
      return rows.map((r) => r.doc);
    },
  };
}

/** Invoice read model bound to `sql`. */
export function createInvoiceRepo(sql: Sql): InvoiceRepo {
  return {
    async upsert(ctx, partnerId, invoice: InvoiceView) {
      await sql.query(
        `INSERT INTO tl_o2c_invoices (tenant_id, id, partner_id, order_id, status, invoice_date, due_date, view) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (tenant_id, id) DO UPDATE SET partner_id = EXCLUDED.partner_id, order_id = EXCLUDED.order_id, status = EXCLUDED.status,
           invoice_date = EXCLUDED.invoice_date, due_date = EXCLUDED.due_date, view = EXCLUDED.view, updated_at = now()`,
        [ctx.tenantId, invoice.id, partnerId, invoice.orderId ?? null, invoice.status, invoice.invoiceDate, invoice.dueDate, jsonParam(invoice)],
      );
    },
    async find(ctx, idOrNumber) {
      const { rows } = await sql.query<{ partner_id: string; view: InvoiceView }>(
        `SELECT partner_id, view FROM tl_o2c_invoices WHERE tenant_id = $1 AND (id = $2 OR view->>'invoiceNumber' = $2) LIMIT 1`,
        [ctx.tenantId, idOrNumber],
      );
      return rows[0] ? { partnerId: rows[0].partner_id, invoice: rows[0].view } : undefined;
    },
  };
}

/** Return read model bound to `sql`. */
export function createReturnRepo(sql: Sql): ReturnRepo {
  return {
    async upsert(ctx, partnerId, view: ReturnView) {
      await sql.query(
        `INSERT INTO tl_o2c_returns (tenant_id, id, partner_id, order_id, status, view) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, id) DO UPDATE SET status = EXCLUDED.status, view = EXCLUDED.view, updated_at = now()`,
        [ctx.tenantId, view.id, partnerId, view.orderId, view.status, jsonParam(view)],
      );
    },
    async get(ctx, returnId) {
      const { rows } = await sql.query<{ partner_id: string; view: ReturnView }>(
        'SELECT partner_id, view FROM tl_o2c_returns WHERE tenant_id = $1 AND id = $2',
        [ctx.tenantId, returnId],
      );
      return rows[0] ? { partnerId: rows[0].partner_id, view: rows[0].view } : undefined;
    },
  };
}

/** Feed cursors bound to `sql`. */
export function createFeedCursorRepo(sql: Sql): FeedCursorRepo {
  return {
    async get(ctx: TenantContext, name) {
      const { rows } = await sql.query<{ cursor: string }>('SELECT cursor FROM tl_o2c_feed_cursors WHERE tenant_id = $1 AND name = $2', [ctx.tenantId, name]);
      return rows[0]?.cursor ?? null;
    },
    async set(ctx: TenantContext, name, cursor) {
      await sql.query(
        `INSERT INTO tl_o2c_feed_cursors (tenant_id, name, cursor) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, name) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`,
        [ctx.tenantId, name, cursor],
      );
    },
  };
}

/** Every order-to-cash repository bound to `sql`. */
export function createOrderToCashRepos(sql: Sql, sink: TimelineSink): OrderToCashRepos {
  return {
    orders: createOrderRepo(sql, sink),
    catalog: createCatalogRepo(sql),
    invoices: createInvoiceRepo(sql),
    returns: createReturnRepo(sql),
    cursors: createFeedCursorRepo(sql),
    fulfilment: createFulfilmentRepo(sql),
  };
}
