/**
 * Per-partner CSV mappings, as configuration: the file's dialect (delimiter, quote, header row, decimal separator,
 * encoding), which column holds which canonical field (by header name or 1-based index), fixed values for fields
 * the file does not carry, date formats and code translations (units, acknowledgment actions, packaging).
 */
import {
  acknowledgmentActions,
  currencyCodeSchema,
  documentNumberSchema,
  gtinSchema,
  locationCodeSchema,
  partNumberSchema,
  skuSchema,
  ssccSchema,
  textSchema,
  unitOfMeasureSchema,
} from '@tradelane/canonical';
import { z } from 'zod';

/** Canonical documents a CSV file can carry. */
export const csvDocumentTypes = ['purchase-order-acknowledgment', 'advance-ship-notice', 'inventory-position'] as const;

/** A canonical document a CSV file can carry. */
export type CsvDocumentType = (typeof csvDocumentTypes)[number];

/** How a field's text is read. */
export type CsvFieldKind =
  | 'text'
  | 'int'
  | 'quantity'
  | 'positiveQuantity'
  | 'signedQuantity'
  | 'price'
  | 'date'
  | 'datetime'
  | 'unit'
  | 'action'
  | 'packaging'
  | 'currency';

/** One canonical field a column can map to. */
export interface CsvFieldSpec {
  readonly kind: CsvFieldKind;
  /** Every row needs a value (from its column or a constant). */
  readonly required?: boolean;
  /** Same value on every row of one document (header fields); a row that differs is reported. */
  readonly header?: boolean;
  /** Extra check of a text value (canonical schema of the field). */
  readonly schema?: z.ZodType<string>;
  /** What the field is, for error messages and docs. */
  readonly description: string;
}

const reasonCodes = ['discontinued', 'unknown_item', 'price', 'no_capacity', 'duplicate', 'other'] as const;

/** Fields of a purchase order acknowledgment file: one row per acknowledged line, grouped by `poNumber` + `ackNumber`. */
export const acknowledgmentCsvFields: Readonly<Record<string, CsvFieldSpec>> = {
  poNumber: { kind: 'text', required: true, header: true, schema: documentNumberSchema, description: 'our purchase order number' },
  ackNumber: { kind: 'text', header: true, schema: documentNumberSchema, description: "the supplier's acknowledgment number" },
  acknowledgedAt: { kind: 'datetime', header: true, description: 'when the supplier acknowledged (date or date-time)' },
  currency: { kind: 'currency', header: true, description: 'ISO 4217 currency of prices (default: the purchase order\'s)' },
  lineNumber: { kind: 'int', required: true, description: 'purchase order line number' },
  action: { kind: 'action', required: true, description: 'accept, change_quantity, change_date, change_price, reject, backorder (or a partner code mapped in `actions`)' },
  quantity: { kind: 'positiveQuantity', description: 'acknowledged quantity (accept, change_quantity, backorder)' },
  originalQuantity: { kind: 'positiveQuantity', description: 'ordered quantity, for change_quantity' },
  unit: { kind: 'unit', description: 'unit of the quantity (default: the purchase order line\'s)' },
  scheduledDate: { kind: 'date', description: 'promised ship date' },
  originalDate: { kind: 'date', description: 'requested date, for change_date' },
  unitPrice: { kind: 'price', description: 'new unit price, for change_price' },
  originalUnitPrice: { kind: 'price', description: 'ordered unit price, for change_price' },
  reasonCode: { kind: 'text', description: `reject reason: ${reasonCodes.join(', ')} (default other)` },
  reason: { kind: 'text', schema: textSchema(200), description: 'reject reason as text' },
  sku: { kind: 'text', schema: skuSchema, description: 'our SKU' },
  supplierPartNumber: { kind: 'text', schema: partNumberSchema, description: "the supplier's part number" },
  note: { kind: 'text', schema: textSchema(500), description: 'line note' },
};

