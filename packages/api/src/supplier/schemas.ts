/**
 * JSON Schemas of the supplier experience API: request parts (ids, filters, bodies) and the response documents. The
 * shared parts (paging, headers, decimals, dates, problem documents) come from the customer schemas so both trees
 * validate and answer alike. Response schemas make Fastify serialise only the declared fields.
 */
import {
  AMOUNT_PATTERN,
  DOCUMENT_NUMBER_PATTERN,
  POSITIVE_QUANTITY_PATTERN,
  QUANTITY_PATTERN,
  SKU_PATTERN,
  TEXT_PATTERN,
  cursorSchema,
  dateSchema,
  idParamsSchema,
  limitSchema,
  lineNumberSchema,
  moneySchema,
  unitSchema,
} from '../customer/schemas.js';

/** Purchase order statuses a listing can filter on (mirrors `PurchaseOrderStatus`). */
export const purchaseOrderStatuses = [
  'New',
  'Changed',
  'Acknowledged',
  'InException',
  'Rejected',
  'Shipped',
  'PartiallyReceived',
  'Received',
  'Invoiced',
  'Matched',
  'Disputed',
  'Cancelled',
  'Closed',
] as const;

/** ISO 4217 alphabetic currency code. */
export const currencySchema = { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. USD' } as const;
/** A distributor SKU. */
export const skuSchema = { type: 'string', pattern: SKU_PATTERN, description: 'The distributor SKU' } as const;
/** A document number printed on paper (PO, ASN, invoice, lot, tracking number). */
export const documentNumberSchema = { type: 'string', pattern: DOCUMENT_NUMBER_PATTERN, description: '1-40 printable characters' } as const;
/** A note a person writes. */
export const noteSchema = { type: 'string', minLength: 1, maxLength: 2000, pattern: TEXT_PATTERN } as const;

/** `{ id }` of a purchase order: the hub's `po_…` id or the ERP's PO number. */
export const purchaseOrderParamsSchema = {
  type: 'object',
  properties: { id: { ...documentNumberSchema, description: 'The hub id (po_…) or the PO number' } },
  required: ['id'],
  additionalProperties: false,
} as const;
/** `{ id }` of an ASN (`asn_<ULID>`). */
export const asnParamsSchema = idParamsSchema('asn', 'ASN');
/** `{ id }` of a supplier invoice (`inv_<ULID>`). */
export const supplierInvoiceParamsSchema = idParamsSchema('inv', 'Supplier invoice');
/** `{ sku }` of an item. */
export const skuParamsSchema = {
  type: 'object',
  properties: { sku: skuSchema },
  required: ['sku'],
  additionalProperties: false,
} as const;

/** Query of `GET /purchase-orders`. */
export const purchaseOrderQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: purchaseOrderStatuses, description: 'e.g. New, Changed, Acknowledged' },
    awaitingAcknowledgment: { type: 'boolean', description: 'Only orders whose current revision awaits your acknowledgment' },
    updatedSince: { type: 'string', format: 'date-time', description: 'Only orders changed after this time (RFC 3339)' },
    cursor: cursorSchema,
    limit: limitSchema,
  },
} as const;

/** Query of `GET /scorecard`. */
export const scorecardQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: { ...dateSchema, description: 'First day of the period (YYYY-MM-DD)' },
    to: { ...dateSchema, description: 'Last day of the period (YYYY-MM-DD)' },
  },
} as const;

/** Body of `POST /purchase-orders/{id}/acknowledgments`: mirrors AcknowledgmentSubmission. */
export const acknowledgmentSubmissionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['lines'],
  properties: {
    acknowledgmentNumber: { ...documentNumberSchema, description: 'Your acknowledgment number; identifies a repeated message' },
    revision: { type: 'integer', minimum: 0, description: 'The PO revision answered (0 for the original order); the current one when absent' },
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 999,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['lineNumber', 'action'],
        properties: {
          lineNumber: lineNumberSchema,
          action: { type: 'string', enum: ['accept', 'change', 'backorder', 'reject'] },
          quantity: { type: 'string', pattern: QUANTITY_PATTERN, description: 'Decimal string, e.g. "90"' },
          unitPrice: { type: 'string', pattern: AMOUNT_PATTERN, description: 'Decimal string, e.g. "4.10"' },
          promisedDate: dateSchema,
          substituteSku: skuSchema,
          note: noteSchema,
          unit: { ...unitSchema, description: 'The unit you mean; when given it must be the line\'s unit' },
        },
        allOf: [
          {
            if: { properties: { action: { const: 'change' } }, required: ['action'] },
            then: { anyOf: [{ required: ['quantity'] }, { required: ['unitPrice'] }, { required: ['promisedDate'] }, { required: ['substituteSku'] }] },
          },
          { if: { properties: { action: { const: 'backorder' } }, required: ['action'] }, then: { required: ['promisedDate'] } },
        ],
      },
    },
  },
} as const;

