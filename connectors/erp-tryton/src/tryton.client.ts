import { addDecimal, compareDecimal, subtractDecimal, type InventoryPosition, type Price, type SalesOrder } from '@tradelane/canonical';
import { healthFromPing, type ConnectorDeps, type ConnectorInstance, type CustomerCredit, type ErpChange, type ErpOrder, type ErpOrderChange, type ErpShipmentConfirmation, type Page, type PageRequest } from '@tradelane/connector-kit';
import { PermanentError, type TenantContext } from '@tradelane/core';
import { decimalOf, isoDateOf, isoOfMicros, microsOf, normalizeDecimal, toTrytonDateTime, toTrytonDecimal } from './codec/tryton-json.codec.js';
import { trytonStateError, trytonUnknownKeyError } from './errors.js';
import { comparePositions, decodeFeedCursor, encodeFeedCursor, FEED_STREAMS, type ChangePosition, type FeedPositions, type FeedStream } from './mappers/change-cursor.js';
import { contractPriceFromTryton } from './mappers/contract-price.from-tryton.js';
import { customerCreditFromTryton, type TrytonCreditRecord } from './mappers/credit.from-tryton.js';
import { invoiceFromTryton } from './mappers/invoice.from-tryton.js';
import { isPaymentReceived, paymentFromTryton } from './mappers/payment.from-tryton.js';
import { inventoryFromTryton } from './mappers/inventory.from-tryton.js';
import { itemFromTryton, listPriceFromTryton } from './mappers/item.from-tryton.js';
import { orderFromTryton } from './mappers/order.from-tryton.js';
import { customerFromTryton, partyIdOfTryton, shipToFromTryton } from './mappers/party.from-tryton.js';
import { moneyOf } from './mappers/item.from-tryton.js';
import { unitToTryton } from './mappers/unit.mapper.js';
import { createTrytonRpc, type TrytonRpc } from './transport/tryton-rpc.transport.js';
import { createTrytonReturns } from './tryton-returns.client.js';
import type { TrytonConfig } from './tryton-config.schema.js';
import { createTrytonPurchasing, PURCHASE_FEED_DOMAIN, PURCHASE_FIELDS, SHIPMENT_IN_FEED_DOMAIN, SHIPMENT_IN_FIELDS, SUPPLIER_INVOICE_DOMAIN, SUPPLIER_INVOICE_FIELDS } from './tryton-purchasing.client.js';
import type { TrytonInvoiceRecord, TrytonPartyRecord, TrytonPaymentRecord, TrytonProductRecord, TrytonSaleLineRecord, TrytonSaleRecord } from './wire/tryton-records.js';