/** Fields of an advance ship notice file: one row per item in a pack, grouped by `asnNumber`, then `poNumber`, then `sscc`. */
export const asnCsvFields: Readonly<Record<string, CsvFieldSpec>> = {
  asnNumber: { kind: 'text', required: true, header: true, schema: documentNumberSchema, description: "the supplier's shipment number" },
  purpose: { kind: 'text', header: true, description: 'original (default), replace or cancel' },
  shippedAt: { kind: 'datetime', required: true, header: true, description: 'ship date or date-time' },
  expectedDeliveryDate: { kind: 'date', header: true, description: 'expected delivery date' },
  shipToLocationId: { kind: 'text', required: true, header: true, description: 'our receiving location (partner codes go through the profile\'s location cross-references)' },
  shipFromName: { kind: 'text', required: true, header: true, schema: textSchema(120), description: 'ship-from name' },
  shipFromCode: { kind: 'text', header: true, schema: textSchema(40), description: 'ship-from code' },
  shipFromLine1: { kind: 'text', required: true, header: true, schema: textSchema(120), description: 'ship-from street' },
  shipFromCity: { kind: 'text', required: true, header: true, schema: textSchema(80), description: 'ship-from city' },
  shipFromRegion: { kind: 'text', header: true, schema: textSchema(80), description: 'ship-from state or region' },
  shipFromPostalCode: { kind: 'text', header: true, description: 'ship-from postal code' },
  shipFromCountry: { kind: 'text', header: true, description: 'ship-from country, ISO 3166-1 alpha-2 (default: the profile\'s)' },
  carrierCode: { kind: 'text', header: true, description: 'carrier SCAC (default: the profile\'s defaults.carrierCode)' },
  carrierName: { kind: 'text', header: true, schema: textSchema(80), description: 'carrier name' },
  carrierService: { kind: 'text', header: true, schema: textSchema(60), description: 'service level' },
  trackingNumber: { kind: 'text', header: true, schema: textSchema(40), description: 'carrier tracking number' },
  billOfLading: { kind: 'text', header: true, schema: textSchema(40), description: 'bill of lading number' },
  proNumber: { kind: 'text', header: true, schema: textSchema(40), description: 'PRO number' },
  poNumber: { kind: 'text', required: true, schema: documentNumberSchema, description: 'purchase order number the item ships against' },
  sscc: { kind: 'text', required: true, schema: ssccSchema, description: 'SSCC-18 of the pack (check digit verified)' },
  packaging: { kind: 'packaging', description: 'pallet, carton (default), case, tote, bundle, other (or a partner code mapped in `packaging`)' },
  parentSscc: { kind: 'text', schema: ssccSchema, description: 'SSCC of the pallet the pack sits on' },
  lineNumber: { kind: 'int', required: true, description: 'purchase order line number' },
  sku: { kind: 'text', schema: skuSchema, description: 'our SKU' },
  supplierPartNumber: { kind: 'text', schema: partNumberSchema, description: "the supplier's part number" },
  gtin: { kind: 'text', schema: gtinSchema, description: 'GTIN (check digit verified)' },
  quantity: { kind: 'positiveQuantity', required: true, description: 'quantity shipped in this pack' },
  unit: { kind: 'unit', required: true, description: 'unit of the quantity' },
  lot: { kind: 'text', schema: textSchema(40), description: 'lot or batch' },
  expiryDate: { kind: 'date', description: 'best-before or expiry date' },
};

/** Fields of an inventory file: one row per item and location. */
export const inventoryCsvFields: Readonly<Record<string, CsvFieldSpec>> = {
  sku: { kind: 'text', required: true, schema: skuSchema, description: 'our SKU (partner part numbers go through the profile\'s item cross-references)' },
  locationId: { kind: 'text', required: true, description: 'our location (partner codes go through the profile\'s location cross-references)' },
  unit: { kind: 'unit', description: 'unit of the quantities (default: the cross-reference\'s)' },
  onHand: { kind: 'quantity', description: 'quantity on hand' },
  available: { kind: 'signedQuantity', description: 'quantity available to promise' },
  allocated: { kind: 'quantity', description: 'quantity allocated (default: on hand minus available)' },
  onHold: { kind: 'quantity', description: 'quantity on hold' },
  asOf: { kind: 'datetime', description: 'when the figures were taken (default: when the file was received)' },
};

