import type { AdvanceShipNotice, Invoice, Party, Receipt } from '@tradelane/canonical';
import type { ErpAcknowledgmentLine, ErpExpectedReceipt, ErpPurchaseOrder, ErpPurchaseReceipt, ErpPurchasing, ErpSupplierInvoice, Page, PageRequest } from '@tradelane/connector-kit';
import type { TenantContext } from '@tradelane/core';
import { isoDateOf, toTrytonDate, toTrytonDecimal } from './codec/tryton-json.codec.js';
import { trytonStateError, trytonUnknownKeyError } from './errors.js';
import { commentWithDispute, noteWithAcknowledgment } from './mappers/acknowledgment-note.js';
import { partyIdOfTryton, supplierFromTryton } from './mappers/party.from-tryton.js';
import { lineQuantities, poNumberOfTryton, purchaseOrderFromTryton } from './mappers/purchase-order.from-tryton.js';
import { receiptFromTryton } from './mappers/receipt.from-tryton.js';
import { supplierInvoiceFromTryton } from './mappers/supplier-invoice.from-tryton.js';
import { unitToTryton } from './mappers/unit.mapper.js';
import type { TrytonRpc } from './transport/tryton-rpc.transport.js';
import type { TrytonConfig } from './tryton-config.schema.js';
import type { TrytonIncomingMove, TrytonPurchaseLineRecord, TrytonPurchaseRecord, TrytonReceiptRecord, TrytonSupplierInvoiceRecord } from './wire/tryton-purchase-records.js';
import type { TrytonPartyRecord } from './wire/tryton-records.js';

type Row = Record<string, unknown> & { id: number };
type Address = TrytonPartyRecord['address'];

/** What the purchasing capability shares with the rest of the Tryton connector. */
export interface TrytonPurchasingParts {
  rpc: TrytonRpc;
  config: TrytonConfig;
  /** `search_read` on a model (inactive records included when `context.active_test` is false). */
  searchRead(ctx: TenantContext | undefined, model: string, domain: unknown[], offset: number, limit: number | null, order: unknown, fields: string[], context?: Record<string, unknown>): Promise<Row[]>;
  /** The user's company: id, currency code and party. */
  company(ctx: TenantContext): Promise<{ id: number; currency: string; partyId: number }>;
  /** Parties with their first address and contact mechanisms. */
  partyRecords(ctx: TenantContext, rows: Row[]): Promise<TrytonPartyRecord[]>;
  /** Page size of a request. */
  limitOf(page?: PageRequest): number;
  /** Last id of a listing cursor. */
  idCursor(cursor: string | null | undefined): number;
  /** Flattens dotted fields of an answer. */
  flattenRow(row: Record<string, unknown>): Record<string, unknown>;
}

/** Fields of `purchase.purchase` the connector reads (also on the change feed). */
export const PURCHASE_FIELDS = [
  'number', 'reference', 'state', 'shipment_state', 'invoice_state', 'party', 'party.name', 'currency.code', 'purchase_date', 'delivery_date', 'payment_term.name',
  'warehouse', 'warehouse.code', 'warehouse.name', 'warehouse.address', 'company', 'description', 'comment', 'untaxed_amount', 'tax_amount', 'total_amount',
  'create_date', 'write_date',
];
/** Fields of `stock.shipment.in` the connector reads (also on the change feed). */
export const SHIPMENT_IN_FIELDS = ['number', 'reference', 'supplier', 'state', 'warehouse.code', 'planned_date', 'effective_date', 'incoming_moves', 'create_date', 'write_date'];
/** Fields of a supplier `account.invoice` the connector reads (also on the change feed). */
export const SUPPLIER_INVOICE_FIELDS = [
  'number', 'reference', 'description', 'comment', 'state', 'invoice_date', 'currency.code', 'party', 'party.code', 'party.name', 'invoice_address', 'payment_term.name',
  'untaxed_amount', 'tax_amount', 'total_amount', 'amount_to_pay', 'lines_to_pay', 'create_date', 'write_date',
];
/** Domain of the supplier invoices the connector reports: type `in`, carrying the supplier's number, not cancelled. */
export const SUPPLIER_INVOICE_DOMAIN: unknown[] = [['type', '=', 'in'], ['reference', 'not in', [null, '']], ['state', '!=', 'cancelled']];
/** Domain of the purchases on the change feed: confirmed or later (drafts and quotations are the buyer's business). */
export const PURCHASE_FEED_DOMAIN: unknown[] = [['state', 'in', ['confirmed', 'processing', 'done', 'cancelled']]];
/** Domain of the supplier shipments on the change feed: received into stock (`done`). */
export const SHIPMENT_IN_FEED_DOMAIN: unknown[] = [['state', '=', 'done']];

const NOTE_ASN = 'Tradelane ship notice ';
const NOTE_RECEIPT = 'Tradelane receipt ';
const EPS = 1e-9;
const num = (v: unknown) => (typeof v === 'number' ? v : v && typeof v === 'object' && 'decimal' in v ? Number((v as { decimal: string }).decimal) : Number(v ?? 0));
const refId = (ref: unknown, model: string): number | undefined => {
  if (typeof ref !== 'string' || !ref.startsWith(`${model},`)) return undefined;
  const id = Number(ref.slice(model.length + 1));
  return Number.isInteger(id) && id > 0 ? id : undefined;
};

/** The purchasing part of the Tryton connector: in-process state is only caches of configuration-like records. */
export interface TrytonPurchasing extends ErpPurchasing {
  /** Change-feed changes of purchases (one per row). */
  purchaseChanges(ctx: TenantContext, rows: Row[]): Promise<Array<ErpPurchaseOrder>>;
  /** Change-feed receipts of done supplier shipments (one per purchase on the shipment, per row). */
  receiptChanges(ctx: TenantContext, rows: Row[]): Promise<ErpPurchaseReceipt[][]>;
  /** Change-feed supplier invoices (one per row). */
  supplierInvoiceChanges(ctx: TenantContext, rows: Row[]): Promise<ErpSupplierInvoice[]>;
}

/**
 * `erpPurchasing` on Tryton 6.0: suppliers (parties in `supplierCategory`, else parties with product supplier
 * records), purchases with their lines and incoming moves, and the supplier's side written back — acknowledgments
 * into the purchase lines and their expected moves, ship notices as draft supplier shipments, receipts as done supplier
 * shipments, supplier invoices as `account.invoice` of type `in` with the hub's match decision (post = approved).
 * Every write looks up what an earlier attempt did first, so a retry after a lost answer changes nothing twice.
 */
