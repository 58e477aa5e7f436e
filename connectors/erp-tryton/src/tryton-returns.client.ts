import type { ReturnAuthorization } from '@tradelane/canonical';
import type { ConnectorDeps, ErpReturn, ErpReturns, IdempotentResult } from '@tradelane/connector-kit';
import type { TenantContext } from '@tradelane/core';
import { toTrytonDecimal } from './codec/tryton-json.codec.js';
import { trytonStateError, trytonUnknownKeyError } from './errors.js';
import { returnFromTryton } from './mappers/return.from-tryton.js';
import { unitToTryton } from './mappers/unit.mapper.js';
import type { TrytonRpc } from './transport/tryton-rpc.transport.js';
import type { TrytonConfig } from './tryton-config.schema.js';

type Row = Record<string, unknown> & { id: number };

/** What the returns capability shares with the rest of the Tryton connector. */
export interface TrytonReturnsParts {
  rpc: TrytonRpc;
  config: TrytonConfig;
  log: ConnectorDeps['log'];
  /** `search_read` on a model (inactive records included when `context.active_test` is false). */
  searchRead(ctx: TenantContext | undefined, model: string, domain: unknown[], offset: number, limit: number | null, order: unknown, fields: string[], context?: Record<string, unknown>): Promise<Row[]>;
  /** The customer party of a hub customer id (`pty_…`) or customer code, with `addresses` and `customer_payment_term`. */
  partyByRef(ctx: TenantContext, ref: string): Promise<Row>;
  /** Posts the sale's draft customer invoices (credit notes included). */
  postSaleInvoices(ctx: TenantContext, saleId: number): Promise<void>;
  /** Flattens dotted fields of an answer. */
  flattenRow(row: Record<string, unknown>): Record<string, unknown>;
}

const RETURN_FIELDS = ['number', 'reference', 'state', 'shipment_returns', 'invoices'];
const EPS = 1e-9;
const num = (v: unknown) => (typeof v === 'number' ? v : v && typeof v === 'object' && 'decimal' in v ? Number((v as { decimal: string }).decimal) : Number(v ?? 0));

/**
 * `erpReturns` on Tryton 6.0: a return is a sale with negative quantities (`reference` = the hub's return reference),
 * invoiced on shipment, so Tryton makes a customer return shipment (`stock.shipment.out.return`) for it and, once the
 * goods are received, a credit note (an `out` invoice with negative quantities) that reaches the hub on the change feed
 * as `credit_memo.issued` with the return reference.
 */