/** The field table of each document type. */
export const csvFieldsByDocument: Readonly<Record<CsvDocumentType, Readonly<Record<string, CsvFieldSpec>>>> = {
  'purchase-order-acknowledgment': acknowledgmentCsvFields,
  'advance-ship-notice': asnCsvFields,
  'inventory-position': inventoryCsvFields,
};

/** A column by its header name (trimmed, case-insensitive) or its 1-based position. */
export const csvColumnRefSchema = z.union([z.string().min(1).max(200), z.int().min(1).max(1000)]);

/** Tokens of a date format: YYYY, YY, MM, M, DD, D, HH, H, mm, ss; anything else is literal. `ISO` = ISO 8601. */
export const csvDateFormatSchema = z
  .string()
  .min(1)
  .max(40)
  .refine((f) => f === 'ISO' || /YY/.test(f), { error: 'a date format needs a year (YYYY or YY), e.g. "DD.MM.YYYY", or is "ISO"' });

/** The file's dialect. */
export const csvFormatSchema = z
  .object({
    /** One character; `\t` for tab-separated files. @default ',' */
    delimiter: z.string().length(1).default(','),
    /** @default '"' */
    quote: z.string().length(1).default('"'),
    /** The first row names the columns. @default true */
    header: z.boolean().default(true),
    /** @default '.' */
    decimalSeparator: z.enum(['.', ',']).default('.'),
    /** Digit grouping character allowed in numbers (`''` = none). @default '' */
    thousandsSeparator: z.enum(['', ',', '.', ' ', "'"]).default(''),
    /** @default 'utf8' (a byte order mark is dropped) */
    encoding: z.enum(['utf8', 'latin1']).default('utf8'),
    /** Lines before the header (or the first row) that are not part of the table. @default 0 */
    skipLines: z.int().min(0).max(100).default(0),
  })
  .refine((f) => f.thousandsSeparator !== f.decimalSeparator, { error: 'thousandsSeparator and decimalSeparator must differ', path: ['thousandsSeparator'] })
  .refine((f) => f.delimiter !== f.quote, { error: 'delimiter and quote must differ', path: ['quote'] });