/** Body of `POST /asns`: mirrors AsnSubmission. */
export const asnSubmissionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['asnNumber', 'shipDate', 'expectedDeliveryDate', 'lines'],
  properties: {
    asnNumber: documentNumberSchema,
    shipDate: dateSchema,
    expectedDeliveryDate: dateSchema,
    carrierCode: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,34}$', description: 'e.g. UPSN, FDEG' },
    trackingNumber: documentNumberSchema,
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 999,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['poNumber', 'lineNumber', 'sku', 'quantity', 'unit'],
        properties: {
          poNumber: { ...documentNumberSchema, description: 'The PO number (or the hub id po_…)' },
          lineNumber: lineNumberSchema,
          sku: skuSchema,
          quantity: { type: 'string', pattern: POSITIVE_QUANTITY_PATTERN, description: 'Positive decimal string' },
          unit: unitSchema,
          lot: documentNumberSchema,
        },
      },
    },
  },
} as const;

/** Body of `POST /invoices`: mirrors SupplierInvoiceSubmission. */
export const supplierInvoiceSubmissionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['invoiceNumber', 'invoiceDate', 'poNumber', 'currency', 'lines'],
  properties: {
    invoiceNumber: documentNumberSchema,
    invoiceDate: dateSchema,
    poNumber: { ...documentNumberSchema, description: 'The PO number (or the hub id po_…)' },
    currency: currencySchema,
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 999,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['lineNumber', 'sku', 'quantity', 'unit', 'unitPrice'],
        properties: {
          lineNumber: lineNumberSchema,
          sku: skuSchema,
          quantity: { type: 'string', pattern: POSITIVE_QUANTITY_PATTERN, description: 'Positive decimal string' },
          unit: unitSchema,
          unitPrice: { type: 'string', pattern: AMOUNT_PATTERN, description: 'Decimal string, e.g. "4.25"' },
        },
      },
    },
    charges: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'amount'],
        properties: {
          kind: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,31}$', description: 'e.g. freight, handling' },
          amount: { type: 'string', pattern: AMOUNT_PATTERN },
        },
      },
    },
    tax: { type: 'string', pattern: AMOUNT_PATTERN, description: 'Decimal string' },
  },
} as const;

/** Body of `PUT /items/{sku}/availability`: mirrors SupplierAvailabilityUpdate. */
export const availabilityUpdateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['available', 'unit'],
  properties: {
    available: { type: 'string', pattern: QUANTITY_PATTERN, description: 'Decimal string you can ship now, e.g. "1200"' },
    unit: unitSchema,
    leadTimeDays: { type: 'integer', minimum: 0, maximum: 730, description: 'Days from order to shipment' },
    nextAvailableDate: { ...dateSchema, description: 'When more becomes available (YYYY-MM-DD)' },
  },
} as const;

/** A purchase order as its supplier sees it. */
export const supplierPurchaseOrderSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    poNumber: { type: 'string' },
    status: { type: 'string' },
    revision: { type: 'integer' },
    awaitingAcknowledgment: { type: 'boolean' },
    acknowledgmentDueBy: { type: 'string' },
    orderDate: { type: 'string' },
    shipTo: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' } }, required: ['code', 'name'] },
    currency: { type: 'string' },
    total: moneySchema,
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          lineNumber: { type: 'integer' },
          sku: { type: 'string' },
          supplierPartNumber: { type: 'string' },
          description: { type: 'string' },
          quantity: { type: 'string' },
          unit: { type: 'string' },
          unitPrice: moneySchema,
          requestedDate: { type: 'string' },
          status: { type: 'string' },
          quantityAcknowledged: { type: 'string' },
          promisedDate: { type: 'string' },
          quantityShipped: { type: 'string' },
          quantityReceived: { type: 'string' },
        },
        required: ['lineNumber', 'sku', 'quantity', 'unit', 'unitPrice', 'requestedDate', 'status', 'quantityShipped', 'quantityReceived'],
      },
    },
    updatedAt: { type: 'string' },
  },
  required: ['id', 'poNumber', 'status', 'revision', 'awaitingAcknowledgment', 'orderDate', 'shipTo', 'currency', 'total', 'lines', 'updatedAt'],
} as const;

