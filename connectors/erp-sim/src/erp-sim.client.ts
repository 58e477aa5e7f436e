import type { SalesOrder } from '@tradelane/canonical';
import type {
  ConnectorDeps,
  ConnectorInstance,
  CustomerCredit,
  ErpChange,
  ErpOrder,
  ErpReturn,
  IdempotentResult,
  Page,
  PageRequest,
} from '@tradelane/connector-kit';
import { describeError, PermanentError, TransientError, type TenantContext } from '@tradelane/core';
import { createErpSimPurchasing } from './erp-sim-purchasing.client.js';
import type { ErpSimConfig } from './erp-sim-config.schema.js';
import { erpNumberOf } from './errors.js';
import { KeyResolver } from './key-resolver.js';
import { changeFromSim } from './mappers/change.from-sim.js';
import { inventoryFromSim } from './mappers/inventory.from-sim.js';
import { itemFromSim } from './mappers/item.from-sim.js';
import { orderFromSim } from './mappers/order.from-sim.js';
import { partyFromSim } from './mappers/party.from-sim.js';
import { priceFromSim } from './mappers/price.from-sim.js';
import { returnFromSim } from './mappers/return.from-sim.js';
import { returnToSim } from './mappers/return.to-sim.js';
import { salesOrderToSim, type ResolvedOrderKeys } from './mappers/sales-order.to-sim.js';
import { createErpSimTransport, type ErpSimTransport } from './transport/erp-sim-http.transport.js';
import { isoToJulian, julianToIsoDateTime, toTimeOfDay } from './wire/julian-date.js';
import { formatLnid } from './wire/line-number.js';
import type {
  SimAddressRow,
  SimBalanceRow,
  SimChangesPage,
  SimCreditStanding,
  SimItemRow,
  SimOrder,
  SimPriceRow,
  SimReturn,
  SimRowsPage,
  SimStamp,
} from './wire/sim-wire.types.js';

/** The capabilities the erp-sim connector offers. */
export type ErpSimCapability = 'erpMasterData' | 'erpSalesOrders' | 'erpChangeFeed' | 'erpReturns' | 'erpPurchasing';

/** Most references remembered as "outcome unknown" (oldest forgotten first). */
const UNKNOWN_OUTCOME_LIMIT = 10_000;

function offsetOf(cursor: string | null | undefined): number {
  if (cursor === undefined || cursor === null || cursor === '') return 0;
  if (!/^\d{1,9}$/.test(cursor)) throw new PermanentError('TL_ERP_SIM_BAD_CURSOR', `erp-sim cursor must be a row offset or sequence number, got ${JSON.stringify(cursor)}`);
  return Number(cursor);
}


/**
 * Creates a connector instance talking to the simulator at `config.baseUrl`: master data, sales orders (exactly-once
 * commit), the change feed, returns and purchasing, all through one HTTP transport.
 */
