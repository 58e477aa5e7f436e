import { addDecimal, compareDecimal, gs1CheckDigit, newId, type AdvanceShipNotice, type Receipt } from '@tradelane/canonical';
import type { InboundNotice } from '@tradelane/connector-kit';
import {
  InputError,
  NotFoundError,
  type AsnSubmission,
  type AsnView,
  type ProcureToPayTransactionRunner,
  type ProcureToPayTx,
  type StoredAsn,
  type StoredPurchaseOrder,
  type TenantContext,
} from '@tradelane/core';
import { refreshSupply, repromise } from './impact.js';
import { assertDate, assertQuantity, supplierOf } from './invoices.js';
import { emit, p2pEventTypes, requestErp, toleranceOf, touch, type P2pSettings } from './procure-to-pay.process.js';

function assertAsnShape(s: AsnSubmission): void {
  if (!s || typeof s.asnNumber !== 'string' || s.asnNumber.trim() === '' || s.asnNumber.length > 40) throw new InputError('TL_P2P_BAD_ASN', 'asnNumber is required (at most 40 characters)', { field: 'asnNumber' });
  assertDate(s.shipDate, 'shipDate');
  assertDate(s.expectedDeliveryDate, 'expectedDeliveryDate');
  if (s.expectedDeliveryDate < s.shipDate) throw new InputError('TL_P2P_BAD_ASN', 'expectedDeliveryDate is before shipDate', { field: 'expectedDeliveryDate' });
  if (s.carrierCode !== undefined && !/^[A-Z0-9]{2,4}$/.test(s.carrierCode)) throw new InputError('TL_P2P_BAD_ASN', 'carrierCode must be a 2-4 character SCAC', { field: 'carrierCode' });
  if (!Array.isArray(s.lines) || s.lines.length === 0) throw new InputError('TL_P2P_BAD_ASN', 'a ship notice needs at least one line', { field: 'lines' });
  const seen = new Set<string>();
  s.lines.forEach((l, i) => {
    if (typeof l.poNumber !== 'string' || l.poNumber === '') throw new InputError('TL_P2P_BAD_ASN', `lines[${i}].poNumber is required`, { field: `lines[${i}].poNumber` });
    if (!Number.isInteger(l.lineNumber)) throw new InputError('TL_P2P_BAD_ASN', `lines[${i}].lineNumber must be an integer`, { field: `lines[${i}].lineNumber` });
    const key = `${l.poNumber}#${l.lineNumber}`;
    if (seen.has(key)) throw new InputError('TL_P2P_BAD_ASN', `lines[${i}]: PO ${l.poNumber} line ${l.lineNumber} appears twice`, { field: `lines[${i}]` });
    seen.add(key);
    assertQuantity(l.quantity, `lines[${i}].quantity`);
  });
}

function sscc(seed: string, index: number): string {
  let n = 0;
  for (const ch of seed) n = (n * 31 + ch.charCodeAt(0)) % 1_000_000_000;
  const body = `00${String(n).padStart(9, '0')}${String(index).padStart(6, '0')}`.slice(0, 17);
  return `${body}${gs1CheckDigit(body)}`;
}

/** The canonical ship notice the ERP records (one pack per purchase order). */
export function canonicalAsn(ctx: TenantContext, view: AsnView, supplierId: string, warehouseId: string, supplierName: string, lot: Map<string, string | undefined>): AdvanceShipNotice {
  const byPo = new Map<string, AsnView['lines']>();
  for (const l of view.lines) byPo.set(l.poNumber, [...(byPo.get(l.poNumber) ?? []), l]);
  return {
    schemaVersion: 1,
    id: view.id as AdvanceShipNotice['id'],
    tenantId: ctx.tenantId,
    asnNumber: view.asnNumber,
    supplierId: supplierId as AdvanceShipNotice['supplierId'],
    purpose: 'original',
    shipFrom: { partyId: supplierId as never, name: supplierName, address: { line1: '-', city: '-', country: 'US' } } as AdvanceShipNotice['shipFrom'],
    shipToLocationId: warehouseId,
    carrier: { code: view.carrierCode ?? 'UNKN' },
    ...(view.trackingNumber ? { trackingNumber: view.trackingNumber } : {}),
    shippedAt: `${view.shipDate}T00:00:00.000Z`,
    expectedDeliveryDate: view.expectedDeliveryDate,
    orders: [...byPo.entries()].map(([poNumber, lines], i) => ({
      poNumber,
      packs: [
        {
          sscc: sscc(view.id, i),
          packaging: 'pallet' as const,
          items: lines.map((l) => {
            const lotNumber = lot.get(`${l.poNumber}#${l.lineNumber}`);
            return { lineNumber: l.lineNumber, sku: l.sku, quantity: l.quantity, unit: l.unit as never, ...(lotNumber ? { lot: lotNumber } : {}) };
          }),
        },
      ],
    })),
    receivedVia: 'api',
    receivedAt: view.receivedAt,
    externalIds: {},
  } as AdvanceShipNotice;
}

