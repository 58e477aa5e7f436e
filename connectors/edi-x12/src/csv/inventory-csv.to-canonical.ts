/**
 * CSV inventory files to canonical InventoryPosition records: one row per item and location.
 */
import { addDecimal, compareDecimal, inventoryPositionSchema, subtractDecimal, type Id, type InventoryPosition, type UnitOfMeasure } from '@tradelane/canonical';
import { buildValidated, csvTools, instant, type CsvMappingContext, type CsvMappingResult } from './csv-documents.js';
import { rowError, type CsvFieldRows } from './csv-rows.js';

/**
 * Maps the rows of an inventory file. The SKU may be the partner's part number (item cross-references turn it into
 * ours); the item id comes from a cross-reference or `lookups.itemId`; the unit from the row or the cross-reference.
 * Missing figures follow from the others: allocated = on hand − available, available = on hand − allocated.
 * @example const { documents, errors } = await csvToInventoryPositions(readCsvFields(table, mapping), { tenantId, profile, lookups });
 */
export async function csvToInventoryPositions(input: CsvFieldRows, ctx: CsvMappingContext): Promise<CsvMappingResult<InventoryPosition>> {
  const errors = [...input.errors];
  const documents: CsvMappingResult<InventoryPosition>['documents'] = [];
  const { receivedAt } = csvTools(ctx);
  const profile = ctx.profile;
  for (const row of input.rows) {
    const v = row.values;
    const partnerSku = v.sku as string;
    const xref = profile.crossReferences.items.find((x) => x.partnerPart === partnerSku) ?? profile.crossReferences.items.find((x) => x.sku === partnerSku);
    const sku = xref?.sku ?? partnerSku;
    const itemId = (xref?.itemId as Id<'itm'> | undefined) ?? (await ctx.lookups?.itemId?.(sku));
    if (!itemId) {
      errors.push(rowError(row, 'sku', 'TL_EDI_CSV_LOOKUP_FAILED', `no item of ours is known for SKU ${sku} (add an item cross-reference with an itemId, or configure the item lookup)`));
      continue;
    }
    const unit = (v.unit as UnitOfMeasure | undefined) ?? xref?.unit;
    if (!unit) {
      errors.push(rowError(row, 'unit', 'TL_EDI_CSV_REQUIRED', `unit is required for SKU ${sku} (no unit column value and no unit in its cross-reference)`));
      continue;
    }
    const onHandIn = v.onHand as string | undefined;
    const availableIn = v.available as string | undefined;
    const allocatedIn = v.allocated as string | undefined;
    if (onHandIn === undefined && availableIn === undefined) {
      errors.push(rowError(row, 'onHand', 'TL_EDI_CSV_REQUIRED', 'the row has neither an on-hand nor an available quantity'));
      continue;
    }
    const positive = (d: string) => (compareDecimal(d, '0') > 0 ? d : '0');
    const onHand = onHandIn ?? positive(allocatedIn !== undefined ? addDecimal(availableIn as string, allocatedIn) : (availableIn as string));
    const available = availableIn ?? (allocatedIn !== undefined ? subtractDecimal(onHand, allocatedIn) : onHand);
    const allocated = allocatedIn ?? (compareDecimal(onHand, available) > 0 ? subtractDecimal(onHand, available) : '0');
    const partnerLocation = v.locationId as string;
    const locationId = profile.crossReferences.locations.find((l) => l.partnerCode === partnerLocation)?.locationId ?? partnerLocation;
    const doc = buildValidated(
      [row],
      inventoryPositionSchema,
      () => ({
        schemaVersion: 1,
        tenantId: ctx.tenantId,
        itemId,
        sku,
        locationId,
        unit,
        onHand,
        allocated,
        available,
        ...(v.onHold !== undefined ? { onHold: v.onHold as string } : {}),
        inbound: [],
        asOf: (v.asOf as string | undefined) ?? instant(receivedAt),
      }),
      (path, kept) => (kept[0] ? { row: kept[0], field: typeof path[0] === 'string' ? path[0] : undefined } : undefined),
      `inventory position of ${sku}`,
      errors,
    );
    if (doc) documents.push(doc);
  }
  return { documents, errors, rowCount: input.rowCount };
}
