import type { Party } from '@tradelane/canonical';
import type { ErpPurchaseOrder, ErpPurchasing, ErpSupplierInvoice, Page, PageRequest } from '@tradelane/connector-kit';
import type { TenantContext } from '@tradelane/core';
import { erpNumberOf, simUnknownKeyError } from './errors.js';
import type { KeyResolver } from './key-resolver.js';
import { acknowledgmentToSim } from './mappers/acknowledgment.to-sim.js';
import { asnToSim } from './mappers/advance-ship-notice.to-sim.js';
import { expectedReceiptFromSim } from './mappers/expected-receipt.from-sim.js';
import { partyFromSim } from './mappers/party.from-sim.js';
import { purchaseOrderFromSim } from './mappers/purchase-order.from-sim.js';
import { receiptFromSim } from './mappers/receipt.from-sim.js';
import { receiptToSim } from './mappers/receipt.to-sim.js';
import { supplierInvoiceFromSim } from './mappers/supplier-invoice.from-sim.js';
import { supplierInvoiceToSim } from './mappers/supplier-invoice.to-sim.js';
import type { ErpSimTransport } from './transport/erp-sim-http.transport.js';
import type { SimExpectedReceipt, SimPurchaseOrder, SimReceipt, SimVoucher } from './wire/sim-purchasing.types.js';
import type { SimAddressRow, SimRowsPage } from './wire/sim-wire.types.js';

/** What the purchasing capability shares with the rest of the erp-sim connector. */
export interface ErpSimPurchasingParts {
  http: ErpSimTransport;
  keys: KeyResolver;
  /** Row offset of a cursor (`TL_ERP_SIM_BAD_CURSOR` when it is not one). */
  offsetOf(cursor: string | null | undefined): number;
  /** Page size of a request (the configured size when the caller gives none). */
  limitOf(page?: PageRequest): number;
  /** Maps each row; a row that does not map is logged and skipped. */
  mapRows<R, T>(rows: R[], map: (row: R) => T, what: string, keyOf: (row: R) => string): T[];
}

/**
 * The erp-sim connector's `erpPurchasing`: suppliers from the address book, purchase orders (with their canonical
 * documents), and the supplier's side written back — acknowledgments, ship notices as expected receipts, receipts and
 * supplier invoices as vouchers with the hub's match decision. Creates are idempotent in the ERP itself (ship notice
 * number and invoice number per supplier, the hub's receipt reference), so a retry after a lost answer is safe.
 */
export function createErpSimPurchasing(parts: ErpSimPurchasingParts): ErpPurchasing {
  const { http, keys } = parts;

  async function mapOrder(ctx: TenantContext, po: SimPurchaseOrder): Promise<ErpPurchaseOrder> {
    return purchaseOrderFromSim(po, { tenantId: ctx.tenantId, terms: await keys.terms(ctx) });
  }

  async function mapVoucher(ctx: TenantContext, voucher: SimVoucher): Promise<ErpSupplierInvoice> {
    return supplierInvoiceFromSim(voucher, { tenantId: ctx.tenantId, terms: await keys.terms(ctx) });
  }

  /** The voucher number of a hub invoice id (looked up by the ERP's copy of it) or of a voucher number. */
  async function voucherNumberOf(ctx: TenantContext, invoiceRef: string): Promise<number> {
    if (/^\d{1,9}$/.test(invoiceRef)) return Number(invoiceRef);
    const res = await http.request<{ VOUCHERS: SimVoucher[] }>(ctx, 'GET', '/vouchers', { query: { INVREF: invoiceRef } });
    const found = res.body.VOUCHERS[0];
    if (!found) throw simUnknownKeyError('supplier invoice', invoiceRef);
    return found.DOC;
  }

  return {
    async listSuppliers(ctx, page): Promise<Page<Party>> {
      const terms = await keys.terms(ctx);
      const res = await http.request<SimRowsPage<SimAddressRow>>(ctx, 'GET', '/address-book', { query: { AT1: 'V', start: parts.offsetOf(page?.cursor), max: parts.limitOf(page) } });
      return {
        items: parts.mapRows(res.body.ROWS, (row) => partyFromSim(row, { tenantId: ctx.tenantId, terms }), 'supplier', (r) => String(r.AN8)),
        nextCursor: res.body.NEXT === null ? null : String(res.body.NEXT),
      };
    },

    async listPurchaseOrders(ctx, page): Promise<Page<ErpPurchaseOrder>> {
      const terms = await keys.terms(ctx);
      const res = await http.request<{ ORDERS: SimPurchaseOrder[]; NEXT: number | null }>(ctx, 'GET', '/purchase-orders', {
        query: { start: parts.offsetOf(page?.cursor), max: parts.limitOf(page) },
      });
      return {
        items: parts.mapRows(res.body.ORDERS, (po) => purchaseOrderFromSim(po, { tenantId: ctx.tenantId, terms }), 'purchase order', (po) => String(po.DOCO)),
        nextCursor: res.body.NEXT === null ? null : String(res.body.NEXT),
      };
    },

    async findPurchaseOrder(ctx, poNumber) {
      if (!/^\d{1,9}$/.test(poNumber)) return null;
      const res = await http.request<{ ORDERS: SimPurchaseOrder[] }>(ctx, 'GET', '/purchase-orders', { query: { DOCO: poNumber } });
      const first = res.body.ORDERS[0];
      return first ? mapOrder(ctx, first) : null;
    },

    async applyAcknowledgment(ctx, poNumber, lines) {
      const doco = erpNumberOf(poNumber, 'purchase order');
      const res = await http.request<{ ORDER: SimPurchaseOrder }>(ctx, 'POST', `/purchase-orders/${doco}/acknowledgments`, { body: acknowledgmentToSim(lines) });
      return mapOrder(ctx, res.body.ORDER);
    },

    async recordExpectedReceipt(ctx, asn) {
      const an8 = await keys.supplierAn8(ctx, asn.supplierId);
      const res = await http.request<{ EXPECTED: SimExpectedReceipt }>(ctx, 'POST', '/expected-receipts', { body: asnToSim(asn, an8) });
      return { record: expectedReceiptFromSim(res.body.EXPECTED), duplicate: asn.purpose === 'original' && res.status === 200 };
    },

    async recordReceipt(ctx, receipt, reference) {
      const { doco, body } = receiptToSim(receipt, reference);
      const res = await http.request<{ RECEIPT: SimReceipt }>(ctx, 'POST', `/purchase-orders/${doco}/receipts`, { body });
      return { record: receiptFromSim(res.body.RECEIPT, ctx), duplicate: res.status === 200 };
    },

    async recordSupplierInvoice(ctx, invoice) {
      const an8 = await keys.supplierAn8(ctx, invoice.partyId);
      const res = await http.request<{ VOUCHER: SimVoucher }>(ctx, 'POST', '/vouchers', { body: supplierInvoiceToSim(invoice, an8) });
      return { record: await mapVoucher(ctx, res.body.VOUCHER), duplicate: res.status === 200 };
    },

    async setInvoiceMatchDecision(ctx, invoiceRef, decision, reason) {
      const doc = await voucherNumberOf(ctx, invoiceRef);
      const body = decision === 'approved' ? { MTCH: 'A' } : { MTCH: 'D', HRSN: (reason || 'disputed').slice(0, 200) };
      const res = await http.request<{ VOUCHER: SimVoucher }>(ctx, 'POST', `/vouchers/${doc}/match`, { body });
      return mapVoucher(ctx, res.body.VOUCHER);
    },
  };
}
