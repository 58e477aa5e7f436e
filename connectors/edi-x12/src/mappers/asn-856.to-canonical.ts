/**
 * EDI 856 (ship notice) to a canonical AdvanceShipNotice. The HL hierarchy is rebuilt from HL01/HL02 (any order
 * of S shipment, O order, T tare/pallet, P pack, I item levels); packs are identified by MAN*GM SSCC-18 labels.
 */
import {
  type AdvanceShipNotice,
  type Id,
  advanceShipNoticeSchema,
  gtinSchema,
  hasValidGs1CheckDigit,
} from '@tradelane/canonical';
import type { X12Segment, X12TransactionSet } from '../codec/x12.types.js';
import { productIdsOf } from './po-850.to-canonical.js';
import { documentParty, readPartyLoops } from './x12-party.reader.js';
import { utcOffsetByTimeCode } from './x12-code.maps.js';
import { type X12MappingContext, X12SetReader, contextTools, externalIdsFor, isoInstant } from './x12-set.reader.js';

/** One HL node with the segments it owns. */
export interface HlNode {
  id: string;
  parentId: string | undefined;
  level: string;
  hl: X12Segment;
  segments: X12Segment[];
  children: HlNode[];
  parent: HlNode | undefined;
}

/** Rebuilds the HL tree of a set; every structural problem is a mapping error naming the HL. */
export function readHlTree(r: X12SetReader): { roots: HlNode[]; nodes: HlNode[]; header: X12Segment[] } {
  const nodes: HlNode[] = [];
  const byId = new Map<string, HlNode>();
  const header: X12Segment[] = [];
  let current: HlNode | undefined;
  for (const s of r.segments) {
    if (s.tag === 'HL') {
      const id = r.requireText(s, 1, 'hierarchical id');
      if (byId.has(id)) r.fail(s, 1, `hierarchical id ${id} is used twice`);
      const parentId = r.text(s, 2) || undefined;
      const parent = parentId === undefined ? undefined : byId.get(parentId);
      if (parentId !== undefined && !parent) r.fail(s, 2, `parent ${parentId} is not an earlier HL`);
      current = { id, parentId, level: r.requireText(s, 3, 'hierarchical level code'), hl: s, segments: [], children: [], parent };
      parent?.children.push(current);
      nodes.push(current);
      byId.set(id, current);
    } else if (s.tag === 'CTT' || s.tag === 'AMT') {
      current = undefined;
    } else if (current) {
      current.segments.push(s);
    } else if (nodes.length === 0) {
      header.push(s);
    }
  }
  return { roots: nodes.filter((n) => !n.parent), nodes, header };
}

function ancestor(node: HlNode, levels: readonly string[]): HlNode | undefined {
  for (let p = node.parent; p; p = p.parent) if (levels.includes(p.level)) return p;
  return undefined;
}

const PACKAGING: Readonly<Record<string, AdvanceShipNotice['orders'][number]['packs'][number]['packaging']>> = {
  PLT: 'pallet',
  CTN: 'carton',
  CAS: 'case',
  TOT: 'tote',
  BDL: 'bundle',
};

/** Extra inputs for the 856 mapping. */
export interface Asn856Options {
  /** Our purchase order id for a PO number, when known. */
  purchaseOrderIdFor?: ((poNumber: string) => Id<'po'> | undefined) | undefined;
}

/**
 * An 856 as an advance ship notice: shipment → orders (PRF) → packs (MAN*GM SSCC-18, nested by HL parent) → items
 * (LIN/SN1).
 * @example const asn = x12856ToAdvanceShipNotice(set, { tenantId, profile });
 */