export function createErpSimClient(deps: ConnectorDeps, config: ErpSimConfig, transport?: ErpSimTransport): ConnectorInstance<ErpSimCapability> {
  const http = transport ?? createErpSimTransport({ baseUrl: config.baseUrl, timeoutMs: config.timeoutMs });
  const keys = new KeyResolver(http, config.pageSize);
  /** References whose last create attempt ended without an answer: the order may exist. */
  const unknownOutcome = new Set<string>();
  let closed = false;

  const limitOf = (page?: PageRequest) => Math.min(Math.max(1, page?.limit ?? config.pageSize), 1000);

  /** Maps each row; a row that does not map is logged and skipped so one bad record does not block the rest. */
  function mapRows<R, T>(rows: R[], map: (row: R) => T, what: string, keyOf: (row: R) => string): T[] {
    const out: T[] = [];
    for (const row of rows) {
      try {
        out.push(map(row));
      } catch (err) {
        deps.log.error({ system: 'erp-sim', what, key: keyOf(row), error: describeError(err) }, 'erp-sim record skipped: it does not map');
      }
    }
    return out;
  }

  async function masterPage<R, T>(
    ctx: TenantContext,
    path: string,
    page: PageRequest | undefined,
    map: (row: R, body: SimRowsPage<R>) => T,
    what: string,
    keyOf: (row: R) => string,
    keep: (row: R) => boolean = () => true,
  ): Promise<Page<T>> {
    const res = await http.request<SimRowsPage<R>>(ctx, 'GET', path, { query: { start: offsetOf(page?.cursor), max: limitOf(page) } });
    return { items: mapRows(res.body.ROWS.filter(keep), (row) => map(row, res.body), what, keyOf), nextCursor: res.body.NEXT === null ? null : String(res.body.NEXT) };
  }

  async function findOrder(ctx: TenantContext, reference: string): Promise<ErpOrder | null> {
    const res = await http.request<{ ORDERS: SimOrder[] }>(ctx, 'GET', '/orders', { query: { EXTREF: reference } });
    const first = res.body.ORDERS[0];
    return first ? orderFromSim(first) : null;
  }

  async function resolveOrderKeys(ctx: TenantContext, order: SalesOrder): Promise<ResolvedOrderKeys> {
    const an8 = await keys.customerAn8(ctx, order.customerId);
    const shan = await keys.shipToAn8(ctx, order.shipTo);
    const items = new Map<number, { LITM: string } | { CITM: string }>();
    for (const line of order.lines) {
      if (line.sku) items.set(line.lineNumber, { LITM: line.sku });
      else if (line.customerPartNumber) items.set(line.lineNumber, { CITM: line.customerPartNumber });
      else if (line.itemId) items.set(line.lineNumber, { LITM: await keys.itemLitm(ctx, line.itemId) });
    }
    return { an8, shan, items };
  }

  function rememberUnknown(reference: string): void {
    unknownOutcome.delete(reference);
    unknownOutcome.add(reference);
    if (unknownOutcome.size > UNKNOWN_OUTCOME_LIMIT) unknownOutcome.delete(unknownOutcome.values().next().value!);
  }

  return {
    erpMasterData: {
      async listCustomers(ctx, page) {
        const terms = await keys.terms(ctx);
        // Suppliers share the address book; they are listed by erpPurchasing.listSuppliers.
        return masterPage<SimAddressRow, ReturnType<typeof partyFromSim>>(
          ctx,
          '/address-book',
          page,
          (row) => partyFromSim(row, { tenantId: ctx.tenantId, terms }),
          'address',
          (r) => String(r.AN8),
          (r) => r.AT1 !== 'V',
        );
      },
      listItems: (ctx, page) => masterPage<SimItemRow, ReturnType<typeof itemFromSim>>(ctx, '/items', page, (row) => itemFromSim(row, ctx), 'item', (r) => r.LITM),
      listPrices: (ctx, page) =>
        masterPage<SimPriceRow, ReturnType<typeof priceFromSim>>(ctx, '/prices', page, (row) => priceFromSim(row, ctx), 'price', (r) => `${r.PRBK}/${r.LITM}`),
      listInventory: (ctx, page) =>
        masterPage<SimBalanceRow, ReturnType<typeof inventoryFromSim>>(
          ctx,
          '/inventory',
          page,
          (row, body) => {
            const asOf = (body as SimRowsPage<SimBalanceRow> & { ASOF?: SimStamp }).ASOF;
            return inventoryFromSim(row, { tenantId: ctx.tenantId, asOf: asOf ? julianToIsoDateTime(asOf.UPMJ, asOf.TDAY) : deps.clock.now().toISOString() });
          },
          'balance',
          (r) => `${r.LITM}@${r.MCU}`,
        ),
      async getCustomerCredit(ctx, customerRef): Promise<CustomerCredit> {
        const an8 = await keys.customerAn8(ctx, customerRef);
        const res = await http.request<SimCreditStanding>(ctx, 'GET', `/customers/${an8}/credit`);
        const c = res.body;
        return { customerRef, onHold: c.HOLD !== '', holdReason: c.HOLD ? c.HOLDDS : undefined, creditLimit: c.ACL, exposure: c.EXPO, currency: c.CRCD };
      },
    },

    erpSalesOrders: {
      async commitOrder(ctx, order, reference): Promise<IdempotentResult<ErpOrder>> {
        if (unknownOutcome.has(reference)) {
          // The previous attempt may have committed: look before posting again.
          const existing = await findOrder(ctx, reference);
          if (existing) {
            unknownOutcome.delete(reference);
            return { record: existing, duplicate: true };
          }
        }
        const body = salesOrderToSim(order, reference, await resolveOrderKeys(ctx, order), { company: config.company, warehouse: config.defaultWarehouse });
        try {
          const res = await http.request<{ ORDER: SimOrder }>(ctx, 'POST', '/orders', { body });
          unknownOutcome.delete(reference);
          return { record: orderFromSim(res.body.ORDER), duplicate: res.status === 200 };
        } catch (err) {
          if (err instanceof TransientError) rememberUnknown(reference);
          throw err;
        }
      },
      findOrder,
      async changeOrder(ctx, erpOrderNumber, change) {
        const body = { LINES: change.lines.map((l) => ({ LNID: formatLnid(l.lineNumber), UORG: l.quantity })) };
        const res = await http.request<{ ORDER: SimOrder }>(ctx, 'PATCH', `/orders/${erpNumberOf(erpOrderNumber)}`, { body });
        return orderFromSim(res.body.ORDER);
      },
      async cancelOrder(ctx, erpOrderNumber, reason) {
        const res = await http.request<{ ORDER: SimOrder }>(ctx, 'POST', `/orders/${erpNumberOf(erpOrderNumber)}/cancel`, { body: { RCCD: 'CX', RSTX: reason.slice(0, 200) } });
        return orderFromSim(res.body.ORDER);
      },
      async confirmShipment(ctx, erpOrderNumber, shipment) {
        const shippedAt = new Date(shipment.shippedAt);
        const body = {
          SHPREF: shipment.reference,
          CARS: shipment.carrierCode,
          TRKN: shipment.trackingNumber,
          SHPJ: isoToJulian(shipment.shippedAt),
          SHTM: toTimeOfDay(shippedAt),
          LINES: shipment.lines.map((l) => ({ LNID: formatLnid(l.lineNumber), SOQS: l.quantity })),
        };
        const res = await http.request<{ ORDER: SimOrder }>(ctx, 'POST', `/orders/${erpNumberOf(erpOrderNumber)}/shipments`, { body });
        return orderFromSim(res.body.ORDER);
      },
    },

    erpChangeFeed: {
      async fetchChanges(ctx, page): Promise<Page<ErpChange>> {
        const after = offsetOf(page.cursor);
        const res = await http.request<SimChangesPage>(ctx, 'GET', '/changes', { query: { after, limit: limitOf(page) } });
        const changes = res.body.CHANGES;
        if (changes.length === 0) return { items: [], nextCursor: null };
        const terms = await keys.terms(ctx);
        const items = mapRows(changes, (c) => changeFromSim(c, { tenantId: ctx.tenantId, terms }), 'change', (c) => `${c.SEQ} ${c.TYP} ${c.KEY}`);
        return { items, nextCursor: String(changes[changes.length - 1]!.SEQ) };
      },
    },

    erpReturns: {
      async requestReturn(ctx, rma, reference): Promise<IdempotentResult<ErpReturn>> {
        const an8 = await keys.customerAn8(ctx, rma.customerId);
        const res = await http.request<{ RETURN: SimReturn }>(ctx, 'POST', '/returns', { body: returnToSim(rma, reference, an8) });
        return { record: returnFromSim(res.body.RETURN), duplicate: res.status === 200 };
      },
      async receiveReturn(ctx, erpReturnNumber, lines) {
        const body = { LINES: lines.map((l) => ({ LNID: formatLnid(l.lineNumber), QTY: l.quantity })) };
        const res = await http.request<{ RETURN: SimReturn }>(ctx, 'POST', `/returns/${erpNumberOf(erpReturnNumber, 'return')}/receipts`, { body });
        return returnFromSim(res.body.RETURN);
      },
    },

    erpPurchasing: createErpSimPurchasing({ http, keys, offsetOf, limitOf, mapRows }),

    async health() {
      if (closed) return { ok: false, detail: 'connector closed' };
      try {
        const res = await http.request<{ STATUS: string }>(undefined, 'GET', '/status');
        return res.body.STATUS === 'UP' ? { ok: true } : { ok: false, detail: `status ${res.body.STATUS}` };
      } catch (err) {
        return { ok: false, detail: describeError(err) };
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      http.close();
    },
  };
}