/** The hub's answer to an acknowledgment. */
export const acknowledgmentResultSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    purchaseOrderId: { type: 'string' },
    outcome: { type: 'string', enum: ['Applied', 'Exception', 'Duplicate'] },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          lineNumber: { type: 'integer' },
          outcome: { type: 'string', enum: ['as_ordered', 'within_tolerance', 'out_of_tolerance', 'rejected'] },
          reasons: { type: 'array', items: { type: 'string' } },
        },
        required: ['lineNumber', 'outcome', 'reasons'],
      },
    },
    exceptionId: { type: 'string' },
    receivedAt: { type: 'string' },
  },
  required: ['id', 'purchaseOrderId', 'outcome', 'lines', 'receivedAt'],
} as const;

/** A ship notice as the hub holds it. */
export const asnViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    asnNumber: { type: 'string' },
    status: { type: 'string' },
    shipDate: { type: 'string' },
    expectedDeliveryDate: { type: 'string' },
    carrierCode: { type: 'string' },
    trackingNumber: { type: 'string' },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          poNumber: { type: 'string' },
          lineNumber: { type: 'integer' },
          sku: { type: 'string' },
          quantity: { type: 'string' },
          unit: { type: 'string' },
          quantityReceived: { type: 'string' },
        },
        required: ['poNumber', 'lineNumber', 'sku', 'quantity', 'unit', 'quantityReceived'],
      },
    },
    duplicate: { type: 'boolean' },
    receivedAt: { type: 'string' },
  },
  required: ['id', 'asnNumber', 'status', 'shipDate', 'expectedDeliveryDate', 'lines', 'receivedAt'],
} as const;

/** A supplier invoice with its 3-way match. */
export const supplierInvoiceViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    invoiceNumber: { type: 'string' },
    poNumber: { type: 'string' },
    status: { type: 'string' },
    invoiceDate: { type: 'string' },
    total: moneySchema,
    match: {
      type: 'object',
      properties: {
        result: { type: 'string', enum: ['matched', 'variance', 'waiting_for_receipt'] },
        lines: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              lineNumber: { type: 'integer' },
              sku: { type: 'string' },
              orderedQuantity: { type: 'string' },
              receivedQuantity: { type: 'string' },
              invoicedQuantity: { type: 'string' },
              poUnitPrice: { type: 'string' },
              invoicedUnitPrice: { type: 'string' },
              variances: { type: 'array', items: { type: 'string' } },
            },
            required: ['lineNumber', 'sku', 'orderedQuantity', 'receivedQuantity', 'invoicedQuantity', 'poUnitPrice', 'invoicedUnitPrice', 'variances'],
          },
        },
      },
      required: ['result', 'lines'],
    },
    exceptionId: { type: 'string' },
    duplicate: { type: 'boolean' },
    receivedAt: { type: 'string' },
  },
  required: ['id', 'invoiceNumber', 'poNumber', 'status', 'invoiceDate', 'total', 'receivedAt'],
} as const;

/** A supplier item after an availability update. */
export const supplierItemViewSchema = {
  type: 'object',
  properties: {
    sku: { type: 'string' },
    available: { type: 'string' },
    unit: { type: 'string' },
    leadTimeDays: { type: 'integer' },
    nextAvailableDate: { type: 'string' },
    updatedAt: { type: 'string' },
  },
  required: ['sku', 'available', 'unit', 'updatedAt'],
} as const;

const nullableNumber = { type: ['number', 'null'] } as const;

/** A supplier's performance over a period. */
export const scorecardSchema = {
  type: 'object',
  properties: {
    supplierId: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    purchaseOrders: { type: 'integer' },
    acknowledgmentLatency: {
      type: 'object',
      properties: { count: { type: 'integer' }, medianHours: nullableNumber, p90Hours: nullableNumber },
      required: ['count', 'medianHours', 'p90Hours'],
    },
    onTimeAsnRate: nullableNumber,
    fillRate: nullableNumber,
    invoiceFirstPassMatchRate: nullableNumber,
  },
  required: ['supplierId', 'from', 'to', 'purchaseOrders', 'acknowledgmentLatency', 'onTimeAsnRate', 'fillRate', 'invoiceFirstPassMatchRate'],
} as const;