/** The capabilities this connector provides. */
export type TrytonCapability = 'erpMasterData' | 'erpSalesOrders' | 'erpChangeFeed' | 'erpPurchasing' | 'erpReturns';

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
/** Payment lines of customer invoices: move lines in the `payment_lines` of an `out` invoice, in a posted move. */
const PAYMENT_LINE_DOMAIN: unknown[] = [['invoice_payments.type', '=', 'out'], ['move.state', '=', 'posted']];
const PAYMENT_LINE_FIELDS = ['invoice_payment', 'party', 'debit', 'credit', 'amount_second_currency', 'second_currency.code', 'date', 'description', 'move.number', 'move.description', 'move.journal.name', 'create_date', 'write_date'];
/** Stock moves that change what is on hand or reserved: reserved (`assigned`), `done`, or `cancelled` (a reservation released). */
const STOCK_MOVE_DOMAIN: unknown[] = [['state', 'in', ['assigned', 'done', 'cancelled']], ['product.type', '=', 'goods']];
/** A decimal string rounded half-up to at most `places` decimals (prices Tryton computes carry twelve). */
const roundDecimal = (d: string, places: number) => normalizeDecimal((Math.round(Number(d) * 10 ** places) / 10 ** places).toFixed(places));
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

  /** Which optional party fields the database has (`credit_limit_amount`: account_credit_limit; `sale_price_list`: sale_price_list), read once. */
  let partyFields: Promise<Set<string>> | null = null;
  function optionalPartyFields(ctx: TenantContext): Promise<Set<string>> {
    if (!partyFields) {
      partyFields = searchRead(ctx, 'ir.model.field', [['model.model', '=', 'party.party'], ['name', 'in', ['credit_limit_amount', 'credit_amount', 'sale_price_list']]], 0, null, null, ['name']).then((rows) => new Set(rows.map((r) => String(r.name))));
      partyFields.catch(() => (partyFields = null));
    }
    return partyFields;
  }

  /** The credit figures of a party (`credit_limit_amount` null when the database has no credit limits). */
  async function creditOf(ctx: TenantContext, partyId: number): Promise<TrytonCreditRecord> {
    const fields = await optionalPartyFields(ctx);
    if (!fields.has('credit_limit_amount')) {
      const [row] = await rpc.call<Row[]>(ctx, 'model.party.party.read', [[partyId], ['receivable']]);
      return { credit_limit_amount: null, credit_amount: row?.receivable };
    }
    const [row] = await rpc.call<Row[]>(ctx, 'model.party.party.read', [[partyId], ['credit_limit_amount', 'credit_amount']]);
    return { credit_limit_amount: row?.credit_limit_amount ?? null, credit_amount: row?.credit_amount };
  }

  /**
   * Moves a sale forward to the configured commit state (each step only when it is behind). A confirmation Tryton
   * refuses because it would exceed the customer's credit limit (account_credit_limit) leaves the sale a quotation and
   * resolves the hold reason: a credit hold is an outcome, not a failure.
   */
  async function advance(ctx: TenantContext, row: Row): Promise<{ row: Row; holdReason?: string }> {
    const target = config.commitState;
    let state = String(row.state);
    if (state === 'draft' && target !== 'draft') {
      await button(ctx, 'sale.sale', 'quote', [row.id]);
      state = 'quotation';
    }
    if (state === 'quotation' && target === 'confirmed') {
      try {
        await button(ctx, 'sale.sale', 'confirm', [row.id]);
      } catch (err) {
        const hold = err instanceof PermanentError ? await creditHoldOf(ctx, row.id) : undefined;
        if (!hold) throw err;
        deps.log.info({ saleId: row.id, hold }, 'sale held in Tryton for its credit limit');
        return { row: await reload(ctx, row.id), holdReason: hold };
      }
    }
    return { row: await reload(ctx, row.id) };
  }

  /** Why a sale cannot be confirmed for credit: its untaxed amount on top of the party's exposure passes the limit. */
  async function creditHoldOf(ctx: TenantContext, saleId: number): Promise<string | undefined> {
    const [sale] = await rpc.call<Row[]>(ctx, 'model.sale.sale.read', [[saleId], ['party', 'untaxed_amount']]);
    if (!sale) return undefined;
    const credit = await creditOf(ctx, Number(sale.party));
    if (credit.credit_limit_amount === null || credit.credit_limit_amount === undefined) return undefined;
    const limit = decimalOf(credit.credit_limit_amount);
    const after = addDecimal(decimalOf(credit.credit_amount), decimalOf(sale.untaxed_amount));
    if (compareDecimal(after, limit) <= 0) return undefined;
    const { currency } = await company(ctx);
    return `credit limit ${moneyOf(limit)} ${currency} exceeded: exposure ${moneyOf(decimalOf(credit.credit_amount))} + order ${moneyOf(decimalOf(sale.untaxed_amount))}`;
  }

  /** Commits as {@link advance} does and maps the sale; a credit hold reads `OnHold` with its reason. */
  async function committed(ctx: TenantContext, row: Row): Promise<ErpOrder> {
    const { row: after, holdReason } = await advance(ctx, row);
    const order = await orderOf(ctx, after);
    return holdReason && order.status === 'Entered' ? { ...order, status: 'OnHold', holdReason } : order;
  }

  /** The customer's price list (sale_price_list), when the database has them and the party has one. */
  async function priceListOf(ctx: TenantContext, partyId: number): Promise<number | null> {
    if (!(await optionalPartyFields(ctx)).has('sale_price_list')) return null;
    const [row] = await rpc.call<Row[]>(ctx, 'model.party.party.read', [[partyId], ['sale_price_list']]);
    return typeof row?.sale_price_list === 'number' ? row.sale_price_list : null;
  }

  /**
   * Contract prices of a page of products: for each customer with a price list, each product the list names (every
   * product when a line names none), one tier per quantity break, priced by Tryton (`sale_price_uom` in the context of
   * the price list and customer); a contract price equal to the list price throughout is left out.
   */
  async function contractPrices(ctx: TenantContext, products: Row[], currency: string): Promise<Price[]> {
    if (products.length === 0 || !(await optionalPartyFields(ctx)).has('sale_price_list')) return [];
    const parties = await searchRead(ctx, 'party.party', await customerDomain(ctx), 0, null, [['id', 'ASC']], ['sale_price_list']);
    const withList = parties.filter((p) => typeof p.sale_price_list === 'number');
    if (withList.length === 0) return [];
    const listIds = [...new Set(withList.map((p) => Number(p.sale_price_list)))];
    const lists = await rpc.call<Row[]>(ctx, 'model.product.price_list.read', [listIds, ['name', 'create_date', 'write_date']]);
    const lines = await searchRead(ctx, 'product.price_list.line', [['price_list', 'in', listIds]], 0, null, null, ['price_list', 'product', 'quantity']);
    const out: Price[] = [];
    for (const party of withList) {
      const list = lists.find((l) => l.id === party.sale_price_list);
      if (!list) continue;
      const mine = lines.filter((l) => l.price_list === list.id);
      const covered = products.filter((p) => mine.some((l) => l.product === null || l.product === p.id));
      if (covered.length === 0) continue;
      const breaksOf = (p: Row) => [...new Set([0, ...mine.filter((l) => l.product === null || l.product === p.id).map((l) => Math.max(0, Number(l.quantity ?? 0)))])].sort((a, b) => a - b);
      const quantities = [...new Set(covered.flatMap(breaksOf))];
      const priced = new Map<number, Row[]>();
      for (const quantity of quantities) priced.set(quantity, await rpc.call<Row[]>(ctx, 'model.product.product.read', [covered.map((p) => p.id), ['sale_price_uom']], { price_list: list.id, customer: party.id, quantity }));
      for (const p of covered) {
        const record = productRecord(p);
        const price = contractPriceFromTryton(
          record,
          { priceListId: list.id, priceListName: String(list.name ?? `price list ${list.id}`), party: party.id, breaks: breaksOf(p).map((quantity) => ({ quantity, unitPrice: priced.get(quantity)?.find((x) => x.id === p.id)?.sale_price_uom })), create_date: list.create_date, write_date: list.write_date },
          { tenantId: ctx.tenantId, currency, unitMap: config.unitMap },
        );
        const listPrice = moneyOf(decimalOf(p.list_price));
        if (price.tiers.length === 1 && price.tiers[0]!.unitPrice.amount === listPrice) continue;
        out.push(price);
      }
    }
    return out;
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
    const priceList = await priceListOf(ctx, party.id);
    const lines = [];
    for (const l of order.lines) {
      const product = products.find((p) => p.code === l.sku);
      if (!l.sku || !product) throw trytonUnknownKeyError('product', l.sku ?? l.customerPartNumber ?? `line ${l.lineNumber}`);
      const symbol = unitToTryton(l.unit, config.unitMap);
      const uom = uoms.find((u) => u.symbol === symbol);
      const flat = flattenRow(product);
      const unit = uom?.id ?? (flat['template.sale_uom'] as number | undefined) ?? (product.default_uom as number);
      // the customer's price list prices the line (for its quantity and unit), else the list price
      const contract = priceList ? (await rpc.call<Row[]>(ctx, 'model.product.product.read', [[product.id], ['sale_price_uom']], { price_list: priceList, customer: party.id, quantity: Number(l.quantity), uom: unit }))[0]?.sale_price_uom : undefined;
      const unitPrice = contract !== undefined && contract !== null ? roundDecimal(decimalOf(contract), 4) : decimalOf(product.list_price);
      lines.push({ type: 'line', product: product.id, quantity: Number(l.quantity), unit, unit_price: toTrytonDecimal(unitPrice), description: l.description ?? '', sequence: l.lineNumber });
    }
    const [id] = await rpc.call<number[]>(ctx, 'model.sale.sale.create', [
      [
        {
          party: party.id,
          reference,
          description: `PO ${order.customerPoNumber}`.slice(0, 100),
          ...(address ? { invoice_address: address, shipment_address: shipmentAddress } : {}),
          ...(party.customer_payment_term ? { payment_term: party.customer_payment_term } : {}),
          ...(priceList ? { price_list: priceList } : {}),
          lines: [['create', lines]],
        },
      ],
    ]);
    return id!;
  }

  /**
   * The next `limit` rows of `model` (matching `domain`) changed after `from` and settled, in (time, id) order; time is
   * `write_date` (or `create_date` for rows never written), or only `create_date` with `createdOnly` (rows that are
   * reported once, when they appear, however often they are written later).
   */
  async function fetchModelChanges(ctx: TenantContext, model: string, domain: unknown[], fields: string[], from: ChangePosition, limit: number, createdOnly = false): Promise<Array<{ row: Row; position: ChangePosition }>> {
    const cutoff = toTrytonDateTime(BigInt(deps.clock.now().getTime() - config.settleMs) * 1000n);
    const at = toTrytonDateTime(from.us);
    const after = (field: string) => ['OR', [field, '>', at], [[field, '=', at], ['id', '>', from.id]]];
    if (createdOnly) {
      const rows = await searchRead(ctx, model, [...domain, after('create_date'), ['create_date', '<=', cutoff]], 0, limit, [['create_date', 'ASC'], ['id', 'ASC']], fields, { active_test: false });
      return rows.map((row) => ({ row, position: { us: microsOf(row.create_date) ?? 0n, id: row.id } }));
    }
    const written = searchRead(ctx, model, [...domain, ['write_date', '!=', null], after('write_date'), ['write_date', '<=', cutoff]], 0, limit, [['write_date', 'ASC'], ['id', 'ASC']], fields, { active_test: false });
    const created = searchRead(ctx, model, [...domain, ['write_date', '=', null], after('create_date'), ['create_date', '<=', cutoff]], 0, limit, [['create_date', 'ASC'], ['id', 'ASC']], fields, { active_test: false });
    const rows = [...(await written), ...(await created)].map((row) => ({ row, position: { us: microsOf(row.write_date ?? row.create_date) ?? 0n, id: row.id } }));
    return rows.sort((a, b) => comparePositions(a.position, b.position)).slice(0, limit);
  }

  /** Payment lines of customer invoices (rows of `account.move.line`) with the invoice each pays. */
  async function paymentRecords(ctx: TenantContext, lines: Row[]): Promise<TrytonPaymentRecord[]> {
    if (lines.length === 0) return [];
    const invoiceIds = [...new Set(lines.map((l) => Number(l.invoice_payment)).filter((x) => x > 0))];
    const invoices = invoiceIds.length ? await rpc.call<Row[]>(ctx, 'model.account.invoice.read', [invoiceIds, ['number', 'party', 'currency.code']]) : [];
    return lines.map((raw) => {
      const l = flattenRow(raw);
      const invoice = flattenRow(invoices.find((i) => i.id === Number(raw.invoice_payment)) ?? { id: 0 });
      const second = (l['second_currency.code'] as string | null | undefined) ?? null;
      const currency = String(invoice['currency.code'] ?? second ?? 'USD');
      const amount = second && second === currency && l.amount_second_currency ? subtractDecimal('0', decimalOf(l.amount_second_currency)) : subtractDecimal(decimalOf(l.credit), decimalOf(l.debit));
      return {
        id: raw.id,
        lineId: raw.id,
        invoiceId: Number(invoice.id),
        invoiceNumber: (invoice.number as string | null | undefined) || null,
        party: Number(invoice.party ?? l.party),
        currency,
        amount,
        date: l.date,
        moveNumber: (l['move.number'] as string | null | undefined) || null,
        description: (l['move.description'] as string | null | undefined) || (l.description as string | null | undefined) || null,
        journalName: (l['move.journal.name'] as string | null | undefined) || null,
        create_date: l.create_date,
        write_date: l.write_date,
      };
    });
  }

  /** Warehouses (`stock.location` of type `warehouse`) in id order. */
  const warehouseRows = (ctx: TenantContext) => searchRead(ctx, 'stock.location', [['type', '=', 'warehouse']], 0, null, [['id', 'ASC']], ['code', 'name']);

  /** Stock positions of products (rows with {@link PRODUCT_FIELDS}) in every warehouse, as of now. */
  async function stockPositions(ctx: TenantContext, products: Row[], warehouses: Row[]): Promise<Map<number, InventoryPosition[]>> {
    const asOf = deps.clock.now().toISOString();
    const out = new Map<number, InventoryPosition[]>(products.map((p) => [p.id, []]));
    if (products.length === 0) return out;
    for (const wh of warehouses) {
      const figures = await rpc.call<Row[]>(ctx, 'model.product.product.read', [products.map((p) => p.id), ['quantity', 'forecast_quantity']], { locations: [wh.id], stock_date_end: null });
      const locationId = String(wh.code || `WH${wh.id}`);
      for (const p of products) {
        const f = figures.find((x) => x.id === p.id);
        out.get(p.id)!.push(inventoryFromTryton(productRecord(p), { quantity: Number(f?.quantity ?? 0), forecastQuantity: Number(f?.forecast_quantity ?? 0) }, { tenantId: ctx.tenantId, locationId, asOf, unitMap: config.unitMap }));
      }
    }
    return out;
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
        // each customer's own credit limit where Tryton has one (account_credit_limit), else the configured default
        const limits = rows.length && (await optionalPartyFields(ctx)).has('credit_limit_amount') ? await rpc.call<Row[]>(ctx, 'model.party.party.read', [rows.map((r) => r.id), ['credit_limit_amount']]) : [];
        const creditLimitOf = (id: number) => limits.find((l) => l.id === id)?.credit_limit_amount;
        const customers = records.map((r) => customerFromTryton(r, { tenantId: ctx.tenantId, currency, creditLimit: moneyOf(creditLimitOf(r.id) ? decimalOf(creditLimitOf(r.id)) : config.defaultCreditLimit) }));
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
        const list = rows.map((r) => listPriceFromTryton(productRecord(r), { tenantId: ctx.tenantId, currency, unitMap: config.unitMap }));
        return { items: [...list, ...(await contractPrices(ctx, rows, currency))], nextCursor: rows.length < limit ? null : String(rows[rows.length - 1]!.id) };
      },
      async listInventory(ctx, page) {
        const limit = limitOf(page);
        const warehouses = await warehouseRows(ctx);
        const products = await searchRead(ctx, 'product.product', [['id', '>', idCursor(page?.cursor)], ['type', '=', 'goods']], 0, limit, [['id', 'ASC']], PRODUCT_FIELDS);
        const positions = await stockPositions(ctx, products, warehouses);
        const items = warehouses.flatMap((_, w) => products.map((p) => positions.get(p.id)![w]!));
        return { items, nextCursor: products.length < limit ? null : String(products[products.length - 1]!.id) };
      },
      async getCustomerCredit(ctx, customerRef): Promise<CustomerCredit> {
        const { currency } = await company(ctx);
        const party = await partyByRef(ctx, customerRef);
        return customerCreditFromTryton(customerRef, await creditOf(ctx, party.id), { currency, defaultLimit: config.defaultCreditLimit });
      },
    },
    erpSalesOrders: {
      async commitOrder(ctx, order, reference) {
        const existing = await findSaleRow(ctx, reference);
        if (existing) return { record: await committed(ctx, existing), duplicate: true };
        const id = await createSale(ctx, order, reference);
        deps.log.info({ reference, saleId: id }, 'sale created in Tryton');
        return { record: await committed(ctx, await reload(ctx, id)), duplicate: false };
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
        const open = shipments.find((s) => s.reference === shipment.reference && s.state !== 'cancelled') ?? shipments.find((s) => s.state !== 'done' && s.state !== 'cancelled');
        if (!open) throw trytonStateError('NO_OPEN_SHIPMENT', `sale ${erpOrderNumber} has no open customer shipment`, { erpOrderNumber });
        const [record] = await saleRecords(ctx, [row]);
        const openLines = record!.lines.filter((l) => l.type === 'line' && l['product.code']);
        const outgoing = () => searchRead(ctx, 'stock.move', [['shipment', '=', `stock.shipment.out,${open.id}`], ['to_location.type', '=', 'customer'], ['state', '!=', 'cancelled']], 0, null, [['id', 'ASC']], ['origin', 'quantity', 'state']);
        const moves = await outgoing();
        const onShipment = (lineId: number, rows: Row[]) => rows.filter((m) => m.origin === `sale.line,${lineId}`);
        // what ships now, per sale line (lines not named ship nothing now)
        const wanted = new Map<number, number>();
        for (const c of shipment.lines) {
          const line = openLines[c.lineNumber - 1];
          if (!line) throw trytonUnknownKeyError('order line', `${erpOrderNumber}/${c.lineNumber}`);
          const quantity = Number(c.quantity) + (wanted.get(line.id) ?? 0);
          const available = onShipment(line.id, moves).reduce((t, m) => t + Number(m.quantity ?? 0), 0);
          if (quantity > available + 1e-9) throw trytonStateError('OVER_SHIPMENT', `sale ${erpOrderNumber} line ${c.lineNumber}: ${c.quantity} is more than the ${available} open on its customer shipment`, { erpOrderNumber, lineNumber: c.lineNumber });
          wanted.set(line.id, quantity);
        }
        const lineOf = (m: Row) => Number(/^sale\.line,(\d+)$/.exec(String(m.origin ?? ''))?.[1] ?? NaN);
        const partial = openLines.some((l) => {
          const planned = onShipment(l.id, moves).reduce((t, m) => t + Number(m.quantity ?? 0), 0);
          return planned > (wanted.get(l.id) ?? 0) + 1e-9;
        });
        await rpc.call(ctx, 'model.stock.shipment.out.write', [[open.id], { reference: shipment.reference }]);
        let state = String(open.state);
        if (partial) {
          // ship less: the shipment goes back to draft, its outgoing moves shrink to what ships (or leave it), and once it
          // is done Tryton puts the rest on a new customer shipment (the sale's backorder)
          if (state === 'picked' || state === 'packed') throw trytonStateError('SHIPMENT_ALREADY_PICKED', `sale ${erpOrderNumber}: its customer shipment is ${state} in Tryton; a partial shipment must be confirmed before picking`, { erpOrderNumber, state });
          if (state === 'assigned') (await button(ctx, 'stock.shipment.out', 'wait', [open.id]), (state = 'waiting'));
          if (state === 'waiting') (await button(ctx, 'stock.shipment.out', 'draft', [open.id]), (state = 'draft'));
          const left = new Map(wanted);
          for (const move of await outgoing()) {
            const want = left.get(lineOf(move)) ?? 0;
            const quantity = Number(move.quantity ?? 0);
            if (want <= 1e-9) await rpc.call(ctx, 'model.stock.move.delete', [[move.id]]);
            else if (want + 1e-9 < quantity) await rpc.call(ctx, 'model.stock.move.write', [[move.id], { quantity: want }]);
            left.set(lineOf(move), Math.max(0, want - quantity));
          }
        }
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
    erpReturns: createTrytonReturns({ rpc, config, log: deps.log, searchRead, partyByRef, postSaleInvoices, flattenRow }),
    erpChangeFeed: {
      async fetchChanges(ctx, page): Promise<Page<ErpChange>> {
        const from = decodeFeedCursor(page.cursor);
        const limit = limitOf(page);
        const streams: Record<FeedStream, { model: string; domain: unknown[]; fields: string[]; createdOnly?: boolean }> = {
          sale: { model: 'sale.sale', domain: [], fields: SALE_FIELDS },
          invoice: { model: 'account.invoice', domain: [['type', '=', 'out'], ['state', 'in', ['posted', 'paid']]], fields: INVOICE_FIELDS },
          purchase: { model: 'purchase.purchase', domain: PURCHASE_FEED_DOMAIN, fields: PURCHASE_FIELDS },
          receipt: { model: 'stock.shipment.in', domain: SHIPMENT_IN_FEED_DOMAIN, fields: SHIPMENT_IN_FIELDS },
          supplierInvoice: { model: 'account.invoice', domain: SUPPLIER_INVOICE_DOMAIN, fields: SUPPLIER_INVOICE_FIELDS },
          payment: { model: 'account.move.line', domain: PAYMENT_LINE_DOMAIN, fields: PAYMENT_LINE_FIELDS, createdOnly: true },
          stock: { model: 'stock.move', domain: STOCK_MOVE_DOMAIN, fields: ['product', 'state', 'create_date', 'write_date'] },
        };
        const read = await Promise.all(FEED_STREAMS.map(async (stream) => (await fetchModelChanges(ctx, streams[stream].model, streams[stream].domain, streams[stream].fields, from[stream], limit, streams[stream].createdOnly)).map((c) => ({ ...c, stream }))));
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
        const payments = await paymentRecords(ctx, of('payment').map((c) => c.row));
        const movedIds = [...new Set(of('stock').map((c) => Number(c.row.product)))];
        const moved = movedIds.length ? await rpc.call<Row[]>(ctx, 'model.product.product.read', [movedIds, PRODUCT_FIELDS]) : [];
        const positions = await stockPositions(ctx, moved, moved.length ? await warehouseRows(ctx) : []);
        const items: ErpChange[] = merged.flatMap((c): ErpChange[] => {
          const at = isoOfMicros(c.position.us);
          const i = of(c.stream).indexOf(c);
          const stamp = `${c.row.id}/${c.position.us.toString()}`;
          switch (c.stream) {
            case 'sale':
              return [{ kind: 'order.updated', order: orderFromTryton(saleRecs[i]!, { unitMap: config.unitMap }), at, changeId: `sale.sale/${stamp}` }];
            case 'invoice': {
              const record = invoiceRecs[i]!;
              const invoice = invoiceFromTryton(record, { tenantId: ctx.tenantId, unitMap: config.unitMap });
              // a credit note of a return sale carries the return's reference (the sale's `reference`)
              if (invoice.kind === 'credit_memo') return [{ kind: 'credit_memo.issued', invoice, returnReference: record.saleReference ?? undefined, at, changeId: `account.invoice/${stamp}` }];
              return [{ kind: 'invoice.issued', invoice, orderReference: record.saleReference ?? undefined, at, changeId: `account.invoice/${stamp}` }];
            }
            case 'purchase':
              return [{ kind: 'purchase_order.updated', purchaseOrder: purchases[i]!, at, changeId: `purchase.purchase/${stamp}` }];
            case 'receipt':
              // one change per purchase received on the shipment (all of them on this page, so none is split off)
              return receipts[i]!.map((receipt) => ({ kind: 'receipt.recorded', receipt, at, changeId: `stock.shipment.in/${stamp}/${receipt.poNumber}` }));
            case 'supplierInvoice':
              return [{ kind: 'supplier_invoice.recorded', supplierInvoice: supplierInvoices[i]!, at, changeId: `account.invoice.in/${stamp}` }];
            case 'payment': {
              // reported once, when the payment line appears (its later writes, e.g. reconciliation, are not changes)
              const record = payments[i]!;
              return isPaymentReceived(record) && record.invoiceId > 0 ? [{ kind: 'payment.received', payment: paymentFromTryton(record, { tenantId: ctx.tenantId }), at, changeId: `account.move.line/${c.row.id}/payment` }] : [];
            }
            case 'stock':
              return [{ kind: 'inventory.changed', positions: positions.get(Number(c.row.product)) ?? [], at, changeId: `stock.move/${stamp}` }];
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
