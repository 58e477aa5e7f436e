/**
 * Canonical AdvanceShipNotice to an EDI 856 transaction set (the supplier simulator's ship notice), with the HL
 * hierarchy shipment → order → pack (pallets above their cartons) → item.
 */
import type { AdvanceShipNotice } from '@tradelane/canonical';
import { X12WriteError, x12ErrorCodes } from '../errors.js';
import type { X12OutboundSet } from '../codec/writer/envelope.builder.js';
import type { X12SegmentInput } from '../codec/x12.types.js';
import { productQualifiers, type PartnerProfile } from './partner-profile.schema.js';
import { x12Date } from './po-850.from-canonical.js';
import { partySegments } from './x12-party.reader.js';
import { unitToX12 } from './x12-set.reader.js';

type Pack = AdvanceShipNotice['orders'][number]['packs'][number];

const TD101: Readonly<Record<Pack['packaging'], string>> = { pallet: 'PLT94', carton: 'CTN25', case: 'CAS', tote: 'TOT', bundle: 'BDL', other: '' };

function gtinQualifier(gtin: string): string {
  return gtin.length === 12 ? 'UP' : gtin.length === 13 ? 'EN' : gtin.length === 14 ? 'UK' : 'EO';
}

/** `2025-03-05T14:10:00Z` → date `20250305`, time `1410` (UTC). */
function dateTime(instant: string): [string, string] {
  const d = new Date(instant);
  const iso = d.toISOString();
  return [x12Date(iso), iso.slice(11, 13) + iso.slice(14, 16)];
}

/**
 * The body of an 856 for a ship notice: BSN, DTM, HL S (TD1, TD5, REF, N1 SF/ST), then per order HL O + PRF, per
 * pack HL P/T + MAN*GM, per item HL I + LIN + SN1, and CTT. Wrap it with `createInterchange` (functional id `SH`).
 * @example const set = advanceShipNoticeTo856(asn, profile);
 */
export function advanceShipNoticeTo856(asn: AdvanceShipNotice, profile: PartnerProfile): X12OutboundSet {
  const q = productQualifiers(profile);
  const segs: X12SegmentInput[] = [];
  const [shipDate, shipTime] = dateTime(asn.shippedAt);
  const purpose = asn.purpose === 'original' ? '00' : asn.purpose === 'replace' ? '05' : '01';
  segs.push({ tag: 'BSN', elements: [purpose, asn.asnNumber, shipDate, shipTime, '0001'] });
  segs.push({ tag: 'DTM', elements: ['011', shipDate, shipTime, 'UT'] });
  if (asn.expectedDeliveryDate) segs.push({ tag: 'DTM', elements: ['017', x12Date(asn.expectedDeliveryDate)] });
  let hl = 0;
  const next = (): string => String(++hl);
  const shipmentHl = next();
  segs.push({ tag: 'HL', elements: [shipmentHl, '', 'S'] });
  const packCount = asn.orders.reduce((n, o) => n + o.packs.length, 0);
  segs.push({ tag: 'TD1', elements: asn.grossWeight ? ['', String(packCount), '', '', '', 'G', asn.grossWeight.value, asn.grossWeight.unit] : ['', String(packCount)] });
  segs.push({ tag: 'TD5', elements: asn.carrier.name ? ['', '2', asn.carrier.code, '', asn.carrier.name.slice(0, 35)] : ['', '2', asn.carrier.code] });
  if (asn.billOfLading) segs.push({ tag: 'REF', elements: ['BM', asn.billOfLading] });
  if (asn.proNumber) segs.push({ tag: 'REF', elements: ['CN', asn.proNumber] });
  if (asn.trackingNumber) segs.push({ tag: 'REF', elements: [profile.elements.trackingReference, asn.trackingNumber] });
  segs.push(...partySegments('SF', asn.shipFrom));
  const stCode = profile.crossReferences.locations.find((l) => l.locationId === asn.shipToLocationId)?.partnerCode ?? asn.shipToLocationId;
  segs.push({ tag: 'N1', elements: ['ST', '', '92', stCode] });
  for (const order of asn.orders) {
    const orderHl = next();
    segs.push({ tag: 'HL', elements: [orderHl, shipmentHl, 'O'] });
    segs.push({ tag: 'PRF', elements: [order.poNumber] });
    // Parents before children: a pack waits until the pack it sits on has its HL.
    const hlOf = new Map<string, string>();
    const pending = [...order.packs];
    while (pending.length > 0) {
      const i = pending.findIndex((p) => p.parentSscc === undefined || hlOf.has(p.parentSscc));
      if (i < 0) {
        throw new X12WriteError(x12ErrorCodes.mapping, `pack ${pending[0]?.sscc} sits on a pack that is not in order ${order.poNumber}`, { sscc: pending[0]?.sscc });
      }
      const pack = pending.splice(i, 1)[0] as Pack;
      const packHl = next();
      hlOf.set(pack.sscc, packHl);
      segs.push({ tag: 'HL', elements: [packHl, pack.parentSscc ? (hlOf.get(pack.parentSscc) as string) : orderHl, pack.packaging === 'pallet' ? 'T' : 'P'] });
      const td101 = TD101[pack.packaging];
      if (pack.weight || td101) {
        segs.push({ tag: 'TD1', elements: pack.weight ? [td101, td101 ? '1' : '', '', '', '', 'G', pack.weight.value, pack.weight.unit] : [td101, '1'] });
      }
      segs.push({ tag: 'MAN', elements: ['GM', `00${pack.sscc}`] });
      for (const item of pack.items) {
        segs.push({ tag: 'HL', elements: [next(), packHl, 'I'] });
        const ids: string[] = [];
        if (item.sku) ids.push(q.sku[0] ?? 'BP', item.sku);
        if (item.supplierPartNumber) ids.push(q.partnerPart[0] ?? 'VP', item.supplierPartNumber);
        if (item.gtin) ids.push(gtinQualifier(item.gtin), item.gtin);
        segs.push({ tag: 'LIN', elements: [String(item.lineNumber), ...ids] });
        segs.push({ tag: 'SN1', elements: [String(item.lineNumber), item.quantity, unitToX12(item.unit, profile)] });
        if (item.lot) segs.push({ tag: 'REF', elements: ['LT', item.lot] });
        if (item.expiryDate) segs.push({ tag: 'DTM', elements: ['036', x12Date(item.expiryDate)] });
      }
    }
  }
  segs.push({ tag: 'CTT', elements: [String(hl)] });
  return { id: '856', segments: segs };
}