/**
 * A supplier's ship notice: deduplicated by ASN number, checked against the supplier's own purchase orders (line,
 * SKU, unit, over-shipment beyond the quantity tolerance), recorded on the orders and in inbound supply, queued for
 * the ERP (expected receipt) and the warehouse (inbound announcement), and customer promises re-promised when the
 * supply moved later.
 */
export async function submitAsn(ctx: TenantContext, transactions: ProcureToPayTransactionRunner, settings: P2pSettings, s: AsnSubmission): Promise<AsnView> {
  const supplierId = supplierOf(ctx);
  assertAsnShape(s);
  return transactions.transaction(async (tx) => {
    const repos = tx.procureToPay;
    const existing = await repos.asns.findByNumber(ctx, supplierId, s.asnNumber);
    if (existing) return { ...existing.view, duplicate: true };
    const profile = await toleranceOf(ctx, tx, settings, supplierId);
    const orders = new Map<string, StoredPurchaseOrder>();
    const lines: AsnView['lines'] = [];
    for (const [i, l] of s.lines.entries()) {
      let po = orders.get(l.poNumber);
      if (!po) {
        const found = await repos.purchaseOrders.get(ctx, l.poNumber, { forUpdate: true });
        if (!found || found.supplierId !== supplierId) throw new InputError('TL_P2P_UNKNOWN_PO', `purchase order ${l.poNumber} is not one of yours`, { field: `lines[${i}].poNumber` });
        if (found.erpStatus === 'Cancelled' || found.erpStatus === 'Closed') throw new InputError('TL_P2P_PO_CLOSED', `purchase order ${found.poNumber} is ${found.erpStatus.toLowerCase()}`, { field: `lines[${i}].poNumber` });
        po = found;
        orders.set(l.poNumber, po);
      }
      const line = po.view.lines.find((x) => x.lineNumber === l.lineNumber);
      if (!line) throw new InputError('TL_P2P_UNKNOWN_LINE', `purchase order ${po.poNumber} has no line ${l.lineNumber}`, { field: `lines[${i}].lineNumber` });
      if (line.status === 'Rejected' || line.status === 'Cancelled') throw new InputError('TL_P2P_LINE_CLOSED', `purchase order ${po.poNumber} line ${l.lineNumber} is ${line.status.toLowerCase()}`, { field: `lines[${i}].lineNumber` });
      if (l.sku !== line.sku) throw new InputError('TL_P2P_SKU_MISMATCH', `purchase order ${po.poNumber} line ${l.lineNumber} is ${line.sku}, not ${l.sku}`, { field: `lines[${i}].sku` });
      if (l.unit !== line.unit) throw new InputError('TL_P2P_UNIT_MISMATCH', `purchase order ${po.poNumber} line ${l.lineNumber} is ordered in ${line.unit}, not ${l.unit}`, { field: `lines[${i}].unit` });
      const committed = line.quantityAcknowledged ?? line.quantity;
      const shipped = addDecimal(po.shipped[String(l.lineNumber)] ?? '0', l.quantity);
      if (Number(shipped) > Number(committed) * (1 + profile.quantityOverPct / 100)) {
        throw new InputError('TL_P2P_OVER_SHIPMENT', `purchase order ${po.poNumber} line ${l.lineNumber}: ${shipped} ${line.unit} shipped in all exceeds ${committed} committed by more than ${profile.quantityOverPct}%`, { field: `lines[${i}].quantity`, committed, shipped });
      }
      lines.push({ poNumber: po.poNumber, lineNumber: l.lineNumber, sku: l.sku, quantity: l.quantity, unit: l.unit, quantityReceived: '0' });
    }
    const now = settings.clock.now();
    const at = now.toISOString();
    const id = newId('asn', now.getTime());
    const view: AsnView = {
      id,
      asnNumber: s.asnNumber,
      status: 'InTransit',
      shipDate: s.shipDate,
      expectedDeliveryDate: s.expectedDeliveryDate,
      ...(s.carrierCode ? { carrierCode: s.carrierCode } : {}),
      ...(s.trackingNumber ? { trackingNumber: s.trackingNumber } : {}),
      lines,
      receivedAt: at,
    };
    await repos.asns.insert(ctx, { id, supplierId, view, receiptRefs: [] });
    const warehouses = new Set<string>();
    const skus = new Set<string>();
    for (const po of orders.values()) {
      warehouses.add(po.warehouseId);
      const mine = lines.filter((l) => l.poNumber === po.poNumber);
      const shipped = { ...po.shipped };
      const asnDates = { ...po.asnDates };
      for (const l of mine) {
        shipped[String(l.lineNumber)] = addDecimal(shipped[String(l.lineNumber)] ?? '0', l.quantity);
        asnDates[String(l.lineNumber)] = s.expectedDeliveryDate;
        const line = po.view.lines.find((x) => x.lineNumber === l.lineNumber)!;
        const promised = line.promisedDate ?? line.requestedDate;
        await repos.scorecard.record(ctx, { supplierId, kind: 'asn', key: `asn:${id}:${po.poNumber}:${l.lineNumber}`, at, value: { asnId: id, quantity: l.quantity, onTime: s.shipDate <= promised, promisedDate: promised } });
      }
      const next = touch(
        {
          ...po,
          shipped,
          asnDates,
          view: { ...po.view, lines: po.view.lines.map((line) => (shipped[String(line.lineNumber)] && mine.some((m) => m.lineNumber === line.lineNumber) ? { ...line, quantityShipped: compareDecimal(shipped[String(line.lineNumber)]!, line.quantityShipped) > 0 ? shipped[String(line.lineNumber)]! : line.quantityShipped, status: 'Shipped' } : line)) },
        },
        now,
      );
      await repos.purchaseOrders.upsert(ctx, next);
      orders.set(po.poNumber, next);
      for (const sku of await refreshSupply(ctx, tx, next)) skus.add(sku);
    }
    const first = [...orders.values()][0]!;
    const warehouseId = first.warehouseId;
    const asn = canonicalAsn(ctx, view, supplierId, warehouseId, supplierId, new Map(s.lines.map((l) => [`${l.poNumber}#${l.lineNumber}`, l.lot])));
    const notice: InboundNotice = { reference: id, asnNumber: s.asnNumber, supplierId, warehouseId, expectedDate: s.expectedDeliveryDate, lines: lines.map((l) => ({ poNumber: l.poNumber, lineNumber: l.lineNumber, sku: l.sku, quantity: l.quantity, unit: l.unit })) };
    await requestErp(ctx, tx, settings, { op: 'asn', poNumbers: [...orders.keys()], asn, notice });
    await emit(ctx, tx, settings, p2pEventTypes.asnReceived, id, { asn }, { type: 'asn', id }, supplierId);
    for (const sku of skus) await repromise(ctx, tx, settings, sku, `ship notice ${s.asnNumber} expects delivery ${s.expectedDeliveryDate}`, 'hub');
    return view;
  });
}

