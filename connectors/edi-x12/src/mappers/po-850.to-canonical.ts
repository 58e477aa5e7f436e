/**
 * EDI 850 (purchase order) to canonical documents. Inbound from a customer, an 850 becomes a sales order intake
 * (status `Received`, channel `edi`); read on the supplier side (the supplier simulator, round trips) it becomes the
 * purchase order it describes.
 */
import {
  type Contact,
  type DocumentParty,
  type Id,
  type Money,
  type PaymentTerms,
  type PurchaseOrder,
  type SalesOrder,
  type UnitOfMeasure,
  money,
  multiplyMoney,
  purchaseOrderSchema,
  roundMoney,
  salesOrderSchema,
  sumMoney,
} from '@tradelane/canonical';
import type { X12Segment, X12TransactionSet } from '../codec/x12.types.js';
import { productQualifiers, type PartnerProfile } from './partner-profile.schema.js';
import { contactFrom, documentParty, readPartyLoops, type X12PartyLoop } from './x12-party.reader.js';
import { type X12MappingContext, X12SetReader, contextTools, externalIdsFor, isoInstant } from './x12-set.reader.js';

/** One 850 line as read. */
export interface Po850Line {
  lineNumber: number;
  quantity: string;
  unit: UnitOfMeasure;
  /** PO104; undefined when the partner sends no price. */
  unitPrice: string | undefined;
  /** Our SKU (from the SKU qualifiers or a cross-reference). */
  sku: string | undefined;
  /** The partner's part number. */
  partnerPart: string | undefined;
  gtin: string | undefined;
  description: string | undefined;
  requestedDate: string | undefined;
  segment: X12Segment;
}

/** An 850 read into plain values, before it becomes a canonical document. */
export interface Po850 {
  /** BEG01 purpose (00 original, 05 replace, 01 cancel…). */
  purpose: string;
  /** BEG02 order type (SA stand-alone, DS drop ship…). */
  orderType: string;
  poNumber: string;
  orderDate: string;
  currency: string;
  terms: PaymentTerms | undefined;
  requestedDate: string | undefined;
  carrier: { code: string; name?: string } | undefined;
  buyer: Contact | undefined;
  parties: X12PartyLoop[];
  notes: string | undefined;
  lines: Po850Line[];
  reader: X12SetReader;
}

/** Reads ITD into payment terms (ITD01 type, ITD03 discount %, ITD05 discount days, ITD07 net days, ITD12 text). */
export function readTerms(r: X12SetReader, itd: X12Segment | undefined, fallback: PaymentTerms | undefined): PaymentTerms | undefined {
  if (!itd) return fallback;
  const netDays = r.text(itd, 7);
  if (!/^\d{1,3}$/.test(netDays)) return fallback;
  const terms: PaymentTerms = { code: r.text(itd, 1) || 'ITD', netDays: Math.min(365, Number(netDays)) };
  const pct = r.decimal(itd, 3);
  const days = r.text(itd, 5);
  if (pct !== undefined && /^\d{1,3}$/.test(days) && /^(?:0|[1-9]\d?)(?:\.\d{1,2})?$/.test(pct)) {
    terms.discountPercent = pct;
    terms.discountDays = Number(days);
  }
  const text = r.text(itd, 12);
  if (text) terms.description = text.slice(0, 120);
  return terms;
}

function skuFromIds(ids: Array<{ qualifier: string; value: string }>, profile: PartnerProfile): { sku?: string; partnerPart?: string; gtin?: string } {
  const q = productQualifiers(profile);
  const pick = (quals: readonly string[]): string | undefined => {
    for (const qual of quals) {
      const hit = ids.find((i) => i.qualifier === qual);
      if (hit) return hit.value;
    }
    return undefined;
  };
  const partnerPart = pick(q.partnerPart);
  let sku = pick(q.sku);
  if (!sku && partnerPart) sku = profile.crossReferences.items.find((x) => x.partnerPart === partnerPart)?.sku;
  const gtin = pick(q.gtin);
  return { ...(sku ? { sku } : {}), ...(partnerPart ? { partnerPart } : {}), ...(gtin ? { gtin } : {}) };
}

