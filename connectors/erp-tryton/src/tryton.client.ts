import type { SalesOrder } from '@tradelane/canonical';
import { healthFromPing, type ConnectorDeps, type ConnectorInstance, type CustomerCredit, type ErpChange, type ErpOrder, type ErpOrderChange, type ErpShipmentConfirmation, type Page, type PageRequest } from '@tradelane/connector-kit';
import type { TenantContext } from '@tradelane/core';
import { decimalOf, isoDateOf, isoOfMicros, microsOf, toTrytonDateTime, toTrytonDecimal } from './codec/tryton-json.codec.js';
import { trytonStateError, trytonUnknownKeyError } from './errors.js';
import { comparePositions, decodeFeedCursor, encodeFeedCursor, FEED_STREAMS, type ChangePosition, type FeedPositions, type FeedStream } from './mappers/change-cursor.js';
import { invoiceFromTryton } from './mappers/invoice.from-tryton.js';
import { inventoryFromTryton } from './mappers/inventory.from-tryton.js';
import { itemFromTryton, listPriceFromTryton } from './mappers/item.from-tryton.js';
import { orderFromTryton } from './mappers/order.from-tryton.js';
import { customerFromTryton, partyIdOfTryton, shipToFromTryton } from './mappers/party.from-tryton.js';
import { moneyOf } from './mappers/item.from-tryton.js';
import { unitToTryton } from './mappers/unit.mapper.js';
import { createTrytonRpc, type TrytonRpc } from './transport/tryton-rpc.transport.js';
import type { TrytonConfig } from './tryton-config.schema.js';
import { createTrytonPurchasing, PURCHASE_FEED_DOMAIN, PURCHASE_FIELDS, SHIPMENT_IN_FEED_DOMAIN, SHIPMENT_IN_FIELDS, SUPPLIER_INVOICE_DOMAIN, SUPPLIER_INVOICE_FIELDS } from './tryton-purchasing.client.js';
import type { TrytonInvoiceRecord, TrytonPartyRecord, TrytonProductRecord, TrytonSaleLineRecord, TrytonSaleRecord } from './wire/tryton-records.js';

/** The capabilities this connector provides. */
export type TrytonCapability = 'erpMasterData' | 'erpSalesOrders' | 'erpChangeFeed' | 'erpPurchasing';

type Row = Record<string, unknown> & { id: number };

/** Flattens Tryton's nested answers for dotted fields (`{"uom.": {"symbol": "u"}}` → `{"uom.symbol": "u"}`). */
export function flattenRow(row: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key.endsWith('.')) {
      if (value && typeof value === 'object') Object.assign(out, flattenRow(value as Record<string, unknown>, `${prefix}${key}`));
      continue;
    }
    out[`${prefix}${key}`] = value;
  }
  return out;
}

const PRODUCT_FIELDS = ['code', 'name', 'active', 'type', 'list_price', 'template.salable', 'template.purchasable', 'default_uom.symbol', 'template.sale_uom.symbol', 'template.purchase_uom.symbol', 'create_date', 'write_date'];
const INVOICE_FIELDS = ['number', 'state', 'invoice_date', 'currency.code', 'party', 'party.code', 'party.name', 'payment_term.name', 'invoice_address', 'untaxed_amount', 'tax_amount', 'total_amount', 'amount_to_pay', 'lines_to_pay', 'create_date', 'write_date'];
const SALE_FIELDS = ['number', 'reference', 'state', 'shipment_state', 'invoice_state', 'total_amount', 'warehouse.code', 'create_date', 'write_date', 'party'];

function productRecord(raw: Record<string, unknown>): TrytonProductRecord {
  const r = flattenRow(raw);
  return {
    ...(r as unknown as TrytonProductRecord),
    salable: r['template.salable'] as boolean | undefined,
    purchasable: r['template.purchasable'] as boolean | undefined,
    'sale_uom.symbol': (r['template.sale_uom.symbol'] as string | null | undefined) ?? null,
    'purchase_uom.symbol': (r['template.purchase_uom.symbol'] as string | null | undefined) ?? null,
  };
}

