/**
 * CSV ship notices to canonical AdvanceShipNotice documents: one row per item in a pack; rows are grouped by ASN
 * number, then purchase order, then SSCC.
 */
import { advanceShipNoticeSchema, type AdvanceShipNotice, type Id } from '@tradelane/canonical';
import { buildValidated, consistentRows, csvTools, groupRows, headerValue, instant, type CsvMappingContext, type CsvMappingResult } from './csv-documents.js';
import { rowError, type CsvFieldRow, type CsvFieldRows } from './csv-rows.js';

type Pack = AdvanceShipNotice['orders'][number]['packs'][number];

const PURPOSES: Readonly<Record<string, AdvanceShipNotice['purpose']>> = { original: 'original', '00': 'original', replace: 'replace', '05': 'replace', cancel: 'cancel', '01': 'cancel' };
const SHIP_FROM_FIELD: Readonly<Record<string, string>> = { name: 'shipFromName', code: 'shipFromCode', line1: 'shipFromLine1', city: 'shipFromCity', region: 'shipFromRegion', postalCode: 'shipFromPostalCode', country: 'shipFromCountry' };

/**
 * Maps the rows of a ship notice file. Location codes go through the profile's location cross-references; the
 * carrier falls back to `defaults.carrierCode`, the ship-from country to `defaults.country`; purchase order ids come
 * from `lookups.purchaseOrderId` when given. A bad item row leaves the rest of its shipment intact.
 * @example const { documents, errors } = await csvToAdvanceShipNotices(readCsvFields(table, mapping), { tenantId, profile });
 */