/** Resolves product ids of a line: our SKU, the partner's part and a GTIN. */
export function productIdsOf(r: X12SetReader, seg: X12Segment, from: number, profile: PartnerProfile): { sku?: string; partnerPart?: string; gtin?: string } {
  return skuFromIds(r.productIds(seg, from), profile);
}

/**
 * Reads an 850 into plain values (every problem is a mapping error naming segment, position and element).
 * @example const po = read850(set, profile); po.lines[0]?.quantity
 */
export function read850(set: X12TransactionSet, profile: PartnerProfile): Po850 {
  const r: X12SetReader = new X12SetReader(set, '850');
  const beg = r.require('BEG');
  const header = r.before('PO1');
  const cur = r.first('CUR', header);
  const currency = cur ? r.requireText(cur, 2, 'currency') : profile.defaults.currency;
  if (!/^[A-Z]{3}$/.test(currency)) r.fail(cur, 2, `currency "${currency}" is not an ISO 4217 code`);
  const td5 = r.first('TD5', header);
  const scac = td5 ? r.text(td5, 3) : '';
  const per = r.all('PER', header).find((p) => r.text(p, 1) === 'BD' || r.text(p, 1) === 'PD');
  const dtm = r.firstWith('DTM', 1, '002', header) ?? r.firstWith('DTM', 1, '010', header);
  const notes = r
    .all('MSG', header)
    .map((m) => r.text(m, 1))
    .concat(r.all('NTE', header).map((n) => r.text(n, 2)))
    .filter(Boolean)
    .join('\n');
  const lines: Po850Line[] = [];
  const loops = r.loops('PO1', ['CTT', 'AMT']);
  if (loops.length === 0) r.fail('PO1', undefined, 'an 850 needs at least one PO1 line');
  loops.forEach((loop, i) => {
    const po1 = loop[0] as X12Segment;
    const assigned = r.text(po1, 1);
    const lineNumber = /^\d{1,5}$/.test(assigned) && Number(assigned) > 0 ? Number(assigned) : i + 1;
    const ids = productIdsOf(r, po1, 6, profile);
    const pid = r.all('PID', loop).find((p) => r.text(p, 5));
    const ldtm = r.firstWith('DTM', 1, '002', loop) ?? r.firstWith('DTM', 1, '010', loop);
    lines.push({
      lineNumber,
      quantity: r.quantity(po1, 2, 'quantity ordered'),
      unit: r.unit(po1, 3, profile),
      unitPrice: r.text(po1, 4) ? r.price(po1, 4, 'unit price') : undefined,
      sku: ids.sku,
      partnerPart: ids.partnerPart,
      gtin: ids.gtin,
      description: pid ? r.text(pid, 5).slice(0, 200) : undefined,
      requestedDate: ldtm ? r.date(ldtm, 2) : undefined,
      segment: po1,
    });
  });
  const seen = new Set<number>();
  for (const l of lines) {
    if (seen.has(l.lineNumber)) r.fail(l.segment, 1, `line number ${l.lineNumber} is used twice`);
    seen.add(l.lineNumber);
  }
  return {
    purpose: r.text(beg, 1),
    orderType: r.text(beg, 2),
    poNumber: r.requireText(beg, 3, 'purchase order number'),
    orderDate: r.requireDate(beg, 5, 'purchase order date'),
    currency,
    terms: readTerms(r, r.first('ITD', header), profile.defaults.paymentTerms),
    requestedDate: dtm ? r.date(dtm, 2) : undefined,
    carrier: td5 && /^[A-Z0-9]{2,4}$/.test(scac) ? { code: scac, ...(r.text(td5, 5) ? { name: r.text(td5, 5).slice(0, 80) } : {}) } : undefined,
    buyer: per && r.text(per, 2) ? contactFrom(r, per) : undefined,
    parties: readPartyLoops(r, r.before('PO1'), profile),
    notes: notes ? notes.slice(0, 2000) : undefined,
    lines,
    reader: r,
  };
}