export function x12856ToAdvanceShipNotice(set: X12TransactionSet, ctx: X12MappingContext, options: Asn856Options = {}): AdvanceShipNotice {
  const r: X12SetReader = new X12SetReader(set, '856');
  const profile = ctx.profile;
  const { now, id, partyId } = contextTools(ctx);
  const bsn = r.require('BSN');
  const { nodes, header } = readHlTree(r);
  const shipment = nodes.find((n) => n.level === 'S');
  if (!shipment) r.fail('HL', 3, 'no shipment level (HL03 S)');
  const shipmentSegs = [...header, ...shipment.segments];

  const purposeCode = r.text(bsn, 1);
  const purpose = purposeCode === '00' || purposeCode === '06' ? 'original' : purposeCode === '05' || purposeCode === '04' ? 'replace' : purposeCode === '01' ? 'cancel' : undefined;
  if (!purpose) r.fail(bsn, 1, `transaction set purpose "${purposeCode}" is not original (00), replace (05) or cancel (01)`);

  const instant = (seg: X12Segment, dateEl: number, timeEl: number, zoneEl: number | undefined): string => {
    const date = r.requireDate(seg, dateEl, 'date');
    const time = r.time(seg, timeEl) ?? '00:00:00';
    const code = zoneEl === undefined ? '' : r.text(seg, zoneEl);
    const offset = (code ? utcOffsetByTimeCode[code] : undefined) || profile.elements.defaultUtcOffset;
    return `${date}T${time}${offset}`;
  };
  const shipped = r.firstWith('DTM', 1, '011', shipmentSegs);
  const shippedAt = shipped ? instant(shipped, 2, 3, 4) : instant(bsn, 3, 4, undefined);
  const deliveryDtm = r.firstWith('DTM', 1, '017', shipmentSegs) ?? r.firstWith('DTM', 1, '002', shipmentSegs) ?? r.firstWith('DTM', 1, '067', shipmentSegs);

  const parties = readPartyLoops(r, shipmentSegs, profile);
  const sf = parties.find((p) => p.entity === 'SF');
  if (!sf) r.fail('N1', undefined, 'N1*SF (ship-from) is missing');
  const st = parties.find((p) => p.entity === 'ST');
  if (!st) r.fail('N1', undefined, 'N1*ST (ship-to) is missing');
  const stCode = st.code ?? '';
  const shipToLocationId = profile.crossReferences.locations.find((l) => l.partnerCode === stCode)?.locationId ?? stCode;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/.test(shipToLocationId)) r.fail(st.segment, 4, `ship-to code "${stCode}" is not one of our locations (add a cross-reference)`);

  const td5 = r.all('TD5', shipmentSegs).find((t) => r.text(t, 3));
  const scac = td5 ? r.text(td5, 3) : profile.defaults.carrierCode;
  if (!scac || !/^[A-Z0-9]{2,4}$/.test(scac)) r.fail(td5 ?? 'TD5', 3, 'no carrier SCAC (TD503), and the partner profile has no defaults.carrierCode');
  const carrierName = td5 ? r.text(td5, 5) : '';
  const ref = (q: string): string | undefined => {
    const seg = r.firstWith('REF', 1, q, shipmentSegs);
    const v = seg ? r.text(seg, 2) || r.text(seg, 3) : '';
    return v ? v.slice(0, 40) : undefined;
  };
  const weightOf = (segs: readonly X12Segment[]): AdvanceShipNotice['grossWeight'] => {
    const td1 = r.all('TD1', segs).find((t) => r.text(t, 6) === 'G' && r.text(t, 7));
    if (!td1) return undefined;
    const unitCode = r.text(td1, 8);
    const unit = unitCode === 'LB' || unitCode === '01' ? 'LB' : unitCode === 'KG' || unitCode === 'K' ? 'KG' : undefined;
    if (!unit) r.fail(td1, 8, `weight unit "${unitCode}" must be LB or KG`);
    return { value: r.quantity(td1, 7, 'weight'), unit };
  };

  // Packs and their items.
  type Pack = AdvanceShipNotice['orders'][number]['packs'][number];
  const packByNode = new Map<HlNode, Pack>();
  const orderPacks = new Map<HlNode | undefined, Pack[]>();
  const orders = nodes.filter((n) => n.level === 'O');
  for (const node of nodes) {
    if (node.level !== 'P' && node.level !== 'T') continue;
    const man = r.all('MAN', node.segments).find((m) => r.text(m, 1) === 'GM');
    if (!man) r.fail(node.hl, 3, `pack HL ${node.id} has no MAN*GM (SSCC-18) label`);
    const raw = r.requireText(man, 2, 'SSCC');
    const sscc = raw.length === 20 && raw.startsWith('00') ? raw.slice(2) : raw;
    if (!/^\d{18}$/.test(sscc)) r.fail(man, 2, `"${raw}" is not an SSCC-18`);
    if (!hasValidGs1CheckDigit(sscc)) r.fail(man, 2, `SSCC ${sscc} has a wrong check digit`);
    const td1 = r.first('TD1', node.segments);
    const packCode = td1 ? r.text(td1, 1).slice(0, 3) : '';
    const parentPack = ancestor(node, ['P', 'T']);
    const weight = weightOf(node.segments);
    const pack: Pack = {
      sscc,
      packaging: PACKAGING[packCode] ?? (node.level === 'T' ? 'pallet' : 'carton'),
      ...(parentPack ? { parentSscc: (packByNode.get(parentPack) as Pack).sscc } : {}),
      ...(weight ? { weight } : {}),
      items: [],
    };
    packByNode.set(node, pack);
    let order = ancestor(node, ['O']);
    if (!order && orders.length === 1) order = orders[0];
    if (!order) r.fail(node.hl, 2, `pack HL ${node.id} belongs to no order (HL03 O)`);
    const list = orderPacks.get(order) ?? [];
    list.push(pack);
    orderPacks.set(order, list);
  }
  for (const node of nodes) {
    if (node.level !== 'I') continue;
    const packNode = ancestor(node, ['P', 'T']);
    if (!packNode) r.fail(node.hl, 2, `item HL ${node.id} is not inside a pack with an SSCC (MAN*GM)`);
    const lin = r.first('LIN', node.segments);
    const sn1 = r.first('SN1', node.segments);
    if (!lin) r.fail(node.hl, undefined, `item HL ${node.id} has no LIN`);
    if (!sn1) r.fail(node.hl, undefined, `item HL ${node.id} has no SN1`);
    const ids = productIdsOf(r, lin, 2, profile);
    const fromLin = r.text(lin, 1);
    const fromSn1 = r.text(sn1, 1);
    const lineRaw = profile.elements.asnLineNumber === 'SN101' ? fromSn1 || fromLin : fromLin || fromSn1;
    if (!/^\d{1,5}$/.test(lineRaw) || Number(lineRaw) < 1) {
      r.fail(profile.elements.asnLineNumber === 'SN101' ? sn1 : lin, 1, `purchase order line number "${lineRaw}" is missing or not a number`);
    }
    if (ids.gtin && !gtinSchema.safeParse(ids.gtin).success) r.fail(lin, undefined, `GTIN ${ids.gtin} is not valid`);
    const lotRef = r.firstWith('REF', 1, 'LT', node.segments);
    const expiry = r.firstWith('DTM', 1, '036', node.segments);
    (packByNode.get(packNode) as Pack).items.push({
      lineNumber: Number(lineRaw),
      ...(ids.sku ? { sku: ids.sku } : {}),
      ...(ids.partnerPart ? { supplierPartNumber: ids.partnerPart.slice(0, 48) } : {}),
      ...(ids.gtin ? { gtin: ids.gtin } : {}),
      quantity: r.quantity(sn1, 2, 'quantity shipped'),
      unit: r.unit(sn1, 3, profile),
      ...(lotRef && r.text(lotRef, 2) ? { lot: r.text(lotRef, 2).slice(0, 40) } : {}),
      ...(expiry ? { expiryDate: r.requireDate(expiry, 2, 'expiry date') } : {}),
    });
  }
  if (orders.length === 0) r.fail('HL', 3, 'no order level (HL03 O)');
  const asnOrders: AdvanceShipNotice['orders'] = orders.map((o) => {
    const prf = r.first('PRF', o.segments);
    if (!prf) r.fail(o.hl, undefined, `order HL ${o.id} has no PRF (purchase order number)`);
    const poNumber = r.requireText(prf, 1, 'purchase order number');
    const packs = orderPacks.get(o) ?? [];
    if (packs.length === 0) r.fail(o.hl, 1, `order HL ${o.id} (${poNumber}) has no packs`);
    const poId = options.purchaseOrderIdFor?.(poNumber);
    return { ...(poId ? { purchaseOrderId: poId } : {}), poNumber, packs };
  });
  const tracking = ref(profile.elements.trackingReference);
  const bol = ref('BM');
  const pro = ref('CN');
  const gross = weightOf(shipmentSegs);
  const doc = {
    schemaVersion: 1 as const,
    id: id('asn'),
    tenantId: ctx.tenantId,
    asnNumber: r.requireText(bsn, 2, 'shipment identification'),
    supplierId: partyId,
    purpose,
    shipFrom: documentParty(r, sf),
    shipToLocationId,
    carrier: { code: scac, ...(carrierName ? { name: carrierName.slice(0, 80) } : {}) },
    ...(tracking ? { trackingNumber: tracking } : {}),
    ...(bol ? { billOfLading: bol } : {}),
    ...(pro ? { proNumber: pro } : {}),
    shippedAt,
    ...(deliveryDtm ? { expectedDeliveryDate: r.requireDate(deliveryDtm, 2, 'delivery date') } : {}),
    ...(gross ? { grossWeight: gross } : {}),
    orders: asnOrders,
    receivedVia: 'edi' as const,
    receivedAt: isoInstant(now),
    externalIds: externalIdsFor(ctx, r),
  };
  const parsed = advanceShipNoticeSchema.safeParse(doc);
  if (!parsed.success) r.schemaFailure('ship notice', parsed.error.issues);
  return parsed.data;
}