export async function csvToAdvanceShipNotices(input: CsvFieldRows, ctx: CsvMappingContext): Promise<CsvMappingResult<AdvanceShipNotice>> {
  const errors = [...input.errors];
  const documents: CsvMappingResult<AdvanceShipNotice>['documents'] = [];
  const { receivedAt, id, partyId } = csvTools(ctx);
  const profile = ctx.profile;
  for (const group of groupRows(input.rows, (r) => String(r.values.asnNumber))) {
    const rows = consistentRows(group, 'advance-ship-notice', 'ship notice', errors);
    const first = rows[0];
    if (!first) continue;
    const asnNumber = first.values.asnNumber as string;
    if (!partyId) {
      for (const row of rows) errors.push(rowError(row, undefined, 'TL_EDI_CSV_LOOKUP_FAILED', 'the partner has no party id: set partyId in the partner profile'));
      continue;
    }
    const purposeText = (headerValue<string>(rows, 'purpose') ?? 'original').toLowerCase();
    const purpose = PURPOSES[purposeText];
    const carrierCode = headerValue<string>(rows, 'carrierCode') ?? profile.defaults.carrierCode;
    const header = [
      ...(purpose ? [] : [{ field: 'purpose', message: `purpose "${purposeText}" is not original, replace or cancel` }]),
      ...(carrierCode ? [] : [{ field: 'carrierCode', message: 'carrierCode is required (no column value and no defaults.carrierCode in the partner profile)' }]),
    ];
    if (header.length > 0) {
      for (const row of rows) for (const h of header) errors.push(rowError(row, h.field, h.field === 'purpose' ? 'TL_EDI_CSV_UNKNOWN_CODE' : 'TL_EDI_CSV_REQUIRED', h.message));
      continue;
    }
    const partnerLocation = headerValue<string>(rows, 'shipToLocationId') as string;
    const shipToLocationId = profile.crossReferences.locations.find((l) => l.partnerCode === partnerLocation)?.locationId ?? partnerLocation;
    const poIds = new Map<string, Id<'po'> | undefined>();
    for (const row of rows) {
      const po = row.values.poNumber as string;
      if (!poIds.has(po)) poIds.set(po, await ctx.lookups?.purchaseOrderId?.(po));
    }
    const opt = <T>(key: string, value: T | undefined) => (value === undefined ? {} : { [key]: value });
    const build = (kept: CsvFieldRow[]) => {
      const orders = groupRows(kept, (r) => String(r.values.poNumber)).map((orderRows) => {
        const poNumber = orderRows[0]?.values.poNumber as string;
        const packs = groupRows(orderRows, (r) => String(r.values.sscc)).map((packRows): Pack => {
          const p = packRows[0] as CsvFieldRow;
          return {
            sscc: p.values.sscc as string,
            packaging: (headerValue<Pack['packaging']>(packRows, 'packaging') ?? 'carton'),
            ...opt('parentSscc', headerValue<string>(packRows, 'parentSscc')),
            items: packRows.map((r) => ({
              lineNumber: r.values.lineNumber as number,
              ...opt('sku', r.values.sku as string | undefined),
              ...opt('supplierPartNumber', r.values.supplierPartNumber as string | undefined),
              ...opt('gtin', r.values.gtin as string | undefined),
              quantity: r.values.quantity as string,
              unit: r.values.unit as Pack['items'][number]['unit'],
              ...opt('lot', r.values.lot as string | undefined),
              ...opt('expiryDate', r.values.expiryDate as string | undefined),
            })),
          };
        });
        return { ...opt('purchaseOrderId', poIds.get(poNumber)), poNumber, packs };
      });
      // A pallet named only as the parent of cartons becomes a pack of its own (no items), in the order that first names it.
      const known = new Set(orders.flatMap((o) => o.packs.map((p) => p.sscc)));
      for (const order of orders) {
        for (const pack of [...order.packs]) {
          if (pack.parentSscc !== undefined && !known.has(pack.parentSscc)) {
            known.add(pack.parentSscc);
            order.packs.push({ sscc: pack.parentSscc, packaging: 'pallet', items: [] });
          }
        }
      }
      return {
        schemaVersion: 1,
        id: id('asn'),
        tenantId: ctx.tenantId,
        asnNumber,
        supplierId: partyId,
        purpose,
        shipFrom: {
          name: headerValue(kept, 'shipFromName'),
          ...opt('code', headerValue(kept, 'shipFromCode')),
          address: {
            line1: headerValue(kept, 'shipFromLine1'),
            city: headerValue(kept, 'shipFromCity'),
            ...opt('region', headerValue(kept, 'shipFromRegion')),
            ...opt('postalCode', headerValue(kept, 'shipFromPostalCode')),
            country: headerValue(kept, 'shipFromCountry') ?? profile.defaults.country,
          },
        },
        shipToLocationId,
        carrier: { code: carrierCode, ...opt('name', headerValue(kept, 'carrierName')), ...opt('service', headerValue(kept, 'carrierService')) },
        ...opt('trackingNumber', headerValue(kept, 'trackingNumber')),
        ...opt('billOfLading', headerValue(kept, 'billOfLading')),
        ...opt('proNumber', headerValue(kept, 'proNumber')),
        shippedAt: headerValue(kept, 'shippedAt'),
        ...opt('expectedDeliveryDate', headerValue(kept, 'expectedDeliveryDate')),
        orders,
        receivedVia: 'csv',
        receivedAt: instant(receivedAt),
        externalIds: {},
      };
    };
    const doc = buildValidated(
      rows,
      advanceShipNoticeSchema,
      build,
      (path, kept) => {
        // orders.o.packs.p.items.i… → that item's row; orders.o.packs.p… → the pack's first row; top-level → every row
        if (path[0] === 'shipFrom') {
          const key = path[path.length - 1];
          const field = typeof key === 'string' ? SHIP_FROM_FIELD[key] : undefined;
          return kept[0] ? { row: kept[0], field } : undefined;
        }
        if (path[0] !== 'orders' || typeof path[1] !== 'number') return undefined;
        const orders = groupRows(kept, (r) => String(r.values.poNumber));
        const orderRows = orders[path[1]];
        if (!orderRows || path[2] !== 'packs' || typeof path[3] !== 'number') return undefined;
        const packRows = groupRows(orderRows, (r) => String(r.values.sscc))[path[3]];
        if (!packRows) return undefined;
        if (path[4] === 'items' && typeof path[5] === 'number') {
          const row = packRows[path[5]];
          return row ? { row, field: typeof path[6] === 'string' ? path[6] : undefined } : undefined;
        }
        return packRows[0] ? { row: packRows[0], field: typeof path[4] === 'string' ? path[4] : undefined } : undefined;
      },
      `ship notice ${asnNumber}`,
      errors,
    );
    if (doc) documents.push(doc);
  }
  return { documents, errors, rowCount: input.rowCount };
}