export function createTrytonReturns(parts: TrytonReturnsParts): ErpReturns {
  const { rpc, config, searchRead, flattenRow } = parts;
  const call = <T = unknown>(ctx: TenantContext, method: string, args: unknown[], context?: Record<string, unknown>) => rpc.call<T>(ctx, method, args, context);
  const read = (ctx: TenantContext, model: string, ids: number[], fields: string[]) => (ids.length ? call<Row[]>(ctx, `model.${model}.read`, [ids, fields]) : Promise.resolve([] as Row[]));

  async function returnOf(ctx: TenantContext, sale: Row): Promise<ErpReturn> {
    const shipments = await read(ctx, 'stock.shipment.out.return', (sale.shipment_returns as number[] | undefined) ?? [], ['state']);
    const invoices = await read(ctx, 'account.invoice', (sale.invoices as number[] | undefined) ?? [], ['number', 'state']);
    return returnFromTryton({
      reference: String(sale.reference ?? ''),
      number: (sale.number as string | null) || String(sale.id),
      state: String(sale.state),
      shipmentStates: shipments.map((s) => String(s.state)),
      invoices: invoices.map((i) => ({ number: (i.number as string | null) || null, state: String(i.state) })),
    });
  }

  async function reloadSale(ctx: TenantContext, id: number): Promise<Row> {
    const [row] = await read(ctx, 'sale.sale', [id], RETURN_FIELDS);
    if (!row) throw trytonUnknownKeyError('return', String(id));
    return row;
  }

  /** Quotes and confirms a return sale that an earlier attempt left as draft or quotation. */
  async function confirm(ctx: TenantContext, sale: Row): Promise<Row> {
    let state = String(sale.state);
    if (state === 'draft') (await call(ctx, 'model.sale.sale.quote', [[sale.id]]), (state = 'quotation'));
    if (state === 'quotation') await call(ctx, 'model.sale.sale.confirm', [[sale.id]]);
    return reloadSale(ctx, sale.id);
  }

  /** The original sale's product lines (numbered 1… like the order's lines) for prices, when the return names it. */
  async function originalLines(ctx: TenantContext, rma: ReturnAuthorization): Promise<{ warehouse: number | null; lines: Row[] }> {
    const orderId = rma.lines.find((l) => l.salesOrderId)?.salesOrderId;
    if (!orderId) return { warehouse: null, lines: [] };
    const [sale] = await searchRead(ctx, 'sale.sale', [['reference', '=', orderId]], 0, 1, [['id', 'ASC']], ['warehouse'], { active_test: false });
    if (!sale) return { warehouse: null, lines: [] };
    const lines = await searchRead(ctx, 'sale.line', [['sale', '=', sale.id], ['type', '=', 'line'], ['product', '!=', null]], 0, null, [['sequence', 'ASC'], ['id', 'ASC']], ['product.code', 'unit_price']);
    return { warehouse: Number(sale.warehouse) || null, lines };
  }

  async function requestReturn(ctx: TenantContext, rma: ReturnAuthorization, reference: string): Promise<IdempotentResult<ErpReturn>> {
    const [existing] = await searchRead(ctx, 'sale.sale', [['reference', '=', reference]], 0, 1, [['id', 'ASC']], RETURN_FIELDS, { active_test: false });
    if (existing) return { record: await returnOf(ctx, await confirm(ctx, existing)), duplicate: true };
    const party = await parts.partyByRef(ctx, rma.customerId);
    const address = ((party.addresses as number[] | undefined) ?? [])[0];
    const original = await originalLines(ctx, rma);
    const [warehouse] = await searchRead(ctx, 'stock.location', [['type', '=', 'warehouse'], ['code', '=', rma.returnToLocationId]], 0, 1, [['id', 'ASC']], ['id']);
    const warehouseId = warehouse?.id ?? original.warehouse ?? (await searchRead(ctx, 'stock.location', [['type', '=', 'warehouse']], 0, 1, [['id', 'ASC']], ['id']))[0]?.id;
    const skus = [...new Set(rma.lines.map((l) => l.sku))];
    const products = await searchRead(ctx, 'product.product', [['code', 'in', skus]], 0, null, null, ['code', 'list_price', 'default_uom', 'template.sale_uom']);
    const symbols = [...new Set(rma.lines.map((l) => unitToTryton(l.unit, config.unitMap)).filter((s): s is string => !!s))];
    const uoms = symbols.length ? await searchRead(ctx, 'product.uom', [['symbol', 'in', symbols]], 0, null, null, ['symbol']) : [];
    const lines = rma.lines.map((l) => {
      const product = products.find((p) => p.code === l.sku);
      if (!product) throw trytonUnknownKeyError('product', l.sku);
      const sold = l.salesOrderLineNumber !== undefined ? original.lines[l.salesOrderLineNumber - 1] : undefined;
      const price = sold && flattenRow(sold)['product.code'] === l.sku ? sold.unit_price : product.list_price;
      const unit = uoms.find((u) => u.symbol === unitToTryton(l.unit, config.unitMap))?.id ?? flattenRow(product)['template.sale_uom'] ?? product.default_uom;
      return {
        type: 'line',
        sequence: l.lineNumber,
        product: product.id,
        quantity: -Number(l.quantity),
        unit,
        unit_price: price && typeof price === 'object' ? price : toTrytonDecimal(String(price ?? '0')),
        description: `${l.sku} returned: ${l.reason ?? l.reasonCode.replace(/_/g, ' ')}`.slice(0, 200),
      };
    });
    const [id] = await call<number[]>(ctx, 'model.sale.sale.create', [
      [
        {
          party: party.id,
          reference,
          description: `Return ${rma.rmaNumber}`.slice(0, 100),
          // the credit note covers what comes back, not what was announced
          invoice_method: 'shipment',
          shipment_method: 'order',
          ...(warehouseId ? { warehouse: warehouseId } : {}),
          ...(address ? { invoice_address: address, shipment_address: address } : {}),
          ...(party.customer_payment_term ? { payment_term: party.customer_payment_term } : {}),
          lines: [['create', lines]],
        },
      ],
    ]);
    parts.log.info({ reference, saleId: id }, 'return sale created in Tryton');
    return { record: await returnOf(ctx, await confirm(ctx, await reloadSale(ctx, id!))), duplicate: false };
  }

  async function receiveReturn(ctx: TenantContext, erpReturnNumber: string, received: Array<{ lineNumber: number; quantity: string }>): Promise<ErpReturn> {
    const domain = /^\d+$/.test(erpReturnNumber) ? ['OR', ['number', '=', erpReturnNumber], [['number', '=', null], ['id', '=', Number(erpReturnNumber)]]] : [['number', '=', erpReturnNumber]];
    const [sale] = await searchRead(ctx, 'sale.sale', domain, 0, 1, [['id', 'ASC']], RETURN_FIELDS, { active_test: false });
    if (!sale) throw trytonUnknownKeyError('return', erpReturnNumber);
    if (sale.state !== 'processing' && sale.state !== 'done') throw trytonStateError('RETURN_NOT_AUTHORIZED', `return ${erpReturnNumber} is ${String(sale.state)} in Tryton`, { erpReturnNumber, state: sale.state });
    const lines = await searchRead(ctx, 'sale.line', [['sale', '=', sale.id], ['type', '=', 'line'], ['product', '!=', null]], 0, null, [['sequence', 'ASC'], ['id', 'ASC']], ['sequence', 'quantity']);
    const moves = await searchRead(ctx, 'stock.move', [['origin', 'in', lines.map((l) => `sale.line,${l.id}`)], ['from_location.type', '=', 'customer']], 0, null, [['id', 'ASC']], ['origin', 'quantity', 'state', 'shipment']);
    // quantities are what has come back per line in all: what Tryton already received counts, so a retry receives nothing twice
    const targets = new Map<number, number>();
    for (const r of received) {
      const line = lines.find((l) => Number(l.sequence) === r.lineNumber) ?? lines[r.lineNumber - 1];
      if (!line) throw trytonUnknownKeyError('return line', `${erpReturnNumber}/${r.lineNumber}`);
      const done = moves.filter((m) => m.origin === `sale.line,${line.id}` && m.state === 'done').reduce((t, m) => t + num(m.quantity), 0);
      const want = Number(r.quantity) - done;
      if (Number(r.quantity) > Math.abs(num(line.quantity)) + EPS) throw trytonStateError('OVER_RETURN', `return ${erpReturnNumber} line ${r.lineNumber}: ${r.quantity} is more than the ${Math.abs(num(line.quantity))} authorized`, { erpReturnNumber, lineNumber: r.lineNumber });
      if (want > EPS) targets.set(line.id, want);
    }
    if (targets.size > 0) {
      const open = moves.filter((m) => m.state === 'draft' && typeof m.shipment === 'string' && m.shipment.startsWith('stock.shipment.out.return,'));
      const shipmentId = Number(String(open.find((m) => targets.has(Number(String(m.origin).split(',')[1])))?.shipment ?? '').split(',')[1]);
      if (!shipmentId) throw trytonStateError('NO_OPEN_RETURN_SHIPMENT', `return ${erpReturnNumber} has nothing left to receive in Tryton`, { erpReturnNumber });
      // what does not come back now leaves the shipment; Tryton expects it again on a new return shipment
      for (const move of open.filter((m) => String(m.shipment) === `stock.shipment.out.return,${shipmentId}`)) {
        const lineId = Number(String(move.origin).split(',')[1]);
        const want = targets.get(lineId) ?? 0;
        const quantity = num(move.quantity);
        if (want <= EPS) await call(ctx, 'model.stock.move.delete', [[move.id]]);
        else if (want + EPS < quantity) await call(ctx, 'model.stock.move.write', [[move.id], { quantity: want }]);
        else if (want > quantity + EPS) throw trytonStateError('OVER_RETURN', `return ${erpReturnNumber}: more received than expected on its return shipment`, { erpReturnNumber });
        targets.set(lineId, Math.max(0, want - quantity));
      }
      await call(ctx, 'model.stock.shipment.out.return.receive', [[shipmentId]]);
      await call(ctx, 'model.stock.shipment.out.return.done', [[shipmentId]]);
      parts.log.info({ erpReturnNumber, shipmentId }, 'return received in Tryton');
    }
    if (config.postInvoices) await parts.postSaleInvoices(ctx, sale.id);
    return returnOf(ctx, await reloadSale(ctx, sale.id));
  }

  return { requestReturn, receiveReturn };
}
