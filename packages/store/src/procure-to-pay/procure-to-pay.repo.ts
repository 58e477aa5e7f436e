import type {
  AcknowledgmentRepo,
  AsnRepo,
  BackorderedLine,
  ExceptionRepo,
  ExceptionView,
  InboundSupply,
  ProcureToPayRepos,
  PromiseLink,
  PurchaseOrderRepo,
  ScorecardFact,
  ScorecardRepo,
  StoredAcknowledgment,
  StoredAsn,
  StoredException,
  StoredPurchaseOrder,
  StoredSupplierInvoice,
  SupplierInvoiceRepo,
  SupplierItemView,
  SupplierProfileRepo,
  SupplyRepo,
  ToleranceProfile,
} from '@tradelane/core';
import type { Sql } from '../driver/database.js';
import { jsonParam } from '../shared/json-param.js';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/pagination.js';

const iso = (v: Date | string) => new Date(v).toISOString();
const day = (v: Date | string) => (typeof v === 'string' ? v.slice(0, 10) : v.toISOString().slice(0, 10));

/** Purchase order read model bound to `sql`; every statement carries the tenant predicate. */
export function createPurchaseOrderRepo(sql: Sql): PurchaseOrderRepo {
  return {
    async get(ctx, idOrNumber, options) {
      const { rows } = await sql.query<{ doc: StoredPurchaseOrder }>(
        `SELECT doc FROM tl_p2p_purchase_orders WHERE tenant_id = $1 AND (id = $2 OR po_number = $2) LIMIT 1${options?.forUpdate ? ' FOR UPDATE' : ''}`,
        [ctx.tenantId, idOrNumber],
      );
      return rows[0]?.doc;
    },
    async upsert(ctx, po) {
      await sql.query(
        `INSERT INTO tl_p2p_purchase_orders (tenant_id, id, po_number, supplier_id, status, awaiting_ack, ack_due_at, reminder_at, reminder_sent, updated_at, doc)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (tenant_id, id) DO UPDATE SET supplier_id = EXCLUDED.supplier_id, status = EXCLUDED.status, awaiting_ack = EXCLUDED.awaiting_ack,
           ack_due_at = EXCLUDED.ack_due_at, reminder_at = EXCLUDED.reminder_at, reminder_sent = EXCLUDED.reminder_sent, updated_at = EXCLUDED.updated_at, doc = EXCLUDED.doc`,
        [
          ctx.tenantId,
          po.id,
          po.poNumber,
          po.supplierId,
          po.view.status,
          po.view.awaitingAcknowledgment,
          po.view.acknowledgmentDueBy ?? null,
          po.reminderAt ?? null,
          po.reminderSent ?? false,
          po.view.updatedAt,
          jsonParam(po),
        ],
      );
    },
    async list(ctx, supplierId, query) {
      const limit = pageLimit(query.limit);
      const params: unknown[] = [ctx.tenantId, supplierId];
      const where = ['tenant_id = $1', 'supplier_id = $2'];
      if (query.status) {
        params.push(query.status);
        where.push(`status = $${params.length}`);
      }
      if (query.awaitingAcknowledgment !== undefined) {
        params.push(query.awaitingAcknowledgment);
        where.push(`awaiting_ack = $${params.length}`);
      }
      if (query.updatedSince) {
        params.push(query.updatedSince);
        where.push(`updated_at > $${params.length}`);
      }
      if (query.cursor) {
        const [at, id] = decodeCursor(query.cursor).split('|');
        params.push(at, id);
        where.push(`(updated_at, id) > ($${params.length - 1}::timestamptz, $${params.length})`);
      }
      params.push(limit + 1);
      const { rows } = await sql.query<{ doc: StoredPurchaseOrder }>(
        `SELECT doc FROM tl_p2p_purchase_orders WHERE ${where.join(' AND ')} ORDER BY updated_at, id LIMIT $${params.length}`,
        params,
      );
      const items = rows.slice(0, limit).map((r) => r.doc.view);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(`${last.updatedAt}|${last.id}`) : null };
    },
    async listAwaitingAcknowledgment(ctx, now, limit) {
      const { rows } = await sql.query<{ doc: StoredPurchaseOrder }>(
        `SELECT doc FROM tl_p2p_purchase_orders WHERE tenant_id = $1 AND awaiting_ack
           AND ((reminder_at <= $2::timestamptz AND NOT reminder_sent) OR (ack_due_at <= $2::timestamptz AND NOT COALESCE((doc->>'ackMissingRaised')::boolean, false))) ORDER BY ack_due_at, id LIMIT $3`,
        [ctx.tenantId, now, limit],
      );
      return rows.map((r) => r.doc);
    },
  };
}