function lineMoney(price: string | undefined, currency: string): Money {
  return money(price ?? '0', currency);
}

function totalsOf(lines: ReadonlyArray<{ quantity: string; unitPrice: Money }>, currency: string): SalesOrder['totals'] {
  const subtotal = roundMoney(sumMoney(lines.map((l) => multiplyMoney(l.unitPrice, l.quantity)), currency));
  const zero = money('0', currency);
  return { subtotal, tax: zero, freight: zero, total: subtotal };
}

function party(po: Po850, entities: readonly string[]): X12PartyLoop | undefined {
  for (const e of entities) {
    const hit = po.parties.find((p) => p.entity === e);
    if (hit) return hit;
  }
  return undefined;
}

/** A sales order as taken in from a customer's 850: status `Received`, nothing validated against master data yet. */
export type SalesOrderIntake = SalesOrder & { status: 'Received' };

/**
 * A customer's 850 as a sales order intake. Lines carry our SKU when the customer sends it (or a cross-reference
 * resolves its part number) and always the customer's part number when present; a missing PO104 price becomes 0,
 * for the order-to-cash validation to price from the contract.
 * @example const order = x12850ToSalesOrderIntake(set, { tenantId: 'acme', profile: customerProfile });
 */
export function x12850ToSalesOrderIntake(set: X12TransactionSet, ctx: X12MappingContext): SalesOrderIntake {
  const po = read850(set, ctx.profile);
  const r: X12SetReader = po.reader;
  const { now, id, partyId } = contextTools(ctx);
  const shipToLoop = party(po, ['ST']);
  if (!shipToLoop) r.fail('N1', undefined, 'N1*ST (ship-to) is missing');
  const shipTo = documentParty(r, shipToLoop);
  const billToLoop = party(po, ['BT', 'BY']);
  const billTo: DocumentParty | undefined = billToLoop?.address ? documentParty(r, billToLoop) : ctx.profile.defaults.orderBillTo;
  if (!billTo) r.fail(billToLoop?.segment ?? 'N1', undefined, 'no bill-to: send N1*BT with N3/N4, or set defaults.orderBillTo in the partner profile');
  const lines: SalesOrder['lines'] = po.lines.map((l) => {
    if (!l.sku && !l.partnerPart) r.fail(l.segment, 7, 'the line has no product id our SKU or the customer part can be read from');
    return {
      lineNumber: l.lineNumber,
      ...(l.sku ? { sku: l.sku } : {}),
      ...(l.partnerPart ? { customerPartNumber: l.partnerPart.slice(0, 48) } : {}),
      ...(l.description ? { description: l.description } : {}),
      quantity: l.quantity,
      unit: l.unit,
      unitPrice: lineMoney(l.unitPrice, po.currency),
      ...(l.requestedDate ?? po.requestedDate ? { requestedDate: (l.requestedDate ?? po.requestedDate) as string } : {}),
      status: 'Open',
    };
  });
  const at = isoInstant(now);
  const order = {
    schemaVersion: 1 as const,
    id: id('so'),
    tenantId: ctx.tenantId,
    customerId: partyId,
    customerPoNumber: po.poNumber,
    channel: 'edi' as const,
    status: 'Received' as const,
    orderedAt: `${po.orderDate}T00:00:00Z`,
    ...(po.requestedDate ? { requestedDeliveryDate: po.requestedDate } : {}),
    shipTo,
    billTo,
    currency: po.currency,
    ...(po.terms ? { paymentTerms: po.terms } : {}),
    ...(po.carrier ? { requestedCarrier: po.carrier } : {}),
    shipComplete: false,
    lines,
    totals: totalsOf(lines, po.currency),
    holds: [],
    shipments: [],
    ...(po.notes ? { notes: po.notes } : {}),
    externalIds: externalIdsFor(ctx, r),
    createdAt: at,
    updatedAt: at,
  };
  const parsed = salesOrderSchema.safeParse(order);
  if (!parsed.success) r.schemaFailure('sales order', parsed.error.issues);
  return parsed.data as SalesOrderIntake;
}