export function createTrytonPurchasing(parts: TrytonPurchasingParts): TrytonPurchasing {
  const { rpc, config, searchRead, flattenRow } = parts;
  const call = <T = unknown>(ctx: TenantContext, method: string, args: unknown[], context?: Record<string, unknown>) => rpc.call<T>(ctx, method, args, context);
  const button = (ctx: TenantContext, model: string, name: string, ids: number[]) => call(ctx, `model.${model}.${name}`, [ids]);
  const read = (ctx: TenantContext, model: string, ids: number[], fields: string[]) => (ids.length ? call<Row[]>(ctx, `model.${model}.read`, [ids, fields]) : Promise.resolve([] as Row[]));
  let hasRequests: Promise<boolean> | null = null;
  let companyDetails: Promise<{ name: string; address: Address; currencyId: number }> | null = null;

  async function addresses(ctx: TenantContext, ids: number[]): Promise<Map<number, NonNullable<Address>>> {
    const rows = await read(ctx, 'party.address', [...new Set(ids)], ['street', 'city', 'postal_code', 'country.code', 'subdivision.code', 'party']);
    return new Map(
      rows.map((raw) => {
        const a = flattenRow(raw);
        return [raw.id, { street: (a.street as string) ?? null, city: (a.city as string) ?? null, postal_code: (a.postal_code as string) ?? null, country_code: (a['country.code'] as string) ?? null, subdivision_code: (a['subdivision.code'] as string) ?? null }];
      }),
    );
  }

  function companyInfo(ctx: TenantContext) {
    if (!companyDetails) {
      companyDetails = (async () => {
        const company = await parts.company(ctx);
        const [row] = await read(ctx, 'company.company', [company.id], ['party.name', 'party.addresses', 'currency']);
        const flat = flattenRow(row ?? { id: company.id });
        const first = ((flat['party.addresses'] as number[] | undefined) ?? [])[0];
        const address = first ? (await addresses(ctx, [first])).get(first) : undefined;
        return { name: String(flat['party.name'] ?? 'Company'), address, currencyId: Number(flat.currency) };
      })();
      companyDetails.catch(() => (companyDetails = null));
    }
    return companyDetails;
  }

  function requestsInstalled(ctx: TenantContext) {
    if (!hasRequests) {
      hasRequests = searchRead(ctx, 'ir.model', [['model', '=', 'purchase.request']], 0, 1, null, ['model']).then((rows) => rows.length > 0);
      hasRequests.catch(() => (hasRequests = null));
    }
    return hasRequests;
  }

  // ---- suppliers ----

  async function supplierDomain(ctx: TenantContext): Promise<unknown[]> {
    if (config.supplierCategory) return [['categories.name', '=', config.supplierCategory]];
    const records = await searchRead(ctx, 'purchase.product_supplier', [], 0, null, null, ['party']);
    return [['id', 'in', [...new Set(records.map((r) => Number(r.party)))]]];
  }

  async function suppliersOf(ctx: TenantContext, rows: Row[]): Promise<Party[]> {
    if (rows.length === 0) return [];
    const { currency } = await parts.company(ctx);
    const records = await parts.partyRecords(ctx, rows);
    const leads = await searchRead(ctx, 'purchase.product_supplier', [['party', 'in', rows.map((r) => r.id)]], 0, null, null, ['party', 'lead_time']);
    return records.map((record) => {
      const raw = flattenRow(rows.find((r) => r.id === record.id)!);
      const days = leads
        .filter((l) => l.party === record.id && l.lead_time && typeof l.lead_time === 'object')
        .map((l) => Math.round(Number((l.lead_time as { seconds?: number }).seconds ?? 0) / 86_400));
      return supplierFromTryton({ ...record, 'supplier_payment_term.name': (raw['supplier_payment_term.name'] as string | null | undefined) ?? null, leadTimeDays: days.length ? Math.min(...days) : 0 }, { tenantId: ctx.tenantId, currency });
    });
  }

  /** The Tryton party of a hub supplier id (derived from the party id) or a supplier code. */
  async function supplierParty(ctx: TenantContext, ref: string): Promise<number> {
    if (!ref.startsWith('pty_')) {
      const [row] = await searchRead(ctx, 'party.party', [['code', '=', ref]], 0, 1, [['id', 'ASC']], ['id'], { active_test: false });
      if (!row) throw trytonUnknownKeyError('supplier', ref);
      return row.id;
    }
    for (const domain of [await supplierDomain(ctx), []]) {
      const ids = await call<number[]>(ctx, 'model.party.party.search', [domain, 0, null, [['id', 'ASC']]], { active_test: false });
      const found = ids.find((id) => partyIdOfTryton(ctx.tenantId, id) === ref);
      if (found !== undefined) return found;
    }
    throw trytonUnknownKeyError('supplier', ref);
  }

  // ---- purchases ----

  /** Product lines of purchases in (sequence, id) order, numbered 1… per purchase. */
  async function purchaseLines(ctx: TenantContext, purchaseIds: number[], fields: string[]): Promise<Array<Row & { lineNumber: number }>> {
    if (purchaseIds.length === 0) return [];
    const rows = await searchRead(ctx, 'purchase.line', [['purchase', 'in', purchaseIds], ['type', '=', 'line'], ['product', '!=', null]], 0, null, [['purchase', 'ASC'], ['sequence', 'ASC'], ['id', 'ASC']], ['purchase', ...fields]);
    const counters = new Map<number, number>();
    return rows.map((r) => {
      const n = (counters.get(Number(r.purchase)) ?? 0) + 1;
      counters.set(Number(r.purchase), n);
      return { ...r, lineNumber: n };
    });
  }

  async function incomingMoves(ctx: TenantContext, lineIds: number[], recreated: Set<number>): Promise<Map<number, TrytonIncomingMove[]>> {
    const out = new Map<number, TrytonIncomingMove[]>();
    if (lineIds.length === 0) return out;
    const moves = await searchRead(ctx, 'stock.move', [['origin', 'in', lineIds.map((id) => `purchase.line,${id}`)], ['from_location.type', '=', 'supplier']], 0, null, [['id', 'ASC']], ['origin', 'quantity', 'state', 'shipment', 'planned_date']);
    const shipmentIds = [...new Set(moves.map((m) => refId(m.shipment, 'stock.shipment.in')).filter((x): x is number => x !== undefined))];
    const shipments = new Map((await read(ctx, 'stock.shipment.in', shipmentIds, ['state', 'planned_date'])).map((s) => [s.id, s]));
    for (const m of moves) {
      const lineId = refId(m.origin, 'purchase.line');
      if (lineId === undefined) continue;
      const shipmentId = refId(m.shipment, 'stock.shipment.in');
      const shipment = shipmentId !== undefined ? shipments.get(shipmentId) : undefined;
      const move: TrytonIncomingMove = {
        id: m.id,
        quantity: num(m.quantity),
        state: String(m.state),
        plannedDate: isoDateOf(m.planned_date),
        ...(shipmentId !== undefined ? { shipmentId, shipmentState: shipment ? String(shipment.state) : undefined, shipmentPlannedDate: shipment ? isoDateOf(shipment.planned_date) : undefined } : {}),
        recreated: recreated.has(m.id),
      };
      out.set(lineId, [...(out.get(lineId) ?? []), move]);
    }
    return out;
  }

  async function purchaseRecords(ctx: TenantContext, purchases: Row[]): Promise<TrytonPurchaseRecord[]> {
    if (purchases.length === 0) return [];
    const company = await companyInfo(ctx);
    const lines = await purchaseLines(ctx, purchases.map((p) => p.id), ['product', 'product.code', 'product.template', 'description', 'quantity', 'unit.symbol', 'unit_price', 'delivery_date_edit', 'delivery_date_store', 'note', 'moves_recreated']);
    const recreated = new Set(lines.flatMap((l) => (l.moves_recreated as number[] | undefined) ?? []));
    const moves = await incomingMoves(ctx, lines.map((l) => l.id), recreated);
    const origins = lines.map((l) => `purchase.line,${l.id}`);
    const invoiceLines = origins.length ? await searchRead(ctx, 'account.invoice.line', [['origin', 'in', origins], ['invoice.type', '=', 'in']], 0, null, null, ['origin', 'quantity', 'invoice.state', 'invoice.reference', 'invoice.comment']) : [];
    const partyIds = [...new Set(purchases.map((p) => Number(p.party)))];
    const productSuppliers = await searchRead(ctx, 'purchase.product_supplier', [['party', 'in', partyIds]], 0, null, [['sequence', 'ASC'], ['id', 'ASC']], ['party', 'product', 'template', 'code', 'lead_time']);
    const fromRequests = (await requestsInstalled(ctx)) && lines.length ? new Set((await searchRead(ctx, 'purchase.request', [['purchase_line', 'in', lines.map((l) => l.id)]], 0, null, null, ['purchase_line'])).map((r) => Number(r.purchase_line))) : new Set<number>();
    const warehouseAddresses = await addresses(ctx, purchases.map((p) => flattenRow(p)['warehouse.address']).filter((x): x is number => typeof x === 'number'));
    return purchases.map((raw) => {
      const p = flattenRow(raw);
      const recorded = invoiceLines.map((l) => flattenRow(l)).filter((l) => lines.some((x) => x.purchase === raw.id && `purchase.line,${x.id}` === l.origin) && l['invoice.reference']);
      const disputed = (l: Record<string, unknown>) => l['invoice.state'] === 'cancelled' || (String(l['invoice.comment'] ?? '').split('\n').some((c) => c.startsWith('Disputed:')) && l['invoice.state'] !== 'posted' && l['invoice.state'] !== 'paid');
      const mine: TrytonPurchaseLineRecord[] = lines
        .filter((l) => l.purchase === raw.id)
        .map((l) => {
          const f = flattenRow(l);
          const supplier = productSuppliers.find((s) => s.party === raw.party && (s.product === f.product || (!s.product && s.template === f['product.template'])));
          // the date the buyer asked for, as Tryton plans it before any move exists: the line's own date, the
          // purchase's delivery date, or the purchase date plus the supplier's lead time
          const leadDays = supplier?.lead_time && typeof supplier.lead_time === 'object' ? Math.round(Number((supplier.lead_time as { seconds?: number }).seconds ?? 0) / 86_400) : 0;
          const purchaseDate = isoDateOf(p.purchase_date);
          const requested = (f.delivery_date_edit ? isoDateOf(f.delivery_date_store) : undefined) ?? isoDateOf(p.delivery_date) ?? (purchaseDate ? new Date(Date.parse(purchaseDate) + leadDays * 86_400_000).toISOString().slice(0, 10) : undefined);
          return {
            id: l.id,
            lineNumber: l.lineNumber,
            productId: Number(f.product),
            sku: String(f['product.code'] ?? f.product),
            description: (f.description as string | null) ?? null,
            ...(supplier?.code ? { supplierPartNumber: String(supplier.code) } : {}),
            quantity: num(f.quantity),
            unitSymbol: String(f['unit.symbol'] ?? 'u'),
            unitPrice: f.unit_price,
            deliveryDate: requested,
            note: (f.note as string | null) ?? null,
            moves: moves.get(l.id) ?? [],
            invoiced: recorded.filter((x) => x.origin === `purchase.line,${l.id}` && !disputed(x)).reduce((t, x) => t + num(x.quantity), 0),
          };
        });
      const states = recorded.map((x) => ({ state: String(x['invoice.state']), disputed: disputed(x) }));
      return {
        id: raw.id,
        number: (p.number as string | null) || null,
        reference: (p.reference as string | null) ?? null,
        state: p.state as TrytonPurchaseRecord['state'],
        shipment_state: String(p.shipment_state),
        invoice_state: String(p.invoice_state),
        party: Number(p.party),
        partyName: String(p['party.name'] ?? ''),
        currency: String(p['currency.code'] ?? 'USD'),
        purchaseDate: isoDateOf(p.purchase_date),
        paymentTermName: (p['payment_term.name'] as string | null | undefined) ?? null,
        warehouseCode: (p['warehouse.code'] as string | null) ?? null,
        warehouseName: (p['warehouse.name'] as string | null) ?? null,
        shipToAddress: (typeof p['warehouse.address'] === 'number' ? warehouseAddresses.get(p['warehouse.address']) : undefined) ?? company.address,
        companyName: company.name,
        description: (p.description as string | null) ?? null,
        comment: (p.comment as string | null) ?? null,
        untaxed_amount: p.untaxed_amount,
        tax_amount: p.tax_amount,
        total_amount: p.total_amount,
        fromRequests: mine.some((l) => fromRequests.has(l.id)),
        invoices: { count: states.length, disputed: states.some((s) => s.disputed && s.state !== 'cancelled'), approved: states.length > 0 && states.every((s) => s.state === 'posted' || s.state === 'paid') },
        create_date: p.create_date,
        write_date: p.write_date,
        lines: mine,
      };
    });
  }

  const mapPurchase = (ctx: TenantContext, record: TrytonPurchaseRecord) => purchaseOrderFromTryton(record, { tenantId: ctx.tenantId, unitMap: config.unitMap });

  async function purchaseRow(ctx: TenantContext, poNumber: string): Promise<Row | null> {
    const domain = /^\d+$/.test(poNumber) ? ['OR', ['number', '=', poNumber], [['number', '=', null], ['id', '=', Number(poNumber)]]] : [['number', '=', poNumber]];
    const [row] = await searchRead(ctx, 'purchase.purchase', domain, 0, 1, [['id', 'ASC']], PURCHASE_FIELDS);
    return row ?? null;
  }

  async function purchaseByNumber(ctx: TenantContext, poNumber: string): Promise<TrytonPurchaseRecord> {
    const row = await purchaseRow(ctx, poNumber);
    if (!row) throw trytonUnknownKeyError('purchase', poNumber);
    return (await purchaseRecords(ctx, [row]))[0]!;
  }

  /** Runs Tryton's `process` on a purchase (creates the incoming moves of what is not covered yet, updates its states). */
  const processPurchase = (ctx: TenantContext, id: number) => button(ctx, 'purchase.purchase', 'process', [id]);

  // ---- acknowledgments ----

  async function applyAcknowledgment(ctx: TenantContext, poNumber: string, answer: ErpAcknowledgmentLine[]): Promise<ErpPurchaseOrder> {
    let purchase = await purchaseByNumber(ctx, poNumber);
    if (purchase.state !== 'confirmed' && purchase.state !== 'processing') {
      throw trytonStateError('PURCHASE_NOT_OPEN', `purchase ${poNumber} is ${purchase.state}; acknowledgments apply to confirmed and processing purchases`, { poNumber, state: purchase.state });
    }
    if (purchase.state === 'confirmed') {
      await processPurchase(ctx, purchase.id);
      purchase = await purchaseByNumber(ctx, poNumber);
    }
    const targets = answer.map((a) => {
      const line = purchase.lines.find((l) => l.lineNumber === a.lineNumber);
      if (!line) throw trytonUnknownKeyError('purchase line', `${poNumber}/${a.lineNumber}`);
      return { a, line };
    });
    let reprocess = false;
    // 1. the lines themselves: quantity, price, note; moves not shipped yet that no longer fit are removed or cancelled
    for (const { a, line } of targets) {
      const state = a.action === 'accept' ? 'accepted' : a.action === 'change' ? 'changed' : a.action === 'backorder' ? 'backordered' : 'rejected';
      const values: Record<string, unknown> = {};
      const note = noteWithAcknowledgment(line.note, state, a.note);
      if (note !== (line.note ?? '')) values.note = note;
      const pending = line.moves.filter((m) => !m.recreated && m.state === 'draft' && m.shipmentId === undefined);
      if (a.action === 'reject') {
        if (pending.length) {
          await button(ctx, 'stock.move', 'cancel', pending.map((m) => m.id));
          values.moves_ignored = [['add', pending.map((m) => m.id)]];
          reprocess = true;
        }
        if (Object.keys(values).length) await call(ctx, 'model.purchase.line.write', [[line.id], values]);
      } else {
        const requantify = a.quantity !== undefined && Math.abs(Number(a.quantity) - line.quantity) > EPS;
        if (requantify) values.quantity = Number(a.quantity);
        if (a.unitPrice !== undefined && Math.abs(Number(a.unitPrice) - num(line.unitPrice)) > EPS) values.unit_price = toTrytonDecimal(a.unitPrice);
        if (Object.keys(values).length) await call(ctx, 'model.purchase.line.write', [[line.id], values]);
        const live = line.moves.filter((m) => !m.recreated && m.state !== 'cancelled').reduce((t, m) => t + m.quantity, 0);
        if (requantify || (a.quantity !== undefined && pending.length > 0 && Math.abs(live - Number(a.quantity)) > EPS)) {
          // the moves not on their way are made again (Tryton processes the purchase when they go) for what the
          // new quantity leaves open
          if (pending.length) await call(ctx, 'model.stock.move.delete', [pending.map((m) => m.id)]);
          reprocess = true;
        }
      }
    }
    if (reprocess) await processPurchase(ctx, purchase.id);
    // 2. the expected moves carry the promised date and the price
    const after = reprocess ? await purchaseByNumber(ctx, poNumber) : purchase;
    for (const { a } of targets) {
      if (a.action === 'reject') continue;
      const line = after.lines.find((l) => l.lineNumber === a.lineNumber)!;
      const pending = line.moves.filter((m) => !m.recreated && m.state === 'draft' && m.shipmentId === undefined);
      const date = a.promisedDate;
      const moveValues = (m: TrytonIncomingMove) => ({ ...(date && m.plannedDate !== date ? { planned_date: toTrytonDate(date) } : {}) });
      const stale = pending.filter((m) => Object.keys(moveValues(m)).length > 0);
      if (stale.length) await call(ctx, 'model.stock.move.write', [stale.map((m) => m.id), moveValues(stale[0]!)]);
      if (a.unitPrice !== undefined && pending.length) {
        const moves = await read(ctx, 'stock.move', pending.map((m) => m.id), ['unit_price']);
        const priced = moves.filter((m) => Math.abs(num(m.unit_price) - Number(a.unitPrice)) > EPS).map((m) => m.id);
        if (priced.length) await call(ctx, 'model.stock.move.write', [priced, { unit_price: toTrytonDecimal(a.unitPrice) }]);
      }
    }
    return mapPurchase(ctx, await purchaseByNumber(ctx, poNumber));
  }

  // ---- ship notices and receipts ----

  async function notesOf(ctx: TenantContext, shipmentIds: number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    if (shipmentIds.length === 0) return out;
    const notes = await searchRead(ctx, 'ir.note', [['resource', 'in', shipmentIds.map((id) => `stock.shipment.in,${id}`)]], 0, null, [['id', 'ASC']], ['resource', 'message']);
    for (const n of notes) {
      const id = refId(n.resource, 'stock.shipment.in');
      if (id !== undefined) out.set(id, [...(out.get(id) ?? []), String(n.message ?? '')]);
    }
    return out;
  }

  async function shipmentByNote(ctx: TenantContext, message: string): Promise<Row | null> {
    const [note] = await searchRead(ctx, 'ir.note', [['message', '=', message], ['resource', 'like', 'stock.shipment.in,%']], 0, 1, [['id', 'ASC']], ['resource']);
    const id = note ? refId(note.resource, 'stock.shipment.in') : undefined;
    if (id === undefined) return null;
    const [row] = await read(ctx, 'stock.shipment.in', [id], SHIPMENT_IN_FIELDS);
    return row ?? null;
  }

  const addNote = (ctx: TenantContext, shipmentId: number, message: string) => call(ctx, 'model.ir.note.create', [[{ resource: `stock.shipment.in,${shipmentId}`, message }]]);

  /**
   * Puts `quantity` of a purchase line's moves from `candidates` on a shipment: takes whole moves, splits the last one
   * (the rest stays where it was), or raises the last one's quantity when the supplier ships more.
   */
  async function takeMoves(ctx: TenantContext, candidates: TrytonIncomingMove[], quantity: number, what: string): Promise<number[]> {
    if (candidates.length === 0) throw trytonStateError('NOTHING_EXPECTED', `${what}: no expected quantity left to ship or receive`, { what });
    const taken: number[] = [];
    let left = quantity;
    for (const [i, m] of candidates.entries()) {
      if (left <= EPS) break;
      const last = i === candidates.length - 1;
      if (m.quantity <= left + EPS && !(last && left > m.quantity + EPS)) {
        taken.push(m.id);
        left -= m.quantity;
        continue;
      }
      if (m.quantity > left + EPS) {
        await call(ctx, 'model.stock.move.copy', [[m.id], { quantity: Number((m.quantity - left).toFixed(6)) }]);
        await call(ctx, 'model.stock.move.write', [[m.id], { quantity: Number(left.toFixed(6)) }]);
      } else {
        await call(ctx, 'model.stock.move.write', [[m.id], { quantity: Number(left.toFixed(6)) }]);
      }
      taken.push(m.id);
      left = 0;
    }
    return taken;
  }

  async function expectedReceiptOf(ctx: TenantContext, row: Row, poNumbers?: string[]): Promise<ErpExpectedReceipt> {
    const f = flattenRow(row);
    let numbers = poNumbers;
    if (!numbers) {
      const moves = await read(ctx, 'stock.move', (f.incoming_moves as number[] | undefined) ?? [], ['origin']);
      const lineIds = moves.map((m) => refId(m.origin, 'purchase.line')).filter((x): x is number => x !== undefined);
      const lines = await read(ctx, 'purchase.line', [...new Set(lineIds)], ['purchase.number', 'purchase']);
      numbers = [...new Set(lines.map((l) => flattenRow(l)).map((l) => String(l['purchase.number'] || l.purchase)))];
    }
    const state = String(f.state);
    return {
      asnNumber: String(f.reference ?? ''),
      erpNumber: String(f.number ?? row.id),
      status: state === 'cancelled' ? 'Cancelled' : state === 'draft' ? 'InTransit' : 'Received',
      expectedDate: isoDateOf(f.planned_date) ?? isoDateOf(f.effective_date) ?? '1970-01-01',
      poNumbers: numbers,
    };
  }

  /** Takes the moves off a draft supplier shipment (they are expected again, on no shipment). */
  async function releaseMoves(ctx: TenantContext, shipment: Row): Promise<void> {
    const moves = (shipment.incoming_moves as number[] | undefined) ?? [];
    if (moves.length) await call(ctx, 'model.stock.shipment.in.write', [[shipment.id], { incoming_moves: [['remove', moves]] }]);
  }

  async function recordExpectedReceipt(ctx: TenantContext, asn: AdvanceShipNotice): Promise<{ record: ErpExpectedReceipt; duplicate: boolean }> {
    const supplier = await supplierParty(ctx, asn.supplierId);
    const [existing] = await searchRead(ctx, 'stock.shipment.in', [['supplier', '=', supplier], ['reference', '=', asn.asnNumber], ['state', '!=', 'cancelled']], 0, 1, [['id', 'DESC']], SHIPMENT_IN_FIELDS);
    if (asn.purpose === 'cancel') {
      if (!existing) return { record: { asnNumber: asn.asnNumber, erpNumber: '', status: 'Cancelled', expectedDate: asn.expectedDeliveryDate ?? asn.shippedAt.slice(0, 10), poNumbers: asn.orders.map((o) => o.poNumber) }, duplicate: true };
      if (existing.state !== 'draft') throw trytonStateError('SHIPMENT_RECEIVED', `ship notice ${asn.asnNumber} is already received in Tryton; it cannot be cancelled`, { asnNumber: asn.asnNumber });
      await releaseMoves(ctx, existing);
      await button(ctx, 'stock.shipment.in', 'cancel', [existing.id]);
      const [row] = await read(ctx, 'stock.shipment.in', [existing.id], SHIPMENT_IN_FIELDS);
      return { record: await expectedReceiptOf(ctx, row!, asn.orders.map((o) => o.poNumber)), duplicate: false };
    }
    if (existing && asn.purpose === 'original') return { record: await expectedReceiptOf(ctx, existing), duplicate: true };
    if (existing && existing.state !== 'draft') throw trytonStateError('SHIPMENT_RECEIVED', `ship notice ${asn.asnNumber} is already received in Tryton; it cannot be replaced`, { asnNumber: asn.asnNumber });
    if (existing) await releaseMoves(ctx, existing);
    // what ships, per purchase line
    const wanted = new Map<string, Map<number, number>>();
    for (const order of asn.orders) {
      const lines = wanted.get(order.poNumber) ?? new Map<number, number>();
      for (const pack of order.packs) for (const item of pack.items) lines.set(item.lineNumber, (lines.get(item.lineNumber) ?? 0) + Number(item.quantity));
      wanted.set(order.poNumber, lines);
    }
    const moveIds: number[] = [];
    let warehouse: number | undefined;
    for (const [poNumber, lines] of wanted) {
      const row = await purchaseRow(ctx, poNumber);
      if (!row) throw trytonUnknownKeyError('purchase', poNumber);
      if (row.state === 'confirmed') await processPurchase(ctx, row.id);
      const [purchase] = await purchaseRecords(ctx, [row]);
      warehouse ??= Number(row.warehouse);
      for (const [lineNumber, quantity] of lines) {
        const line = purchase!.lines.find((l) => l.lineNumber === lineNumber);
        if (!line) throw trytonUnknownKeyError('purchase line', `${poNumber}/${lineNumber}`);
        const open = line.moves.filter((m) => !m.recreated && m.state === 'draft' && m.shipmentId === undefined);
        moveIds.push(...(await takeMoves(ctx, open, quantity, `purchase ${poNumber} line ${lineNumber}`)));
      }
    }
    const planned = asn.expectedDeliveryDate ?? asn.shippedAt.slice(0, 10);
    if (moveIds.length) await call(ctx, 'model.stock.move.write', [moveIds, { planned_date: toTrytonDate(planned) }]);
    let shipmentId = existing?.id;
    if (shipmentId === undefined) {
      const company = await parts.company(ctx);
      [shipmentId] = await call<number[]>(ctx, 'model.stock.shipment.in.create', [[{ supplier, reference: asn.asnNumber, warehouse, company: company.id, planned_date: toTrytonDate(planned), incoming_moves: [['add', moveIds]] }]]);
    } else {
      await call(ctx, 'model.stock.shipment.in.write', [[shipmentId], { planned_date: toTrytonDate(planned), incoming_moves: [['add', moveIds]] }]);
    }
    const notes = (await notesOf(ctx, [shipmentId!])).get(shipmentId!) ?? [];
    if (!notes.includes(`${NOTE_ASN}${asn.id}`)) await addNote(ctx, shipmentId!, `${NOTE_ASN}${asn.id}`);
    const [row] = await read(ctx, 'stock.shipment.in', [shipmentId!], SHIPMENT_IN_FIELDS);
    return { record: await expectedReceiptOf(ctx, row!, [...wanted.keys()]), duplicate: false };
  }

  /** Moves a draft supplier shipment on to `done` (received into the warehouse input, then put into storage). */
  async function finishShipment(ctx: TenantContext, shipment: Row, receivedOn: string): Promise<void> {
    let state = String(shipment.state);
    if (state === 'draft') {
      await call(ctx, 'model.stock.shipment.in.write', [[shipment.id], { effective_date: toTrytonDate(receivedOn) }]);
      await button(ctx, 'stock.shipment.in', 'receive', [shipment.id]);
      state = 'received';
    }
    if (state === 'received') await button(ctx, 'stock.shipment.in', 'done', [shipment.id]);
  }

  async function receiptRecords(ctx: TenantContext, shipments: Row[]): Promise<TrytonReceiptRecord[][]> {
    if (shipments.length === 0) return [];
    const moveIds = shipments.flatMap((s) => (s.incoming_moves as number[] | undefined) ?? []);
    const moves = await read(ctx, 'stock.move', moveIds, ['origin', 'quantity', 'state', 'product.code', 'uom.symbol']);
    const lineIds = [...new Set(moves.map((m) => refId(m.origin, 'purchase.line')).filter((x): x is number => x !== undefined))];
    const lineRows = await read(ctx, 'purchase.line', lineIds, ['purchase']);
    const purchaseIds = [...new Set(lineRows.map((l) => Number(l.purchase)))];
    const numbered = await purchaseLines(ctx, purchaseIds, []);
    const purchases = new Map((await read(ctx, 'purchase.purchase', purchaseIds, ['number'])).map((p) => [p.id, p]));
    const notes = await notesOf(ctx, shipments.map((s) => s.id));
    return shipments.map((raw) => {
      const s = flattenRow(raw);
      const mine = moves.filter((m) => ((raw.incoming_moves as number[] | undefined) ?? []).includes(m.id) && m.state === 'done');
      const byPurchase = new Map<number, TrytonReceiptRecord['lines']>();
      for (const m of mine) {
        const f = flattenRow(m);
        const lineId = refId(m.origin, 'purchase.line');
        const line = numbered.find((l) => l.id === lineId);
        if (!line) continue;
        const purchaseId = Number(line.purchase);
        const lines = byPurchase.get(purchaseId) ?? [];
        const same = lines.find((l) => l.lineNumber === line.lineNumber);
        if (same) same.quantity += num(m.quantity);
        else lines.push({ lineNumber: line.lineNumber, sku: String(f['product.code'] ?? ''), quantity: num(m.quantity), unitSymbol: String(f['uom.symbol'] ?? 'u') });
        byPurchase.set(purchaseId, lines);
      }
      const messages = notes.get(raw.id) ?? [];
      const note = (prefix: string) => messages.find((m) => m.startsWith(prefix))?.slice(prefix.length).trim();
      return [...byPurchase].map(([purchaseId, lines]) => ({
        shipmentId: raw.id,
        shipmentNumber: (s.number as string | null) ?? null,
        asnNumber: (s.reference as string | null) || null,
        supplier: Number(s.supplier),
        hubReference: messages.filter((m) => m.startsWith(NOTE_RECEIPT)).map((m) => m.slice(NOTE_RECEIPT.length).trim()).find((r) => r.includes(`:${poNumberOfTryton({ id: purchaseId, number: (purchases.get(purchaseId)?.number as string | null) || null })}:`)) ?? note(NOTE_RECEIPT),
        hubAsnId: note(NOTE_ASN),
        warehouseCode: (s['warehouse.code'] as string | null) ?? null,
        effectiveDate: isoDateOf(s.effective_date),
        write_date: s.write_date,
        purchaseId,
        poNumber: poNumberOfTryton({ id: purchaseId, number: (purchases.get(purchaseId)?.number as string | null) || null }),
        lines: lines.sort((a, b) => a.lineNumber - b.lineNumber),
      }));
    });
  }

  const mapReceipt = (ctx: TenantContext, record: TrytonReceiptRecord) => receiptFromTryton(record, { tenantId: ctx.tenantId, unitMap: config.unitMap });

  async function recordReceipt(ctx: TenantContext, receipt: Receipt, reference: string): Promise<{ record: ErpPurchaseReceipt; duplicate: boolean }> {
    const message = `${NOTE_RECEIPT}${reference}`;
    const found = await shipmentByNote(ctx, message);
    const result = async (shipment: Row, duplicate: boolean) => {
      const [records] = await receiptRecords(ctx, [shipment]);
      const mine = records?.find((r) => r.poNumber === receipt.poNumber) ?? records?.[0];
      if (!mine) throw trytonStateError('RECEIPT_EMPTY', `receipt ${reference}: nothing of purchase ${receipt.poNumber} was received on shipment ${shipment.id}`, { reference });
      return { record: mapReceipt(ctx, { ...mine, hubReference: reference, ...(receipt.asnId ? { hubAsnId: receipt.asnId } : {}) }), duplicate };
    };
    if (found) {
      // an earlier attempt noted the receipt; finish what it may have left half way
      if (found.state !== 'done') await finishShipment(ctx, found, receipt.receivedAt.slice(0, 10));
      const [row] = await read(ctx, 'stock.shipment.in', [found.id], SHIPMENT_IN_FIELDS);
      return result(row!, true);
    }
    let purchase = await purchaseByNumber(ctx, receipt.poNumber);
    if (purchase.state === 'confirmed') {
      await processPurchase(ctx, purchase.id);
      purchase = await purchaseByNumber(ctx, receipt.poNumber);
    }
    if (purchase.state !== 'processing') throw trytonStateError('PURCHASE_NOT_OPEN', `purchase ${receipt.poNumber} is ${purchase.state}; goods cannot be received on it`, { poNumber: receipt.poNumber });
    const asnShipment = receipt.asnId ? await shipmentByNote(ctx, `${NOTE_ASN}${receipt.asnId}`) : null;
    const onAsn = asnShipment && asnShipment.state === 'draft' ? asnShipment : null;
    const taken: number[] = [];
    for (const r of receipt.lines) {
      const line = purchase.lines.find((l) => l.lineNumber === r.lineNumber);
      if (!line) throw trytonUnknownKeyError('purchase line', `${receipt.poNumber}/${r.lineNumber}`);
      const q = lineQuantities(line);
      const quantity = Number(r.quantity);
      if (quantity <= EPS) continue;
      if (q.received + quantity > line.quantity - q.cancelled + EPS) {
        throw trytonStateError('OVER_RECEIPT', `purchase ${receipt.poNumber} line ${r.lineNumber}: receiving ${r.quantity} exceeds what is open (${line.quantity - q.cancelled - q.received})`, { poNumber: receipt.poNumber, lineNumber: r.lineNumber });
      }
      const live = line.moves.filter((m) => !m.recreated && m.state === 'draft');
      const candidates = onAsn ? [...live.filter((m) => m.shipmentId === onAsn.id), ...live.filter((m) => m.shipmentId === undefined)] : live.filter((m) => m.shipmentId === undefined || m.shipmentState === 'draft');
      taken.push(...(await takeMoves(ctx, candidates, quantity, `purchase ${receipt.poNumber} line ${r.lineNumber}`)));
    }
    if (taken.length === 0) throw trytonStateError('RECEIPT_EMPTY', `receipt ${reference} receives nothing`, { reference });
    // the received moves go on a shipment of their own unless they are exactly the ship notice's
    const asnMoves = onAsn ? ((await read(ctx, 'stock.shipment.in', [onAsn.id], ['incoming_moves']))[0]?.incoming_moves as number[] | undefined) ?? [] : [];
    let shipmentId: number;
    if (onAsn && asnMoves.length === taken.length && taken.every((id) => asnMoves.includes(id))) {
      shipmentId = onAsn.id;
    } else {
      const [row] = await read(ctx, 'purchase.purchase', [purchase.id], ['warehouse']);
      const company = await parts.company(ctx);
      [shipmentId] = (await call<number[]>(ctx, 'model.stock.shipment.in.create', [[{ supplier: purchase.party, reference: onAsn ? onAsn.reference : null, warehouse: row?.warehouse, company: company.id, planned_date: toTrytonDate(receipt.receivedAt.slice(0, 10)), incoming_moves: [['add', taken]] }]])) as [number];
    }
    await addNote(ctx, shipmentId, message);
    if (receipt.asnId) await addNote(ctx, shipmentId, `${NOTE_ASN}${receipt.asnId}`);
    const [shipment] = await read(ctx, 'stock.shipment.in', [shipmentId], SHIPMENT_IN_FIELDS);
    await finishShipment(ctx, shipment!, receipt.receivedAt.slice(0, 10));
    const [done] = await read(ctx, 'stock.shipment.in', [shipmentId], SHIPMENT_IN_FIELDS);
    return result(done!, false);
  }

  // ---- supplier invoices ----

  async function supplierInvoiceRecords(ctx: TenantContext, invoices: Row[]): Promise<TrytonSupplierInvoiceRecord[]> {
    if (invoices.length === 0) return [];
    const company = await companyInfo(ctx);
    const lines = await searchRead(ctx, 'account.invoice.line', [['invoice', 'in', invoices.map((i) => i.id)]], 0, null, [['invoice', 'ASC'], ['sequence', 'ASC'], ['id', 'ASC']], ['invoice', 'type', 'product.code', 'description', 'quantity', 'unit.symbol', 'unit_price', 'amount', 'origin']);
    const origins = [...new Set(lines.map((l) => refId(l.origin, 'purchase.line')).filter((x): x is number => x !== undefined))];
    const originRows = await read(ctx, 'purchase.line', origins, ['purchase']);
    const purchaseIds = [...new Set(originRows.map((l) => Number(l.purchase)))];
    const numbered = await purchaseLines(ctx, purchaseIds, []);
    const purchases = new Map((await read(ctx, 'purchase.purchase', purchaseIds, ['number'])).map((p) => [p.id, p]));
    const addressIds = invoices.map((i) => Number(i.invoice_address)).filter((x) => x > 0);
    const partyAddresses = await addresses(ctx, addressIds);
    const toPay = invoices.flatMap((i) => (i.lines_to_pay as number[] | undefined) ?? []);
    const maturities = await read(ctx, 'account.move.line', toPay, ['maturity_date']);
    return invoices.map((raw) => {
      const f = flattenRow(raw);
      const due = maturities.filter((m) => ((raw.lines_to_pay as number[] | undefined) ?? []).includes(m.id)).map((m) => isoDateOf(m.maturity_date)).filter((d): d is string => !!d).sort()[0];
      return {
        id: raw.id,
        number: (f.number as string | null) || null,
        reference: (f.reference as string | null) || null,
        description: (f.description as string | null) || null,
        comment: (f.comment as string | null) ?? null,
        state: String(f.state),
        invoice_date: f.invoice_date,
        currency: String(f['currency.code'] ?? 'USD'),
        party: Number(f.party),
        partyCode: (f['party.code'] as string | null) ?? null,
        partyName: String(f['party.name'] ?? ''),
        partyAddress: partyAddresses.get(Number(f.invoice_address)),
        paymentTermName: (f['payment_term.name'] as string | null | undefined) ?? null,
        companyName: company.name,
        companyAddress: company.address,
        untaxed_amount: f.untaxed_amount,
        tax_amount: f.tax_amount,
        total_amount: f.total_amount,
        amount_to_pay: f.amount_to_pay,
        dueDate: due,
        create_date: f.create_date,
        write_date: f.write_date,
        lines: lines
          .filter((l) => l.invoice === raw.id)
          .map((l) => {
            const x = flattenRow(l);
            const originId = refId(l.origin, 'purchase.line');
            const line = numbered.find((n) => n.id === originId);
            const purchaseId = line ? Number(line.purchase) : undefined;
            return {
              id: l.id,
              type: String(x.type),
              sku: (x['product.code'] as string | null) ?? null,
              description: (x.description as string | null) ?? null,
              quantity: x.quantity === null || x.quantity === undefined ? null : num(x.quantity),
              unitSymbol: (x['unit.symbol'] as string | null) ?? null,
              unit_price: x.unit_price,
              amount: x.amount,
              ...(line && purchaseId !== undefined ? { purchaseId, orderLineNumber: line.lineNumber, poNumber: poNumberOfTryton({ id: purchaseId, number: (purchases.get(purchaseId)?.number as string | null) || null }) } : {}),
            };
          }),
      };
    });
  }

  const mapInvoice = (ctx: TenantContext, record: TrytonSupplierInvoiceRecord) => supplierInvoiceFromTryton(record, { tenantId: ctx.tenantId, unitMap: config.unitMap });

  async function invoiceRow(ctx: TenantContext, invoiceRef: string): Promise<Row> {
    const domain = /^\d{1,12}$/.test(invoiceRef) ? [['type', '=', 'in'], ['id', '=', Number(invoiceRef)]] : [['type', '=', 'in'], ['description', '=', invoiceRef], ['state', '!=', 'cancelled']];
    const [row] = await searchRead(ctx, 'account.invoice', domain, 0, 1, [['id', 'DESC']], SUPPLIER_INVOICE_FIELDS);
    if (!row) throw trytonUnknownKeyError('supplier invoice', invoiceRef);
    return row;
  }

  async function recordSupplierInvoice(ctx: TenantContext, invoice: Invoice): Promise<{ record: ErpSupplierInvoice; duplicate: boolean }> {
    const party = await supplierParty(ctx, invoice.partyId);
    const [existing] = await searchRead(ctx, 'account.invoice', [['type', '=', 'in'], ['party', '=', party], ['reference', '=', invoice.invoiceNumber], ['state', '!=', 'cancelled']], 0, 1, [['id', 'ASC']], SUPPLIER_INVOICE_FIELDS);
    if (existing) return { record: mapInvoice(ctx, (await supplierInvoiceRecords(ctx, [existing]))[0]!), duplicate: true };
    const poNumbers = invoice.orderRefs.flatMap((r) => (r.kind === 'purchase_order' ? [r.poNumber] : []));
    const purchases = await Promise.all(poNumbers.map((n) => purchaseByNumber(ctx, n)));
    const skus = [...new Set(invoice.lines.map((l) => l.sku).filter((s): s is string => !!s))];
    const products = skus.length ? await searchRead(ctx, 'product.product', [['code', 'in', skus]], 0, null, null, ['code', 'default_uom', 'template.account_category']) : [];
    const categories = await read(ctx, 'product.category', [...new Set(products.map((p) => Number(flattenRow(p)['template.account_category'])).filter((x) => x > 0))], ['account_expense']);
    const symbols = [...new Set(invoice.lines.map((l) => unitToTryton(l.unit, config.unitMap)).filter((s): s is string => !!s))];
    const uoms = symbols.length ? await searchRead(ctx, 'product.uom', [['symbol', 'in', symbols]], 0, null, null, ['symbol']) : [];
    const company = await parts.company(ctx);
    const { currencyId } = await companyInfo(ctx);
    const [partyRow] = await read(ctx, 'party.party', [party], ['addresses', 'account_payable', 'supplier_payment_term']);
    let payable = Number(partyRow?.account_payable ?? 0);
    if (!payable) {
      const [configuration] = await read(ctx, 'account.configuration', [1], ['default_account_payable']);
      payable = Number(configuration?.default_account_payable ?? 0);
    }
    const [journal] = await searchRead(ctx, 'account.journal', [['type', '=', 'expense']], 0, 1, [['id', 'ASC']], ['id']);
    const address = ((partyRow?.addresses as number[] | undefined) ?? [])[0];
    if (!payable || !journal || !address) throw trytonStateError('SUPPLIER_NOT_INVOICEABLE', `supplier ${invoice.partyId} needs an address, a payable account and an expense journal in Tryton`, { supplierId: invoice.partyId });
    const lines = invoice.lines.map((l) => {
      const purchaseLine = purchases
        .flatMap((p) => p.lines.map((x) => ({ p, x })))
        .find(({ p, x }) => (l.orderLineNumber !== undefined ? x.lineNumber === l.orderLineNumber && (poNumbers.length === 1 || poNumberOfTryton(p) === poNumbers[0]) : x.sku === l.sku));
      const product = products.find((p) => p.code === (l.sku ?? purchaseLine?.x.sku));
      if (!product) throw trytonUnknownKeyError('product', l.sku ?? `invoice line ${l.lineNumber}`);
      const category = categories.find((c) => c.id === Number(flattenRow(product)['template.account_category']));
      const account = Number(category?.account_expense ?? 0);
      if (!account) throw trytonStateError('PRODUCT_NOT_INVOICEABLE', `product ${String(product.code)} has no expense account in Tryton`, { sku: product.code });
      const symbol = unitToTryton(l.unit, config.unitMap);
      return {
        type: 'line',
        invoice_type: 'in',
        party,
        company: company.id,
        currency: currencyId,
        product: product.id,
        account,
        quantity: Number(l.quantity),
        unit: uoms.find((u) => u.symbol === symbol)?.id ?? product.default_uom,
        unit_price: toTrytonDecimal(l.unitPrice.amount),
        description: l.description ?? purchaseLine?.x.description ?? String(product.code),
        sequence: l.lineNumber,
        ...(purchaseLine ? { origin: `purchase.line,${purchaseLine.x.id}` } : {}),
      };
    });
    // With the invoice method `order` or `shipment` Tryton prepares a draft supplier invoice itself (no `reference`
    // yet): the supplier's invoice fills it instead of adding a second one.
    const origins = lines.flatMap((l) => ('origin' in l && l.origin ? [l.origin] : []));
    const prepared = origins.length ? await searchRead(ctx, 'account.invoice.line', [['origin', 'in', origins], ['invoice.type', '=', 'in'], ['invoice.state', '=', 'draft'], ['invoice.reference', 'in', [null, '']], ['invoice.party', '=', party]], 0, null, [['id', 'ASC']], ['invoice', 'origin', 'quantity', 'unit_price']) : [];
    if (prepared.length) {
      const invoiceId = Number(prepared[0]!.invoice);
      const onIt = await searchRead(ctx, 'account.invoice.line', [['invoice', '=', invoiceId]], 0, null, [['id', 'ASC']], ['origin', 'type']);
      for (const l of lines) {
        const match = onIt.find((x) => x.type === 'line' && 'origin' in l && x.origin === l.origin);
        if (match) await call(ctx, 'model.account.invoice.line.write', [[match.id], { quantity: l.quantity, unit_price: l.unit_price, sequence: l.sequence }]);
        else await call(ctx, 'model.account.invoice.line.create', [[{ ...l, invoice: invoiceId }]]);
      }
      const billed = new Set(origins);
      const unbilled = onIt.filter((x) => x.type === 'line' && !billed.has(String(x.origin))).map((x) => x.id);
      // what the supplier did not bill leaves this invoice (Tryton prepares it again on the purchase's next
      // processing); what other prepared drafts hold of the billed lines is covered by this invoice
      const covered = prepared.filter((x) => Number(x.invoice) !== invoiceId).map((x) => x.id);
      if (unbilled.length || covered.length) await call(ctx, 'model.account.invoice.line.delete', [[...unbilled, ...covered]]);
      const otherDrafts = [...new Set(prepared.filter((x) => Number(x.invoice) !== invoiceId).map((x) => Number(x.invoice)))];
      const emptied = (await read(ctx, 'account.invoice', otherDrafts, ['lines'])).filter((i) => ((i.lines as number[] | undefined) ?? []).length === 0).map((i) => i.id);
      if (emptied.length) await call(ctx, 'model.account.invoice.delete', [emptied]);
      await call(ctx, 'model.account.invoice.write', [[invoiceId], { invoice_date: toTrytonDate(invoice.invoiceDate), reference: invoice.invoiceNumber, description: invoice.id, ...(partyRow?.supplier_payment_term ? { payment_term: partyRow.supplier_payment_term } : {}) }]);
      const [row] = await read(ctx, 'account.invoice', [invoiceId], SUPPLIER_INVOICE_FIELDS);
      return { record: mapInvoice(ctx, (await supplierInvoiceRecords(ctx, [row!]))[0]!), duplicate: false };
    }
    const [id] = await call<number[]>(ctx, 'model.account.invoice.create', [
      [
        {
          type: 'in',
          company: company.id,
          currency: currencyId,
          party,
          invoice_address: address,
          account: payable,
          journal: journal.id,
          ...(partyRow?.supplier_payment_term ? { payment_term: partyRow.supplier_payment_term } : {}),
          invoice_date: toTrytonDate(invoice.invoiceDate),
          reference: invoice.invoiceNumber,
          description: invoice.id,
          lines: [['create', lines]],
        },
      ],
    ]);
    const [row] = await read(ctx, 'account.invoice', [id!], SUPPLIER_INVOICE_FIELDS);
    return { record: mapInvoice(ctx, (await supplierInvoiceRecords(ctx, [row!]))[0]!), duplicate: false };
  }

  async function setInvoiceMatchDecision(ctx: TenantContext, invoiceRef: string, decision: 'approved' | 'disputed', reason?: string): Promise<ErpSupplierInvoice> {
    const row = await invoiceRow(ctx, invoiceRef);
    const state = String(row.state);
    const comment = (row.comment as string | null) ?? '';
    if (decision === 'approved') {
      if (state === 'draft' || state === 'validated') {
        const cleared = commentWithDispute(comment, undefined);
        if (cleared !== comment) await call(ctx, 'model.account.invoice.write', [[row.id], { comment: cleared }]);
        await button(ctx, 'account.invoice', 'post', [row.id]);
      }
    } else {
      if (state === 'posted' || state === 'paid') throw trytonStateError('INVOICE_POSTED', `supplier invoice ${invoiceRef} is ${state} in Tryton; a posted invoice cannot be put on hold`, { invoiceRef, state });
      const held = commentWithDispute(comment, reason ?? 'disputed');
      if (held !== comment) await call(ctx, 'model.account.invoice.write', [[row.id], { comment: held }]);
    }
    const [after] = await read(ctx, 'account.invoice', [row.id], SUPPLIER_INVOICE_FIELDS);
    return mapInvoice(ctx, (await supplierInvoiceRecords(ctx, [after!]))[0]!);
  }

  return {
    async listSuppliers(ctx, page): Promise<Page<Party>> {
      const after = parts.idCursor(page?.cursor);
      const limit = parts.limitOf(page);
      const rows = await searchRead(ctx, 'party.party', [...(await supplierDomain(ctx)), ['id', '>', after]], 0, limit, [['id', 'ASC']], ['code', 'name', 'active', 'addresses', 'supplier_payment_term.name', 'create_date', 'write_date'], { active_test: false });
      return { items: await suppliersOf(ctx, rows), nextCursor: rows.length === limit ? String(rows.at(-1)!.id) : null };
    },
    async listPurchaseOrders(ctx, page): Promise<Page<ErpPurchaseOrder>> {
      const after = parts.idCursor(page?.cursor);
      const limit = parts.limitOf(page);
      const rows = await searchRead(ctx, 'purchase.purchase', [['id', '>', after]], 0, limit, [['id', 'ASC']], PURCHASE_FIELDS);
      const records = await purchaseRecords(ctx, rows);
      return { items: records.filter((r) => r.lines.length > 0).map((r) => mapPurchase(ctx, r)), nextCursor: rows.length === limit ? String(rows.at(-1)!.id) : null };
    },
    async findPurchaseOrder(ctx, poNumber) {
      const row = await purchaseRow(ctx, poNumber);
      if (!row) return null;
      const [record] = await purchaseRecords(ctx, [row]);
      return record && record.lines.length > 0 ? mapPurchase(ctx, record) : null;
    },
    applyAcknowledgment,
    recordExpectedReceipt,
    recordReceipt,
    recordSupplierInvoice,
    setInvoiceMatchDecision,
    async purchaseChanges(ctx, rows) {
      return (await purchaseRecords(ctx, rows)).map((r) => mapPurchase(ctx, r));
    },
    async receiptChanges(ctx, rows) {
      return (await receiptRecords(ctx, rows)).map((records) => records.map((r) => mapReceipt(ctx, r)));
    },
    async supplierInvoiceChanges(ctx, rows) {
      return (await supplierInvoiceRecords(ctx, rows)).map((r) => mapInvoice(ctx, r));
    },
  };
}
