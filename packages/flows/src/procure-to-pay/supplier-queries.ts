import type { ProcureToPayTransactionRunner, ScorecardFact, SupplierQueries, SupplierScorecard } from '@tradelane/core';
import { supplierOf } from './invoices.js';
import type { P2pSettings } from './procure-to-pay.process.js';

function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const v = sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
  return Math.round(v * 100) / 100;
}

/**
 * A supplier's scorecard from recorded facts: acknowledgment latency (publication to first acknowledgment, median and
 * p90 hours), on-time ship notice rate (shipped no later than promised), fill rate (quantity shipped on time over
 * quantity ordered on the orders published in the period) and first-pass invoice match rate.
 */
export function scorecardOf(supplierId: string, period: { from: string; to: string }, facts: readonly ScorecardFact[]): SupplierScorecard {
  const published = facts.filter((f) => f.kind === 'published');
  const latencies = facts.filter((f) => f.kind === 'acknowledged').map((f) => Number(f.value.latencyHours)).sort((a, b) => a - b);
  const asnLines = facts.filter((f) => f.kind === 'asn');
  const asns = new Map<string, boolean>();
  for (const f of asnLines) asns.set(String(f.value.asnId), (asns.get(String(f.value.asnId)) ?? true) && f.value.onTime === true);
  const ordered = published.reduce((sum, f) => sum + Number(f.value.orderedQuantity), 0);
  const onTimeQty = asnLines.filter((f) => f.value.onTime === true).reduce((sum, f) => sum + Number(f.value.quantity), 0);
  const invoices = facts.filter((f) => f.kind === 'invoice');
  const round = (v: number) => Math.round(v * 10_000) / 10_000;
  return {
    supplierId,
    from: period.from,
    to: period.to,
    purchaseOrders: published.length,
    acknowledgmentLatency: { count: latencies.length, medianHours: quantile(latencies, 0.5), p90Hours: quantile(latencies, 0.9) },
    onTimeAsnRate: asns.size ? round([...asns.values()].filter(Boolean).length / asns.size) : null,
    fillRate: ordered > 0 ? round(Math.min(1, onTimeQty / ordered)) : null,
    invoiceFirstPassMatchRate: invoices.length ? round(invoices.filter((f) => f.value.firstPass === true).length / invoices.length) : null,
  };
}

/** The supplier's reads, from the read models, limited to the calling supplier's own documents. */
export function createSupplierQueries(transactions: ProcureToPayTransactionRunner, settings: P2pSettings): SupplierQueries {
  return {
    async listPurchaseOrders(ctx, query) {
      const supplierId = supplierOf(ctx);
      return transactions.transaction((tx) => tx.procureToPay.purchaseOrders.list(ctx, supplierId, query));
    },
    async getPurchaseOrder(ctx, idOrNumber) {
      const supplierId = supplierOf(ctx);
      const po = await transactions.transaction((tx) => tx.procureToPay.purchaseOrders.get(ctx, idOrNumber));
      return po && po.supplierId === supplierId ? po.view : null;
    },
    async getAsn(ctx, asnId) {
      const supplierId = supplierOf(ctx);
      const asn = await transactions.transaction((tx) => tx.procureToPay.asns.get(ctx, asnId));
      return asn && asn.supplierId === supplierId ? asn.view : null;
    },
    async getInvoice(ctx, invoiceId) {
      const supplierId = supplierOf(ctx);
      const inv = await transactions.transaction((tx) => tx.procureToPay.invoices.get(ctx, invoiceId));
      return inv && inv.supplierId === supplierId ? inv.view : null;
    },
    async scorecard(ctx, period) {
      const supplierId = supplierOf(ctx);
      const now = settings.clock.now();
      const to = period.to ?? now.toISOString();
      const from = period.from ?? new Date(Date.parse(to) - 90 * 86_400_000).toISOString();
      const facts = await transactions.transaction((tx) => tx.procureToPay.scorecard.list(ctx, supplierId, { from, to }));
      return scorecardOf(supplierId, { from, to }, facts);
    },
  };
}