/** Extra inputs to rebuild a purchase order from an 850. */
export interface Po850ToPurchaseOrderOptions {
  /** Id of the purchase order. @default a new `po_` id */
  purchaseOrderId?: Id<'po'> | undefined;
  /** Revision. @default 0 */
  revision?: number | undefined;
  /** Our item id for a SKU (purchase order lines need one); cross-references with an itemId are tried first. */
  itemIdForSku?: ((sku: string) => Id<'itm'> | undefined) | undefined;
}

/**
 * An 850 read back as the purchase order it describes (the supplier's view, or a round trip of ours). The
 * context's party is the supplier.
 * @example const po = x12850ToPurchaseOrder(set, { tenantId, profile, partyId: supplierId }, { itemIdForSku });
 */
export function x12850ToPurchaseOrder(set: X12TransactionSet, ctx: X12MappingContext, options: Po850ToPurchaseOrderOptions = {}): PurchaseOrder {
  const po = read850(set, ctx.profile);
  const r: X12SetReader = po.reader;
  const { now, id, partyId } = contextTools(ctx);
  const shipToLoop = party(po, ['ST']);
  if (!shipToLoop) r.fail('N1', undefined, 'N1*ST (ship-to) is missing');
  const shipTo = documentParty(r, shipToLoop);
  const code = shipToLoop.code ?? '';
  const shipToLocationId = ctx.profile.crossReferences.locations.find((l) => l.partnerCode === code)?.locationId ?? code;
  if (!shipToLocationId) r.fail(shipToLoop.segment, 4, 'N1*ST has no location code (N104)');
  const billToLoop = party(po, ['BT']);
  const lines: PurchaseOrder['lines'] = po.lines.map((l) => {
    if (!l.sku) r.fail(l.segment, 7, 'the line carries no SKU of ours');
    const xref = ctx.profile.crossReferences.items.find((x) => x.sku === l.sku && x.itemId);
    const itemId = (xref?.itemId as Id<'itm'> | undefined) ?? options.itemIdForSku?.(l.sku);
    if (!itemId) r.fail(l.segment, 7, `no item id is known for SKU ${l.sku}`);
    const requestedDate = l.requestedDate ?? po.requestedDate;
    if (!requestedDate) r.fail(l.segment, undefined, 'no requested date (DTM*002) for the line or the order');
    return {
      lineNumber: l.lineNumber,
      itemId,
      sku: l.sku,
      ...(l.partnerPart ? { supplierPartNumber: l.partnerPart } : {}),
      ...(l.description ? { description: l.description } : {}),
      quantity: l.quantity,
      unit: l.unit,
      unitPrice: lineMoney(l.unitPrice, po.currency),
      requestedDate,
      status: 'Open',
    };
  });
  const at = isoInstant(now);
  const doc = {
    schemaVersion: 1 as const,
    id: options.purchaseOrderId ?? id('po'),
    tenantId: ctx.tenantId,
    poNumber: po.poNumber,
    revision: options.revision ?? 0,
    supplierId: partyId,
    status: 'Published' as const,
    orderedAt: `${po.orderDate}T00:00:00Z`,
    ...(po.buyer ? { buyer: po.buyer } : {}),
    channel: 'edi' as const,
    currency: po.currency,
    ...(po.terms ? { paymentTerms: po.terms } : {}),
    shipToLocationId,
    shipTo,
    ...(billToLoop?.address ? { billTo: documentParty(r, billToLoop) } : {}),
    ...(po.carrier ? { requestedCarrier: po.carrier } : {}),
    lines,
    totals: totalsOf(lines, po.currency),
    ...(po.notes ? { notes: po.notes } : {}),
    externalIds: externalIdsFor(ctx, r),
    createdAt: at,
    updatedAt: at,
  };
  const parsed = purchaseOrderSchema.safeParse(doc);
  if (!parsed.success) r.schemaFailure('purchase order', parsed.error.issues);
  return parsed.data;
}