/** Acknowledgments bound to `sql`. */
export function createAcknowledgmentRepo(sql: Sql): AcknowledgmentRepo {
  return {
    async insert(ctx, ack) {
      await sql.query(
        `INSERT INTO tl_p2p_acknowledgments (tenant_id, id, purchase_order_id, revision, ack_number, content_hash, doc) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [ctx.tenantId, ack.id, ack.purchaseOrderId, ack.revision, ack.acknowledgmentNumber ?? null, ack.contentHash, jsonParam(ack)],
      );
    },
    async save(ctx, ack) {
      await sql.query('UPDATE tl_p2p_acknowledgments SET doc = $3 WHERE tenant_id = $1 AND id = $2', [ctx.tenantId, ack.id, jsonParam(ack)]);
    },
    async get(ctx, id) {
      const { rows } = await sql.query<{ doc: StoredAcknowledgment }>('SELECT doc FROM tl_p2p_acknowledgments WHERE tenant_id = $1 AND id = $2', [ctx.tenantId, id]);
      return rows[0]?.doc;
    },
    async findDuplicate(ctx, purchaseOrderId, match) {
      const { rows } = await sql.query<{ doc: StoredAcknowledgment }>(
        `SELECT doc FROM tl_p2p_acknowledgments WHERE tenant_id = $1 AND purchase_order_id = $2
           AND (ack_number = $3 OR (revision = $4 AND content_hash = $5)) ORDER BY created_at LIMIT 1`,
        [ctx.tenantId, purchaseOrderId, match.acknowledgmentNumber ?? null, match.revision, match.contentHash],
      );
      return rows[0]?.doc;
    },
  };
}

/** Ship notices bound to `sql`. */
export function createAsnRepo(sql: Sql): AsnRepo {
  const poNumbers = (asn: StoredAsn) => [...new Set(asn.view.lines.map((l) => l.poNumber))];
  return {
    async insert(ctx, asn) {
      await sql.query(
        'INSERT INTO tl_p2p_asns (tenant_id, id, supplier_id, asn_number, po_numbers, doc) VALUES ($1, $2, $3, $4, $5, $6)',
        [ctx.tenantId, asn.id, asn.supplierId, asn.view.asnNumber, jsonParam(poNumbers(asn)), jsonParam(asn)],
      );
    },
    async save(ctx, asn) {
      await sql.query('UPDATE tl_p2p_asns SET doc = $3 WHERE tenant_id = $1 AND id = $2', [ctx.tenantId, asn.id, jsonParam(asn)]);
    },
    async get(ctx, id, options) {
      const { rows } = await sql.query<{ doc: StoredAsn }>(`SELECT doc FROM tl_p2p_asns WHERE tenant_id = $1 AND id = $2${options?.forUpdate ? ' FOR UPDATE' : ''}`, [ctx.tenantId, id]);
      return rows[0]?.doc;
    },
    async findByNumber(ctx, supplierId, asnNumber) {
      const { rows } = await sql.query<{ doc: StoredAsn }>('SELECT doc FROM tl_p2p_asns WHERE tenant_id = $1 AND supplier_id = $2 AND asn_number = $3', [ctx.tenantId, supplierId, asnNumber]);
      return rows[0]?.doc;
    },
    async listByPurchaseOrder(ctx, poNumber) {
      const { rows } = await sql.query<{ doc: StoredAsn }>('SELECT doc FROM tl_p2p_asns WHERE tenant_id = $1 AND po_numbers @> $2::jsonb ORDER BY id', [ctx.tenantId, jsonParam([poNumber])]);
      return rows.map((r) => r.doc);
    },
  };
}

/** Supplier invoices bound to `sql`. */
export function createSupplierInvoiceRepo(sql: Sql): SupplierInvoiceRepo {
  const waiting = (inv: StoredSupplierInvoice) => inv.view.match?.result === 'waiting_for_receipt';
  return {
    async insert(ctx, inv) {
      await sql.query(
        'INSERT INTO tl_p2p_invoices (tenant_id, id, supplier_id, invoice_number, purchase_order_id, status, waiting, doc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [ctx.tenantId, inv.id, inv.supplierId, inv.view.invoiceNumber, inv.purchaseOrderId, inv.view.status, waiting(inv), jsonParam(inv)],
      );
    },
    async save(ctx, inv) {
      await sql.query('UPDATE tl_p2p_invoices SET status = $3, waiting = $4, doc = $5 WHERE tenant_id = $1 AND id = $2', [ctx.tenantId, inv.id, inv.view.status, waiting(inv), jsonParam(inv)]);
    },
    async get(ctx, id, options) {
      const { rows } = await sql.query<{ doc: StoredSupplierInvoice }>(`SELECT doc FROM tl_p2p_invoices WHERE tenant_id = $1 AND id = $2${options?.forUpdate ? ' FOR UPDATE' : ''}`, [ctx.tenantId, id]);
      return rows[0]?.doc;
    },
    async findByNumber(ctx, supplierId, invoiceNumber) {
      const { rows } = await sql.query<{ doc: StoredSupplierInvoice }>('SELECT doc FROM tl_p2p_invoices WHERE tenant_id = $1 AND supplier_id = $2 AND invoice_number = $3', [ctx.tenantId, supplierId, invoiceNumber]);
      return rows[0]?.doc;
    },
    async listWaiting(ctx, purchaseOrderId) {
      const { rows } = await sql.query<{ doc: StoredSupplierInvoice }>('SELECT doc FROM tl_p2p_invoices WHERE tenant_id = $1 AND purchase_order_id = $2 AND waiting ORDER BY id FOR UPDATE', [ctx.tenantId, purchaseOrderId]);
      return rows.map((r) => r.doc);
    },
  };
}

/** Exceptions bound to `sql`. */
export function createExceptionRepo(sql: Sql): ExceptionRepo {
  const slaCase = (param: string) =>
    `CASE WHEN due_at <= ${param} THEN 'breached' WHEN due_at - (due_at - created_at) / 4 <= ${param} THEN 'due_soon' ELSE 'ok' END`;
  return {
    async insert(ctx, e) {
      await sql.query(
        'INSERT INTO tl_p2p_exceptions (tenant_id, id, type, owner_role, status, subject_id, created_at, due_at, doc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [ctx.tenantId, e.view.id, e.view.type, e.view.ownerRole, e.view.status, e.view.subject.id, e.view.createdAt, e.view.sla.dueAt, jsonParam(e)],
      );
    },
    async save(ctx, e) {
      await sql.query('UPDATE tl_p2p_exceptions SET status = $3, due_at = $4, doc = $5 WHERE tenant_id = $1 AND id = $2', [ctx.tenantId, e.view.id, e.view.status, e.view.sla.dueAt, jsonParam(e)]);
    },
    async get(ctx, id, options) {
      const { rows } = await sql.query<{ doc: StoredException }>(`SELECT doc FROM tl_p2p_exceptions WHERE tenant_id = $1 AND id = $2${options?.forUpdate ? ' FOR UPDATE' : ''}`, [ctx.tenantId, id]);
      return rows[0]?.doc;
    },
    async list(ctx, query, now) {
      const limit = pageLimit(query.limit);
      const params: unknown[] = [ctx.tenantId];
      const where = ['tenant_id = $1'];
      const add = (column: string, value: unknown) => {
        params.push(value);
        where.push(`${column} = $${params.length}`);
      };
      if (query.type) add('type', query.type);
      if (query.ownerRole) add('owner_role', query.ownerRole);
      if (query.status) add('status', query.status);
      if (query.slaState) {
        params.push(now, query.slaState);
        where.push(`status <> 'Resolved' AND ${slaCase(`$${params.length - 1}::timestamptz`)} = $${params.length}`);
      }
      if (query.cursor) {
        params.push(decodeCursor(query.cursor));
        where.push(`seq > $${params.length}::bigint`);
      }
      params.push(limit + 1);
      const { rows } = await sql.query<{ doc: StoredException; seq: string }>(
        `SELECT doc, seq FROM tl_p2p_exceptions WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${params.length}`,
        params,
      );
      const page = rows.slice(0, limit);
      return { items: page.map((r) => r.doc.view as ExceptionView), nextCursor: rows.length > limit ? encodeCursor(String(page.at(-1)!.seq)) : null };
    },
    async findOpen(ctx, type, subjectId) {
      const { rows } = await sql.query<{ doc: StoredException }>(
        `SELECT doc FROM tl_p2p_exceptions WHERE tenant_id = $1 AND type = $2 AND subject_id = $3 AND status <> 'Resolved' ORDER BY seq`,
        [ctx.tenantId, type, subjectId],
      );
      return rows.map((r) => r.doc);
    },
  };
}

/** Supplier tolerance overrides and item availability bound to `sql`. */
export function createSupplierProfileRepo(sql: Sql): SupplierProfileRepo {
  return {
    async getTolerance(ctx, supplierId) {
      const { rows } = await sql.query<{ profile: Partial<ToleranceProfile> }>('SELECT profile FROM tl_p2p_supplier_tolerances WHERE tenant_id = $1 AND supplier_id = $2', [ctx.tenantId, supplierId]);
      return rows[0]?.profile;
    },
    async putTolerance(ctx, supplierId, profile) {
      await sql.query(
        `INSERT INTO tl_p2p_supplier_tolerances (tenant_id, supplier_id, profile) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, supplier_id) DO UPDATE SET profile = EXCLUDED.profile`,
        [ctx.tenantId, supplierId, jsonParam(profile)],
      );
    },
    async putItem(ctx, supplierId, item) {
      await sql.query(
        `INSERT INTO tl_p2p_supplier_items (tenant_id, supplier_id, sku, doc) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, supplier_id, sku) DO UPDATE SET doc = EXCLUDED.doc`,
        [ctx.tenantId, supplierId, item.sku, jsonParam(item)],
      );
    },
    async getItem(ctx, supplierId, sku) {
      const { rows } = await sql.query<{ doc: SupplierItemView }>('SELECT doc FROM tl_p2p_supplier_items WHERE tenant_id = $1 AND supplier_id = $2 AND sku = $3', [ctx.tenantId, supplierId, sku]);
      return rows[0]?.doc;
    },
    async itemsBySku(ctx, sku) {
      const { rows } = await sql.query<{ supplier_id: string; doc: SupplierItemView }>('SELECT supplier_id, doc FROM tl_p2p_supplier_items WHERE tenant_id = $1 AND sku = $2 ORDER BY supplier_id', [ctx.tenantId, sku]);
      return rows.map((r) => ({ ...r.doc, supplierId: r.supplier_id }));
    },
  };
}

/** Inbound supply and promise links bound to `sql`. */
export function createSupplyRepo(sql: Sql): SupplyRepo {
  const toLink = (r: { doc: PromiseLink; promised_date: Date | string; missed_raised_for: Date | string | null }): PromiseLink => ({
    ...r.doc,
    promisedDate: day(r.promised_date),
    ...(r.missed_raised_for ? { missedRaisedFor: day(r.missed_raised_for) } : {}),
  });
  return {
    async putInbound(ctx, s: InboundSupply) {
      if (Number(s.quantity) <= 0) {
        await sql.query('DELETE FROM tl_p2p_inbound WHERE tenant_id = $1 AND purchase_order_id = $2 AND line_number = $3', [ctx.tenantId, s.purchaseOrderId, s.lineNumber]);
        return;
      }
      await sql.query(
        `INSERT INTO tl_p2p_inbound (tenant_id, purchase_order_id, line_number, sku, expected_date, doc) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, purchase_order_id, line_number) DO UPDATE SET sku = EXCLUDED.sku, expected_date = EXCLUDED.expected_date, doc = EXCLUDED.doc`,
        [ctx.tenantId, s.purchaseOrderId, s.lineNumber, s.sku, s.expectedDate, jsonParam(s)],
      );
    },
    async inboundOf(ctx, sku) {
      const { rows } = await sql.query<{ doc: InboundSupply }>(
        `SELECT doc FROM tl_p2p_inbound WHERE tenant_id = $1 AND sku = $2 ORDER BY expected_date, doc->>'poNumber', line_number`,
        [ctx.tenantId, sku],
      );
      return rows.map((r) => r.doc);
    },
    async inboundOfPurchaseOrder(ctx, purchaseOrderId) {
      const { rows } = await sql.query<{ doc: InboundSupply }>(
        'SELECT doc FROM tl_p2p_inbound WHERE tenant_id = $1 AND purchase_order_id = $2 ORDER BY line_number',
        [ctx.tenantId, purchaseOrderId],
      );
      return rows.map((r) => r.doc);
    },
    async backorderedLines(ctx, sku) {
      const { rows } = await sql.query<{ order_id: string; partner_id: string; ordered_at: Date | string; line: Record<string, unknown> }>(
        `SELECT o.id AS order_id, o.partner_id, o.ordered_at, l.line FROM tl_o2c_orders o
           CROSS JOIN LATERAL jsonb_array_elements(o.view->'lines') AS l(line)
         WHERE o.tenant_id = $1 AND l.line->>'sku' = $2 AND l.line->>'status' = 'Backordered'
           AND (l.line->>'quantityBackordered')::numeric > 0
         ORDER BY o.seq, (l.line->>'lineNumber')::int`,
        [ctx.tenantId, sku],
      );
      return rows.map(
        (r): BackorderedLine => ({
          orderId: r.order_id,
          partnerId: r.partner_id,
          lineNumber: Number(r.line.lineNumber),
          sku,
          quantityBackordered: String(r.line.quantityBackordered),
          unit: String(r.line.unit),
          ...(typeof r.line.promisedDate === 'string' ? { promisedDate: r.line.promisedDate } : {}),
          orderedAt: iso(r.ordered_at),
        }),
      );
    },
    async putPromise(ctx, link) {
      await sql.query(
        `INSERT INTO tl_p2p_promises (tenant_id, order_id, line_number, promised_date, missed_raised_for, doc) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, order_id, line_number) DO UPDATE SET promised_date = EXCLUDED.promised_date, missed_raised_for = EXCLUDED.missed_raised_for, doc = EXCLUDED.doc`,
        [ctx.tenantId, link.orderId, link.lineNumber, link.promisedDate, link.missedRaisedFor ?? null, jsonParam(link)],
      );
    },
    async getPromise(ctx, orderId, lineNumber) {
      const { rows } = await sql.query<{ doc: PromiseLink; promised_date: Date | string; missed_raised_for: Date | string | null }>(
        'SELECT doc, promised_date, missed_raised_for FROM tl_p2p_promises WHERE tenant_id = $1 AND order_id = $2 AND line_number = $3',
        [ctx.tenantId, orderId, lineNumber],
      );
      return rows[0] ? toLink(rows[0]) : undefined;
    },
    async listPromisesDue(ctx, today, limit) {
      const { rows } = await sql.query<{ doc: PromiseLink; promised_date: Date | string; missed_raised_for: Date | string | null }>(
        `SELECT doc, promised_date, missed_raised_for FROM tl_p2p_promises WHERE tenant_id = $1 AND promised_date < $2::date
           AND (missed_raised_for IS NULL OR missed_raised_for <> promised_date) ORDER BY promised_date, order_id, line_number LIMIT $3`,
        [ctx.tenantId, today, limit],
      );
      return rows.map(toLink);
    },
    async deletePromise(ctx, orderId, lineNumber) {
      await sql.query('DELETE FROM tl_p2p_promises WHERE tenant_id = $1 AND order_id = $2 AND line_number = $3', [ctx.tenantId, orderId, lineNumber]);
    },
  };
}

/** Scorecard facts bound to `sql`. */
export function createScorecardRepo(sql: Sql): ScorecardRepo {
  return {
    async record(ctx, fact: ScorecardFact) {
      const { rowCount } = await sql.query(
        'INSERT INTO tl_p2p_facts (tenant_id, supplier_id, key, kind, at, value) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, key) DO NOTHING',
        [ctx.tenantId, fact.supplierId, fact.key, fact.kind, fact.at, jsonParam(fact.value)],
      );
      return rowCount > 0;
    },
    async list(ctx, supplierId, period) {
      const { rows } = await sql.query<{ supplier_id: string; key: string; kind: ScorecardFact['kind']; at: Date | string; value: Record<string, unknown> }>(
        'SELECT supplier_id, key, kind, at, value FROM tl_p2p_facts WHERE tenant_id = $1 AND supplier_id = $2 AND at >= $3 AND at <= $4 ORDER BY at, key',
        [ctx.tenantId, supplierId, period.from, period.to],
      );
      return rows.map((r) => ({ supplierId: r.supplier_id, key: r.key, kind: r.kind, at: iso(r.at), value: r.value }));
    },
  };
}

/** Every procure-to-pay repository bound to `sql`. */
export function createProcureToPayRepos(sql: Sql): ProcureToPayRepos {
  return {
    purchaseOrders: createPurchaseOrderRepo(sql),
    acknowledgments: createAcknowledgmentRepo(sql),
    asns: createAsnRepo(sql),
    invoices: createSupplierInvoiceRepo(sql),
    exceptions: createExceptionRepo(sql),
    suppliers: createSupplierProfileRepo(sql),
    supply: createSupplyRepo(sql),
    scorecard: createScorecardRepo(sql),
  };
}