/**
 * Goods received against a ship notice (what the warehouse reports, or an operator on its behalf): queues one ERP
 * receipt per purchase order with a deterministic reference, so a repeated report records nothing twice.
 */
export async function receiveAsn(ctx: TenantContext, tx: ProcureToPayTx, settings: P2pSettings, asnId: string, received: { at: string; warehouseId?: string | undefined; lines?: Array<{ poNumber: string; lineNumber: number; quantity: string }> | undefined }): Promise<StoredAsn> {
  const asn = await tx.procureToPay.asns.get(ctx, asnId, { forUpdate: true });
  if (!asn) throw new NotFoundError('TL_P2P_ASN_NOT_FOUND', `ship notice ${asnId} does not exist`, { asnId });
  const lines = received.lines ?? asn.view.lines.map((l) => ({ poNumber: l.poNumber, lineNumber: l.lineNumber, quantity: l.quantity }));
  const byPo = new Map<string, typeof lines>();
  for (const l of lines) byPo.set(l.poNumber, [...(byPo.get(l.poNumber) ?? []), l]);
  for (const [poNumber, poLines] of byPo) {
    const po = await tx.procureToPay.purchaseOrders.get(ctx, poNumber);
    if (!po) continue;
    const reference = `${asn.id}:${poNumber}:${received.at}`;
    const receipt: Receipt = {
      purchaseOrderId: po.id as Receipt['purchaseOrderId'],
      poNumber,
      asnId: asn.id as Receipt['asnId'],
      locationId: received.warehouseId ?? po.warehouseId,
      receivedAt: received.at,
      lines: poLines.map((l) => ({ lineNumber: l.lineNumber, sku: po.view.lines.find((x) => x.lineNumber === l.lineNumber)?.sku ?? '', quantity: l.quantity, unit: (po.view.lines.find((x) => x.lineNumber === l.lineNumber)?.unit ?? 'EA') as never })),
    };
    await requestErp(ctx, tx, settings, { op: 'receipt', poNumber, receipt, reference });
  }
  return asn;
}

/** Counts a receipt the ERP recorded against the ship notice it closes (once per receipt reference). */
export async function countReceiptOnAsn(ctx: TenantContext, tx: ProcureToPayTx, receipt: Receipt, reference: string): Promise<void> {
  if (!receipt.asnId) return;
  const asn = await tx.procureToPay.asns.get(ctx, receipt.asnId, { forUpdate: true });
  if (!asn || asn.receiptRefs.includes(reference)) return;
  const lines = asn.view.lines.map((l) => {
    const r = receipt.poNumber === l.poNumber ? receipt.lines.find((x) => x.lineNumber === l.lineNumber) : undefined;
    return r ? { ...l, quantityReceived: addDecimal(l.quantityReceived, r.quantity) } : l;
  });
  const all = lines.every((l) => compareDecimal(l.quantityReceived, l.quantity) >= 0);
  const some = lines.some((l) => compareDecimal(l.quantityReceived, '0') > 0);
  await tx.procureToPay.asns.save(ctx, { ...asn, receiptRefs: [...asn.receiptRefs, reference], view: { ...asn.view, lines, status: all ? 'Received' : some ? 'PartiallyReceived' : asn.view.status } });
}