/** One partner's mapping of one kind of CSV file. */
export const csvMappingSchema = z
  .object({
    /** Key of this mapping within the profile, e.g. `asn`. */
    id: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, { error: 'mapping id is a lower-case key, e.g. "asn"' }),
    /** Version of this mapping, recorded with every file read with it (bump it when the mapping changes). @default '1' */
    version: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/).default('1'),
    document: z.enum(csvDocumentTypes),
    /** Globs (`*`, `?`) of the file names this mapping reads. @default ['*.csv'] */
    fileNamePatterns: z.array(z.string().min(1).max(200)).min(1).max(20).default(['*.csv']),
    format: csvFormatSchema.default(csvFormatSchema.parse({})),
    /** Canonical field → column (header name or 1-based index). */
    columns: z.record(z.string(), csvColumnRefSchema),
    /** Canonical field → fixed value, for fields the file does not carry (a column wins when both are given). */
    constants: z.record(z.string(), z.string().min(1).max(200)).default({}),
    /** Formats tried in order for date and date-time fields. @default ['ISO'] */
    dateFormats: z.array(csvDateFormatSchema).min(1).max(10).default(['ISO']),
    /** UTC offset of date-times written without one. @default 'Z' */
    utcOffset: z.string().regex(/^(?:Z|[+-]\d{2}:\d{2})$/).default('Z'),
    /** Partner unit code → canonical unit (canonical codes and X12 unit codes are understood without it). */
    units: z.record(z.string().min(1).max(20), unitOfMeasureSchema).default({}),
    /** Partner action code → acknowledgment action (canonical names are understood without it). */
    actions: z.record(z.string().min(1).max(20), z.enum(acknowledgmentActions)).default({}),
    /** Partner packaging code → packaging (canonical names are understood without it). */
    packaging: z.record(z.string().min(1).max(20), z.enum(['pallet', 'carton', 'case', 'tote', 'bundle', 'other'])).default({}),
  })
  .superRefine((m, ctx) => {
    const fields = csvFieldsByDocument[m.document];
    for (const key of [...Object.keys(m.columns), ...Object.keys(m.constants)]) {
      if (!(key in fields)) {
        ctx.addIssue({ code: 'custom', path: [key in m.columns ? 'columns' : 'constants', key], message: `${m.document} has no field "${key}"; known fields: ${Object.keys(fields).join(', ')}` });
      }
    }
    for (const [name, spec] of Object.entries(fields)) {
      if (spec.required && !(name in m.columns) && !(name in m.constants)) {
        ctx.addIssue({ code: 'custom', path: ['columns', name], message: `${m.document} needs a column (or a constant) for "${name}": ${spec.description}` });
      }
    }
    if (m.document === 'inventory-position' && !('onHand' in m.columns) && !('available' in m.columns)) {
      ctx.addIssue({ code: 'custom', path: ['columns', 'onHand'], message: 'inventory needs a column for onHand, available or both' });
    }
    if (!m.format.header) {
      for (const [field, ref] of Object.entries(m.columns)) {
        if (typeof ref === 'string') ctx.addIssue({ code: 'custom', path: ['columns', field], message: `the file has no header row, so "${field}" must name a column by its 1-based position` });
      }
    }
    for (const [field, value] of Object.entries(m.constants)) {
      if (field === 'currency' && !currencyCodeSchema.safeParse(value).success) ctx.addIssue({ code: 'custom', path: ['constants', field], message: 'currency must be an ISO 4217 code' });
      if (field === 'shipToLocationId' || field === 'locationId') {
        if (!locationCodeSchema.safeParse(value).success) ctx.addIssue({ code: 'custom', path: ['constants', field], message: 'not a location code' });
      }
    }
    if (m.document === 'purchase-order-acknowledgment' && m.constants.reasonCode !== undefined && !(reasonCodes as readonly string[]).includes(m.constants.reasonCode)) {
      ctx.addIssue({ code: 'custom', path: ['constants', 'reasonCode'], message: `reasonCode must be one of ${reasonCodes.join(', ')}` });
    }
  });

/** A CSV mapping as written in configuration (defaults may be omitted). */
export type CsvMappingInput = z.input<typeof csvMappingSchema>;
/** A CSV mapping with defaults applied. */
export type CsvMapping = z.output<typeof csvMappingSchema>;
/** A CSV dialect with defaults applied. */
export type CsvFormat = z.output<typeof csvFormatSchema>;

/** Reject reasons of acknowledgment lines. */
export const csvReasonCodes = reasonCodes;

/**
 * Parses a CSV mapping; throws a ZodError listing every problem (unknown fields, required fields without a column,
 * names used for a file without header row…).
 * @example
 * const mapping = parseCsvMapping({
 *   id: 'asn', document: 'advance-ship-notice', format: { delimiter: ';', decimalSeparator: ',' },
 *   columns: { asnNumber: 'Shipment', shippedAt: 'Ship date', poNumber: 'PO', sscc: 'SSCC', lineNumber: 'PO line', quantity: 'Qty', unit: 'UoM', sku: 'Item' },
 *   constants: { shipToLocationId: 'AUS1', shipFromName: 'ACME Supply Co', shipFromLine1: '1800 Commerce St', shipFromCity: 'Dallas' },
 *   dateFormats: ['DD.MM.YYYY'], units: { STK: 'EA', KAR: 'CT' },
 * });
 */
export function parseCsvMapping(input: CsvMappingInput): CsvMapping {
  return csvMappingSchema.parse(input);
}
