/**
 * EDI 846 (inventory inquiry/advice) to canonical InventoryPosition records, one per LIN loop.
 */
import { type Id, type InventoryPosition, inventoryPositionSchema, compareDecimal, subtractDecimal } from '@tradelane/canonical';
import type { X12Segment, X12TransactionSet } from '../codec/x12.types.js';
import { productIdsOf } from './po-850.to-canonical.js';
import { readPartyLoops } from './x12-party.reader.js';
import { type X12MappingContext, X12SetReader, unitFromX12 } from './x12-set.reader.js';

/** Extra inputs for the 846 mapping. */
export interface Inventory846Options {
  /** Our item id for a SKU (positions need one); cross-references with an itemId are tried first. */
  itemIdForSku?: ((sku: string) => Id<'itm'> | undefined) | undefined;
  /** Location of the report when no N1 (WH, ST, SU) names one of ours. */
  locationId?: string | undefined;
}

/** QTY01 codes read: on hand and available for sale. */
const ON_HAND = '17';
const AVAILABLE = '33';

/**
 * An 846 as inventory positions (as of BIA04/BIA05): on hand from QTY*17, available from QTY*33, allocated as
 * their difference. SCH (scheduled availability) is not mapped: it carries no purchase order of ours.
 * @example const positions = x12846ToInventoryPositions(set, { tenantId, profile }, { itemIdForSku });
 */
export function x12846ToInventoryPositions(set: X12TransactionSet, ctx: X12MappingContext, options: Inventory846Options = {}): InventoryPosition[] {
  const r: X12SetReader = new X12SetReader(set, '846');
  const profile = ctx.profile;
  const bia = r.require('BIA');
  const date = r.requireDate(bia, 4, 'report date');
  const time = r.time(bia, 5) ?? '00:00:00';
  const asOf = `${date}T${time}${profile.elements.defaultUtcOffset}`;
  const header = r.before('LIN');
  const parties = readPartyLoops(r, header, profile);
  const place = parties.find((p) => p.entity === 'WH') ?? parties.find((p) => p.entity === 'ST') ?? parties.find((p) => p.entity === 'SU');
  const partnerCode = place?.code ?? '';
  const locationId = profile.crossReferences.locations.find((l) => l.partnerCode === partnerCode)?.locationId ?? options.locationId ?? partnerCode;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/.test(locationId)) r.fail(place?.segment ?? 'N1', 4, `no location of ours for "${partnerCode}" (add a cross-reference or pass locationId)`);
  const loops = r.loops('LIN', ['CTT']);
  if (loops.length === 0) r.fail('LIN', undefined, 'an 846 needs at least one LIN');
  return loops.map((loop) => {
    const lin = loop[0] as X12Segment;
    const ids = productIdsOf(r, lin, 2, profile);
    if (!ids.sku) r.fail(lin, 3, 'the item carries no SKU of ours (check skuQualifiers or cross-references)');
    const xref = profile.crossReferences.items.find((x) => x.sku === ids.sku && x.itemId);
    const itemId = (xref?.itemId as Id<'itm'> | undefined) ?? options.itemIdForSku?.(ids.sku);
    if (!itemId) r.fail(lin, 3, `no item id is known for SKU ${ids.sku}`);
    const qty = (code: string): { seg: X12Segment; value: string } | undefined => {
      const seg = r.firstWith('QTY', 1, code, loop);
      if (!seg) return undefined;
      const value = r.requireDecimal(seg, 2, 'quantity');
      if (compareDecimal(value, '0') < 0) r.fail(seg, 2, 'quantity must not be negative');
      return { seg, value };
    };
    const onHand = qty(ON_HAND);
    const available = qty(AVAILABLE);
    const first = onHand ?? available;
    if (!first) r.fail(lin, undefined, `item ${ids.sku} has no QTY*17 (on hand) or QTY*33 (available)`);
    const unitCode = r.text(first.seg, 3);
    const unit = unitCode ? (profile.codes.units[unitCode] ?? unitFromX12(unitCode)) : xref?.unit;
    if (!unit) r.fail(first.seg, 3, unitCode ? `unit of measure "${unitCode}" is not known` : 'unit of measure is missing');
    const hand = (onHand ?? available)?.value as string;
    const avail = (available ?? onHand)?.value as string;
    const allocated = compareDecimal(hand, avail) > 0 ? subtractDecimal(hand, avail) : '0';
    const doc = {
      schemaVersion: 1 as const,
      tenantId: ctx.tenantId,
      itemId,
      sku: ids.sku,
      locationId,
      unit,
      onHand: hand,
      allocated,
      available: avail,
      inbound: [],
      asOf,
    };
    const parsed = inventoryPositionSchema.safeParse(doc);
    if (!parsed.success) r.schemaFailure('inventory position', parsed.error.issues);
    return parsed.data;
  });
}