/** Creates the connector instance over one JSON-RPC session. */
export function createTrytonClient(deps: ConnectorDeps, config: TrytonConfig): ConnectorInstance<TrytonCapability> {
  const rpc: TrytonRpc = createTrytonRpc(config);
  const limitOf = (page?: PageRequest) => Math.max(1, Math.min(page?.limit ?? config.pageSize, 1000));
  const idCursor = (cursor: string | null | undefined) => {
    if (!cursor) return 0;
    const n = Number(cursor);
    if (!Number.isInteger(n) || n < 0) throw trytonStateError('BAD_CURSOR', `not a listing cursor: ${JSON.stringify(cursor).slice(0, 40)}`);
    return n;
  };
  let companyInfo: Promise<{ id: number; currency: string; partyId: number }> | null = null;

  const searchRead = <T = Row>(ctx: TenantContext | undefined, model: string, domain: unknown[], offset: number, limit: number | null, order: unknown, fields: string[], context?: Record<string, unknown>) =>
    rpc.call<T[]>(ctx, `model.${model}.search_read`, [domain, offset, limit, order, fields], context);
  const button = (ctx: TenantContext, model: string, name: string, ids: number[]) => rpc.call(ctx, `model.${model}.${name}`, [ids]);

  function company(ctx: TenantContext) {
    if (!companyInfo) {
      companyInfo = (async () => {
        const prefs = await rpc.userContext();
        const id = Number(prefs.company);
        if (!Number.isInteger(id) || id <= 0) throw trytonStateError('NO_COMPANY', `user ${config.user} has no current company`);
        const [row] = await rpc.call<Row[]>(ctx, 'model.company.company.read', [[id], ['currency.code', 'party']]);
        const flat = flattenRow(row ?? { id });
        return { id, currency: String(flat['currency.code'] ?? 'USD'), partyId: Number(flat.party) };
      })();
      companyInfo.catch(() => (companyInfo = null));
    }
    return companyInfo;
  }

  /** Customers: parties in `customerCategory`; otherwise every party except companies and suppliers. */
  async function customerDomain(ctx: TenantContext): Promise<unknown[]> {
    if (config.customerCategory) return [['categories.name', '=', config.customerCategory]];
    const companies = await searchRead(ctx, 'company.company', [], 0, null, null, ['party']);
    const suppliers = config.supplierCategory
      ? await searchRead(ctx, 'party.party', [['categories.name', '=', config.supplierCategory]], 0, null, null, ['id'], { active_test: false })
      : (await searchRead(ctx, 'purchase.product_supplier', [], 0, null, null, ['party'])).map((r) => ({ id: Number(r.party) }));
    return [['id', 'not in', [...new Set([...companies.map((c) => Number(c.party)), ...suppliers.map((r) => r.id)])]]];
  }

  async function partyRecords(ctx: TenantContext, rows: Row[]): Promise<TrytonPartyRecord[]> {
    const firstAddress = rows.map((r) => ((r.addresses as number[] | undefined) ?? [])[0]).filter((x): x is number => typeof x === 'number');
    const addresses = firstAddress.length ? await rpc.call<Row[]>(ctx, 'model.party.address.read', [firstAddress, ['street', 'city', 'postal_code', 'country.code', 'subdivision.code', 'party']]) : [];
    const mechanisms = rows.length ? await searchRead(ctx, 'party.contact_mechanism', [['party', 'in', rows.map((r) => r.id)]], 0, null, [['sequence', 'ASC'], ['id', 'ASC']], ['party', 'type', 'value']) : [];
    return rows.map((raw) => {
      const r = flattenRow(raw);
      const a = addresses.map((x) => flattenRow(x)).find((x) => x.party === raw.id);
      const mine = mechanisms.filter((m) => m.party === raw.id);
      return {
        id: raw.id,
        code: (r.code as string | null) ?? null,
        name: String(r.name),
        active: r.active !== false,
        receivable: r.receivable,
        'customer_payment_term.name': (r['customer_payment_term.name'] as string | null | undefined) ?? null,
        create_date: r.create_date,
        write_date: r.write_date,
        ...(a
          ? { address: { street: (a.street as string) ?? null, city: (a.city as string) ?? null, postal_code: (a.postal_code as string) ?? null, country_code: (a['country.code'] as string) ?? null, subdivision_code: (a['subdivision.code'] as string) ?? null } }
          : {}),
        email: mine.find((m) => m.type === 'email')?.value as string | undefined,
        phone: mine.find((m) => m.type === 'phone' || m.type === 'mobile')?.value as string | undefined,
      };
    });
  }

  async function partyByRef(ctx: TenantContext, ref: string): Promise<Row> {
    const domain = ref.startsWith('pty_') ? await customerDomain(ctx) : [['code', '=', ref]];
    const rows = await searchRead(ctx, 'party.party', domain, 0, ref.startsWith('pty_') ? null : 1, [['id', 'ASC']], ['code', 'name', 'receivable', 'addresses', 'customer_payment_term']);
    const found = ref.startsWith('pty_') ? rows.find((r) => partyIdOfTryton(ctx.tenantId, r.id) === ref) : rows[0];
    if (!found) throw trytonUnknownKeyError('customer', ref);
    return found;
  }

  async function saleRecords(ctx: TenantContext, sales: Row[]): Promise<TrytonSaleRecord[]> {
    if (sales.length === 0) return [];
    const lines = await searchRead(ctx, 'sale.line', [['sale', 'in', sales.map((s) => s.id)]], 0, null, [['sequence', 'ASC'], ['id', 'ASC']], ['sale', 'sequence', 'type', 'product.code', 'quantity', 'unit.symbol', 'unit_price']);
    const origins = lines.map((l) => `sale.line,${l.id}`);
    const moves = origins.length ? await searchRead(ctx, 'stock.move', [['origin', 'in', origins]], 0, null, null, ['origin', 'quantity', 'state', 'to_location.type']) : [];
    return sales.map((raw) => {
      const s = flattenRow(raw);
      const mine: TrytonSaleLineRecord[] = lines
        .filter((l) => l.sale === raw.id)
        .map((l) => {
          const f = flattenRow(l);
          const lm = moves.map((m) => flattenRow(m)).filter((m) => m.origin === `sale.line,${l.id}` && m['to_location.type'] === 'customer');
          const sum = (state: string) => lm.filter((m) => m.state === state).reduce((t, m) => t + Number(m.quantity ?? 0), 0);
          return {
            id: l.id,
            sequence: (f.sequence as number | null) ?? null,
            type: String(f.type),
            'product.code': (f['product.code'] as string | null) ?? null,
            quantity: (f.quantity as number | null) ?? null,
            'unit.symbol': (f['unit.symbol'] as string | null) ?? null,
            unit_price: f.unit_price,
            shipped: sum('done'),
            assigned: sum('assigned'),
          };
        });
      return { ...(s as unknown as TrytonSaleRecord), id: raw.id, lines: mine };
    });
  }

  async function findSaleRow(ctx: TenantContext, reference: string): Promise<Row | null> {
    const rows = await searchRead(ctx, 'sale.sale', [['reference', '=', reference]], 0, 2, [['id', 'ASC']], SALE_FIELDS, { active_test: false });
    return rows[0] ?? null;
  }

  async function saleByNumber(ctx: TenantContext, erpOrderNumber: string): Promise<Row> {
    const domain = /^\d+$/.test(erpOrderNumber) ? ['OR', ['number', '=', erpOrderNumber], [['number', '=', null], ['id', '=', Number(erpOrderNumber)]]] : [['number', '=', erpOrderNumber]];
    const rows = await searchRead(ctx, 'sale.sale', domain, 0, 1, [['id', 'ASC']], SALE_FIELDS);
    if (!rows[0]) throw trytonUnknownKeyError('sale', erpOrderNumber);
    return rows[0];
  }

  async function orderOf(ctx: TenantContext, row: Row): Promise<ErpOrder> {
    const [record] = await saleRecords(ctx, [row]);
    return orderFromTryton(record!, { unitMap: config.unitMap });
  }

  async function reload(ctx: TenantContext, id: number): Promise<Row> {
    const [row] = await rpc.call<Row[]>(ctx, 'model.sale.sale.read', [[id], SALE_FIELDS]);
    if (!row) throw trytonUnknownKeyError('sale', String(id));
    return row;
  }

  /** Moves a sale forward to the configured commit state (each step only when it is behind). */
  async function advance(ctx: TenantContext, row: Row): Promise<Row> {
    const target = config.commitState;
    let state = String(row.state);
    if (state === 'draft' && target !== 'draft') {
      await button(ctx, 'sale.sale', 'quote', [row.id]);
      state = 'quotation';
    }
    if (state === 'quotation' && target === 'confirmed') await button(ctx, 'sale.sale', 'confirm', [row.id]);
    return reload(ctx, row.id);
  }

  async function createSale(ctx: TenantContext, order: SalesOrder, reference: string): Promise<number> {
    const customerCode = order.billTo.code ?? order.shipTo.code;
    if (!customerCode) throw trytonUnknownKeyError('customer', order.customerId);
    const party = await partyByRef(ctx, customerCode);
    const partyAddresses = (party.addresses as number[] | undefined) ?? [];
    const address = partyAddresses[0];
    // a ship-to from listCustomers is `<customer code>-<address id>`
    const shipToAddress = Number(/-(\d+)$/.exec(order.shipTo.code ?? '')?.[1] ?? NaN);
    const shipmentAddress = partyAddresses.includes(shipToAddress) ? shipToAddress : address;
    const skus = [...new Set(order.lines.map((l) => l.sku).filter((s): s is string => !!s))];
    const products = skus.length ? await searchRead(ctx, 'product.product', [['code', 'in', skus]], 0, null, null, ['code', 'list_price', 'default_uom', 'template.sale_uom']) : [];
    const symbols = [...new Set(order.lines.map((l) => unitToTryton(l.unit, config.unitMap)).filter((s): s is string => !!s))];
    const uoms = symbols.length ? await searchRead(ctx, 'product.uom', [['symbol', 'in', symbols]], 0, null, null, ['symbol']) : [];
    const lines = order.lines.map((l) => {
      const product = products.find((p) => p.code === l.sku);
      if (!l.sku || !product) throw trytonUnknownKeyError('product', l.sku ?? l.customerPartNumber ?? `line ${l.lineNumber}`);
      const symbol = unitToTryton(l.unit, config.unitMap);
      const uom = uoms.find((u) => u.symbol === symbol);
      const flat = flattenRow(product);
      const unit = uom?.id ?? (flat['template.sale_uom'] as number | undefined) ?? (product.default_uom as number);
      return { type: 'line', product: product.id, quantity: Number(l.quantity), unit, unit_price: toTrytonDecimal(decimalOf(product.list_price)), description: l.description ?? '', sequence: l.lineNumber };
    });
    const [id] = await rpc.call<number[]>(ctx, 'model.sale.sale.create', [
      [
        {
          party: party.id,
          reference,
          description: `PO ${order.customerPoNumber}`.slice(0, 100),
          ...(address ? { invoice_address: address, shipment_address: shipmentAddress } : {}),
          ...(party.customer_payment_term ? { payment_term: party.customer_payment_term } : {}),
          lines: [['create', lines]],
        },
      ],
    ]);
    return id!;
  }

  /** The next `limit` rows of `model` (matching `domain`) changed after `from` and settled, in (time, id) order. */
  async function fetchModelChanges(ctx: TenantContext, model: string, domain: unknown[], fields: string[], from: ChangePosition, limit: number): Promise<Array<{ row: Row; position: ChangePosition }>> {
    const cutoff = toTrytonDateTime(BigInt(deps.clock.now().getTime() - config.settleMs) * 1000n);
    const at = toTrytonDateTime(from.us);
    const after = (field: string) => ['OR', [field, '>', at], [[field, '=', at], ['id', '>', from.id]]];
    const written = searchRead(ctx, model, [...domain, ['write_date', '!=', null], after('write_date'), ['write_date', '<=', cutoff]], 0, limit, [['write_date', 'ASC'], ['id', 'ASC']], fields, { active_test: false });
    const created = searchRead(ctx, model, [...domain, ['write_date', '=', null], after('create_date'), ['create_date', '<=', cutoff]], 0, limit, [['create_date', 'ASC'], ['id', 'ASC']], fields, { active_test: false });
    const rows = [...(await written), ...(await created)].map((row) => ({ row, position: { us: microsOf(row.write_date ?? row.create_date) ?? 0n, id: row.id } }));
    return rows.sort((a, b) => comparePositions(a.position, b.position)).slice(0, limit);
  }

  /** Posted and paid customer invoices with their lines, address, due date and the reference of the sale they bill. */
  async function invoiceRecords(ctx: TenantContext, invoices: Row[]): Promise<TrytonInvoiceRecord[]> {
    if (invoices.length === 0) return [];
    const lines = await searchRead(ctx, 'account.invoice.line', [['invoice', 'in', invoices.map((i) => i.id)]], 0, null, [['sequence', 'ASC'], ['id', 'ASC']], ['invoice', 'type', 'product.code', 'description', 'quantity', 'unit.symbol', 'unit_price', 'amount', 'origin']);
    const saleLineIds = [...new Set(lines.map((l) => /^sale\.line,(\d+)$/.exec(String(l.origin ?? ''))?.[1]).filter((x): x is string => !!x).map(Number))];
    const saleLines = saleLineIds.length ? await rpc.call<Row[]>(ctx, 'model.sale.line.read', [saleLineIds, ['sale.reference']]) : [];
    const toPay = invoices.flatMap((i) => (i.lines_to_pay as number[] | undefined) ?? []);
    const maturities = toPay.length ? await rpc.call<Row[]>(ctx, 'model.account.move.line.read', [toPay, ['maturity_date']]) : [];
    const addressIds = [...new Set(invoices.map((i) => i.invoice_address).filter((x): x is number => typeof x === 'number'))];
    const addresses = addressIds.length ? await rpc.call<Row[]>(ctx, 'model.party.address.read', [addressIds, ['street', 'city', 'postal_code', 'country.code', 'subdivision.code']]) : [];
    return invoices.map((raw) => {
      const r = flattenRow(raw);
      const mine = lines.filter((l) => l.invoice === raw.id).map((l) => flattenRow(l));
      const origin = mine.map((l) => /^sale\.line,(\d+)$/.exec(String(l.origin ?? ''))?.[1]).find((x) => !!x);
      const saleLine = origin ? saleLines.find((sl) => sl.id === Number(origin)) : undefined;
      const due = ((raw.lines_to_pay as number[] | undefined) ?? []).map((id) => isoDateOf(maturities.find((m) => m.id === id)?.maturity_date)).filter((d): d is string => !!d).sort()[0];
      const a = addresses.map((x) => flattenRow(x)).find((x) => x.id === raw.invoice_address);
      return {
        ...(r as unknown as TrytonInvoiceRecord),
        id: raw.id,
        dueDate: due,
        saleReference: saleLine ? ((flattenRow(saleLine)['sale.reference'] as string | null | undefined) ?? null) : null,
        ...(a ? { address: { street: (a.street as string) ?? null, city: (a.city as string) ?? null, postal_code: (a.postal_code as string) ?? null, country_code: (a['country.code'] as string) ?? null, subdivision_code: (a['subdivision.code'] as string) ?? null } } : {}),
        lines: mine.map((l) => ({
          id: Number(l.id),
          type: String(l.type),
          'product.code': (l['product.code'] as string | null | undefined) ?? null,
          description: (l.description as string | null | undefined) ?? null,
          quantity: (l.quantity as number | null | undefined) ?? null,
          'unit.symbol': (l['unit.symbol'] as string | null | undefined) ?? null,
          unit_price: l.unit_price,
          amount: l.amount,
        })),
      };
    });
  }

  /** After ship confirm: posts the sale's draft customer invoices (with `postInvoices`). */
  async function postSaleInvoices(ctx: TenantContext, saleId: number): Promise<void> {
    const [sale] = await rpc.call<Row[]>(ctx, 'model.sale.sale.read', [[saleId], ['invoices']]);
    const ids = (sale?.invoices as number[] | undefined) ?? [];
    const drafts = ids.length ? await searchRead(ctx, 'account.invoice', [['id', 'in', ids], ['state', 'in', ['draft', 'validated']]], 0, null, null, ['state']) : [];
    if (drafts.length === 0) return;
    await rpc.call(ctx, 'model.account.invoice.post', [drafts.map((d) => d.id)]);
    deps.log.info({ saleId, invoices: drafts.map((d) => d.id) }, 'sale invoices posted in Tryton');
  }

  const purchasing = createTrytonPurchasing({ rpc, config, searchRead, company, partyRecords, limitOf, idCursor, flattenRow });

  return {
    erpMasterData: {
      async listCustomers(ctx, page) {
        const { currency } = await company(ctx);
        const limit = limitOf(page);
        const rows = await searchRead(ctx, 'party.party', [...(await customerDomain(ctx)), ['id', '>', idCursor(page?.cursor)]], 0, limit, [['id', 'ASC']], ['code', 'name', 'active', 'receivable', 'customer_payment_term.name', 'addresses', 'create_date', 'write_date']);
        const records = await partyRecords(ctx, rows);
        const customers = records.map((r) => customerFromTryton(r, { tenantId: ctx.tenantId, currency, creditLimit: moneyOf(config.defaultCreditLimit) }));
        // every address of a customer is one of its ship-tos
        const addresses = rows.length ? await searchRead(ctx, 'party.address', [['party', 'in', rows.map((r) => r.id)]], 0, null, [['party', 'ASC'], ['sequence', 'ASC'], ['id', 'ASC']], ['party', 'name', 'street', 'city', 'postal_code', 'country.code', 'subdivision.code']) : [];
        const shipTos = addresses.map((raw) => {
          const a = flattenRow(raw);
          const customer = customers[rows.findIndex((r) => r.id === raw.party)]!;
          return shipToFromTryton(customer, { id: raw.id, name: (a.name as string | null) ?? null, street: (a.street as string | null) ?? null, city: (a.city as string | null) ?? null, postal_code: (a.postal_code as string | null) ?? null, country_code: (a['country.code'] as string | null) ?? null, subdivision_code: (a['subdivision.code'] as string | null) ?? null }, ctx.tenantId);
        });
        return {
          items: [...customers, ...shipTos],
          nextCursor: rows.length < limit ? null : String(rows[rows.length - 1]!.id),
        };
      },
      async listItems(ctx, page) {
        const limit = limitOf(page);
        const rows = await searchRead(ctx, 'product.product', [['id', '>', idCursor(page?.cursor)]], 0, limit, [['id', 'ASC']], PRODUCT_FIELDS);
        return { items: rows.map((r) => itemFromTryton(productRecord(r), { tenantId: ctx.tenantId, unitMap: config.unitMap })), nextCursor: rows.length < limit ? null : String(rows[rows.length - 1]!.id) };
      },
      async listPrices(ctx, page) {
        const { currency } = await company(ctx);
        const limit = limitOf(page);
        const rows = await searchRead(ctx, 'product.product', [['id', '>', idCursor(page?.cursor)], ['template.salable', '=', true]], 0, limit, [['id', 'ASC']], PRODUCT_FIELDS);
        return {
          items: rows.map((r) => listPriceFromTryton(productRecord(r), { tenantId: ctx.tenantId, currency, unitMap: config.unitMap })),
          nextCursor: rows.length < limit ? null : String(rows[rows.length - 1]!.id),
        };
      },
      async listInventory(ctx, page) {
        const limit = limitOf(page);
        const warehouses = await searchRead(ctx, 'stock.location', [['type', '=', 'warehouse']], 0, null, [['id', 'ASC']], ['code', 'name']);
        const products = await searchRead(ctx, 'product.product', [['id', '>', idCursor(page?.cursor)], ['type', '=', 'goods']], 0, limit, [['id', 'ASC']], PRODUCT_FIELDS);
        const asOf = deps.clock.now().toISOString();
        const items = [];
        for (const wh of warehouses) {
          const figures = products.length
            ? await rpc.call<Row[]>(ctx, 'model.product.product.read', [products.map((p) => p.id), ['quantity', 'forecast_quantity']], { locations: [wh.id], stock_date_end: null })
            : [];
          const locationId = String(wh.code || `WH${wh.id}`);
          for (const p of products) {
            const f = figures.find((x) => x.id === p.id);
            items.push(inventoryFromTryton(productRecord(p), { quantity: Number(f?.quantity ?? 0), forecastQuantity: Number(f?.forecast_quantity ?? 0) }, { tenantId: ctx.tenantId, locationId, asOf, unitMap: config.unitMap }));
          }
        }
        return { items, nextCursor: products.length < limit ? null : String(products[products.length - 1]!.id) };
      },
      async getCustomerCredit(ctx, customerRef): Promise<CustomerCredit> {
        const { currency } = await company(ctx);
        const party = await partyByRef(ctx, customerRef);
        return { customerRef, onHold: false, creditLimit: moneyOf(config.defaultCreditLimit), exposure: moneyOf(decimalOf(party.receivable)), currency };
      },
    },
    erpSalesOrders: {
      async commitOrder(ctx, order, reference) {
        const existing = await findSaleRow(ctx, reference);
        if (existing) return { record: await orderOf(ctx, await advance(ctx, existing)), duplicate: true };
        const id = await createSale(ctx, order, reference);
        deps.log.info({ reference, saleId: id }, 'sale created in Tryton');
        return { record: await orderOf(ctx, await advance(ctx, await reload(ctx, id))), duplicate: false };
      },
      async findOrder(ctx, reference) {
        const row = await findSaleRow(ctx, reference);
        return row ? orderOf(ctx, row) : null;
      },
      async changeOrder(ctx, erpOrderNumber, change: ErpOrderChange) {
        const row = await saleByNumber(ctx, erpOrderNumber);
        const state = String(row.state);
        if (state !== 'draft' && state !== 'quotation') throw trytonStateError('ORDER_NOT_CHANGEABLE', `sale ${erpOrderNumber} is ${state}; only draft and quotation sales can change`, { erpOrderNumber, state });
        const [record] = await saleRecords(ctx, [row]);
        const lines = record!.lines.filter((l) => l.type === 'line' && l['product.code']);
        if (state === 'quotation') await button(ctx, 'sale.sale', 'draft', [row.id]);
        for (const c of change.lines) {
          const line = lines[c.lineNumber - 1];
          if (!line) throw trytonUnknownKeyError('order line', `${erpOrderNumber}/${c.lineNumber}`);
          await rpc.call(ctx, 'model.sale.line.write', [[line.id], { quantity: Number(c.quantity) }]);
        }
        if (state === 'quotation') await button(ctx, 'sale.sale', 'quote', [row.id]);
        return orderOf(ctx, await reload(ctx, row.id));
      },
      async cancelOrder(ctx, erpOrderNumber, reason) {
        const row = await saleByNumber(ctx, erpOrderNumber);
        const state = String(row.state);
        if (state === 'cancelled') return orderOf(ctx, row);
        if (state === 'confirmed') await button(ctx, 'sale.sale', 'draft', [row.id]);
        else if (state !== 'draft' && state !== 'quotation') throw trytonStateError('ORDER_NOT_CANCELLABLE', `sale ${erpOrderNumber} is ${state}; cancel its shipments in Tryton first`, { erpOrderNumber, state });
        await button(ctx, 'sale.sale', 'cancel', [row.id]);
        deps.log.info({ erpOrderNumber, reason }, 'sale cancelled in Tryton');
        return orderOf(ctx, await reload(ctx, row.id));
      },
      async confirmShipment(ctx, erpOrderNumber, shipment: ErpShipmentConfirmation) {
        const row = await saleByNumber(ctx, erpOrderNumber);
        const [sale] = await rpc.call<Row[]>(ctx, 'model.sale.sale.read', [[row.id], ['shipments']]);
        const ids = (sale?.shipments as number[] | undefined) ?? [];
        const shipments = ids.length ? await rpc.call<Row[]>(ctx, 'model.stock.shipment.out.read', [ids, ['state', 'reference']]) : [];
        if (shipments.some((s) => s.reference === shipment.reference && s.state === 'done')) return orderOf(ctx, await reload(ctx, row.id));
        const open = shipments.find((s) => s.reference === shipment.reference) ?? shipments.find((s) => s.state !== 'done' && s.state !== 'cancelled');
        if (!open) throw trytonStateError('NO_OPEN_SHIPMENT', `sale ${erpOrderNumber} has no open customer shipment`, { erpOrderNumber });
        const [record] = await saleRecords(ctx, [row]);
        const openLines = record!.lines.filter((l) => l.type === 'line' && l['product.code']);
        for (const c of shipment.lines) {
          const line = openLines[c.lineNumber - 1];
          if (!line) throw trytonUnknownKeyError('order line', `${erpOrderNumber}/${c.lineNumber}`);
          if (Math.abs(Number(c.quantity) - ((line.quantity ?? 0) - (line.shipped ?? 0))) > 1e-9) {
            throw trytonStateError('PARTIAL_SHIPMENT_UNSUPPORTED', `sale ${erpOrderNumber} line ${c.lineNumber}: partial shipments are not supported yet`, { erpOrderNumber, lineNumber: c.lineNumber });
          }
        }
        await rpc.call(ctx, 'model.stock.shipment.out.write', [[open.id], { reference: shipment.reference }]);
        let state = String(open.state);
        if (state === 'draft') (await button(ctx, 'stock.shipment.out', 'wait', [open.id]), (state = 'waiting'));
        if (state === 'waiting') (await button(ctx, 'stock.shipment.out', 'assign_try', [open.id]), (state = String((await rpc.call<Row[]>(ctx, 'model.stock.shipment.out.read', [[open.id], ['state']]))[0]?.state)));
        if (state === 'waiting') throw trytonStateError('NOT_IN_STOCK', `sale ${erpOrderNumber}: Tryton could not reserve the stock to ship`, { erpOrderNumber });
        if (state === 'assigned') (await button(ctx, 'stock.shipment.out', 'pick', [open.id]), (state = 'picked'));
        if (state === 'picked') (await button(ctx, 'stock.shipment.out', 'pack', [open.id]), (state = 'packed'));
        if (state === 'packed') await button(ctx, 'stock.shipment.out', 'done', [open.id]);
        if (config.postInvoices) await postSaleInvoices(ctx, row.id);
        return orderOf(ctx, await reload(ctx, row.id));
      },
    },
    erpPurchasing: purchasing,
    erpChangeFeed: {
      async fetchChanges(ctx, page): Promise<Page<ErpChange>> {
        const from = decodeFeedCursor(page.cursor);
        const limit = limitOf(page);
        const streams: Record<FeedStream, { model: string; domain: unknown[]; fields: string[] }> = {
          sale: { model: 'sale.sale', domain: [], fields: SALE_FIELDS },
          invoice: { model: 'account.invoice', domain: [['type', '=', 'out'], ['state', 'in', ['posted', 'paid']]], fields: INVOICE_FIELDS },
          purchase: { model: 'purchase.purchase', domain: PURCHASE_FEED_DOMAIN, fields: PURCHASE_FIELDS },
          receipt: { model: 'stock.shipment.in', domain: SHIPMENT_IN_FEED_DOMAIN, fields: SHIPMENT_IN_FIELDS },
          supplierInvoice: { model: 'account.invoice', domain: SUPPLIER_INVOICE_DOMAIN, fields: SUPPLIER_INVOICE_FIELDS },
        };
        const read = await Promise.all(FEED_STREAMS.map(async (stream) => (await fetchModelChanges(ctx, streams[stream].model, streams[stream].domain, streams[stream].fields, from[stream], limit)).map((c) => ({ ...c, stream }))));
        // Merge the streams in (time, stream order, id) order; each stream's taken part is a prefix of what it read.
        const rank = (stream: FeedStream) => FEED_STREAMS.indexOf(stream);
        const merged = read
          .flat()
          .sort((a, b) => (a.position.us !== b.position.us ? (a.position.us < b.position.us ? -1 : 1) : a.stream !== b.stream ? rank(a.stream) - rank(b.stream) : a.position.id - b.position.id))
          .slice(0, limit);
        if (merged.length === 0) return { items: [], nextCursor: page.cursor ?? null };
        const of = (stream: FeedStream) => merged.filter((c) => c.stream === stream);
        const saleRecs = await saleRecords(ctx, of('sale').map((c) => c.row));
        const invoiceRecs = await invoiceRecords(ctx, of('invoice').map((c) => c.row));
        const purchases = await purchasing.purchaseChanges(ctx, of('purchase').map((c) => c.row));
        const receipts = await purchasing.receiptChanges(ctx, of('receipt').map((c) => c.row));
        const supplierInvoices = await purchasing.supplierInvoiceChanges(ctx, of('supplierInvoice').map((c) => c.row));
        const items: ErpChange[] = merged.flatMap((c): ErpChange[] => {
          const at = isoOfMicros(c.position.us);
          const i = of(c.stream).indexOf(c);
          const stamp = `${c.row.id}/${c.position.us.toString()}`;
          switch (c.stream) {
            case 'sale':
              return [{ kind: 'order.updated', order: orderFromTryton(saleRecs[i]!, { unitMap: config.unitMap }), at, changeId: `sale.sale/${stamp}` }];
            case 'invoice': {
              const record = invoiceRecs[i]!;
              return [{ kind: 'invoice.issued', invoice: invoiceFromTryton(record, { tenantId: ctx.tenantId, unitMap: config.unitMap }), orderReference: record.saleReference ?? undefined, at, changeId: `account.invoice/${stamp}` }];
            }
            case 'purchase':
              return [{ kind: 'purchase_order.updated', purchaseOrder: purchases[i]!, at, changeId: `purchase.purchase/${stamp}` }];
            case 'receipt':
              // one change per purchase received on the shipment (all of them on this page, so none is split off)
              return receipts[i]!.map((receipt) => ({ kind: 'receipt.recorded', receipt, at, changeId: `stock.shipment.in/${stamp}/${receipt.poNumber}` }));
            case 'supplierInvoice':
              return [{ kind: 'supplier_invoice.recorded', supplierInvoice: supplierInvoices[i]!, at, changeId: `account.invoice.in/${stamp}` }];
          }
        });
        const last = (stream: FeedStream) => of(stream).at(-1)?.position ?? from[stream];
        return { items, nextCursor: encodeFeedCursor(Object.fromEntries(FEED_STREAMS.map((stream) => [stream, last(stream)])) as FeedPositions) };
      },
    },
    health: () => healthFromPing(() => rpc.ping()),
    close: () => rpc.close(),
  };
}
