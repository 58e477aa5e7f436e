/**
 * JSON Schemas shared by the customer API routes: request parts (ids, paging, headers, bodies) and the response
 * documents. Response schemas make Fastify serialise only the declared fields, so nothing internal leaks.
 */
import { unitCodes } from '@tradelane/canonical';

declare module 'fastify' {
  interface FastifySchema {
    /** One-line summary of the route, for generated clients and docs. */
    summary?: string;
    /** Longer description of the route. */
    description?: string;
    /** Groups of the route, for generated docs. */
    tags?: readonly string[];
  }
}

const ULID = '[0-7][0-9A-HJKMNP-TV-Z]{25}';

/** Largest page a listing returns; larger `limit`s are capped to it. */
export const MAX_PAGE_LIMIT = 200;
/** Page size when `limit` is absent. */
export const DEFAULT_PAGE_LIMIT = 50;

/** A strictly positive decimal string with up to 6 decimals (quantities are never JSON numbers). */
export const POSITIVE_QUANTITY_PATTERN = '^(?!0+(?:\\.0+)?$)(?:0|[1-9]\\d{0,11})(?:\\.\\d{1,6})?$';
/** A non-negative decimal string with up to 6 decimals. */
export const QUANTITY_PATTERN = '^(?:0|[1-9]\\d{0,11})(?:\\.\\d{1,6})?$';
/** A non-negative money amount: decimal string with up to 4 decimals. */
export const AMOUNT_PATTERN = '^(?:0|[1-9]\\d{0,14})(?:\\.\\d{1,4})?$';
/** Printable text on paper (PO numbers, codes): 1-40 visible ASCII characters, no leading or trailing space. */
export const DOCUMENT_NUMBER_PATTERN = '^[\\x21-\\x7E](?:[\\x20-\\x7E]{0,38}[\\x21-\\x7E])?$';
/** Free text: no control characters other than tab and line breaks. */
export const TEXT_PATTERN = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$';

/** `{ id }` path parameters for an id of the given prefix (`so`, `inv`, `rma`): `<prefix>_<ULID>`. */
export function idParamsSchema(prefix: string, what: string) {
  return {
    type: 'object',
    properties: { id: { type: 'string', pattern: `^${prefix}_${ULID}$`, description: `${what} id, ${prefix}_<26-character ULID>` } },
    required: ['id'],
    additionalProperties: false,
  } as const;
}

/** Calendar date `YYYY-MM-DD`. */
export const dateSchema = { type: 'string', format: 'date', description: 'Calendar date YYYY-MM-DD' } as const;
/** Opaque paging cursor from a previous page's `nextCursor`. */
export const cursorSchema = { type: 'string', minLength: 1, maxLength: 512, description: 'nextCursor of the previous page' } as const;
/** Page size: 1 or more, default 50, capped at 200. */
export const limitSchema = { type: 'integer', minimum: 1, description: `Page size, default ${DEFAULT_PAGE_LIMIT}, capped at ${MAX_PAGE_LIMIT}` } as const;
/** Short free-text search. */
export const searchSchema = { type: 'string', minLength: 1, maxLength: 100, pattern: TEXT_PATTERN } as const;
/** A lifecycle status filter (PascalCase). */
export const statusFilterSchema = { type: 'string', pattern: '^[A-Z][A-Za-z]{0,39}$', description: 'Status, e.g. Shipped' } as const;

/** The page size to ask for: the requested one capped at {@link MAX_PAGE_LIMIT}, else the default. */
export function pageLimit(limit: number | undefined): number {
  return Math.min(limit ?? DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT);
}

const authHeaderProperties = {
  authorization: { type: 'string', description: 'Bearer <API key>' },
  'x-api-key': { type: 'string', description: 'API key (alternative to Authorization)' },
} as const;

/** Headers of every customer route: the API key. */
export const authHeadersSchema = { type: 'object', properties: authHeaderProperties } as const;
/** Headers of create routes: the API key and the required `Idempotency-Key`. */
export const idempotentHeadersSchema = {
  type: 'object',
  properties: {
    ...authHeaderProperties,
    'idempotency-key': { type: 'string', minLength: 1, maxLength: 255, description: 'Required; 1-255 printable characters, e.g. a UUID' },
  },
} as const;
/** Headers of the event stream: the API key and an optional `Last-Event-ID` to resume after. */
export const eventStreamHeadersSchema = {
  type: 'object',
  properties: { ...authHeaderProperties, 'last-event-id': { type: 'string', pattern: '^\\d{1,15}$', description: 'Resume after this seq' } },
} as const;

/** An RFC 9457 problem document as every error answers. */
export const problemSchema = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string' },
    correlationId: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' }, rule: { type: 'string' } }, required: ['path', 'message'] },
    },
    details: { type: 'object', additionalProperties: true },
  },
  required: ['type', 'title', 'status', 'code'],
  additionalProperties: true,
} as const;

/** Error responses every customer route may give. */
export const problemResponses = { '4xx': problemSchema, '5xx': problemSchema } as const;

/** Money: decimal string amount plus ISO 4217 currency. */
export const moneySchema = {
  type: 'object',
  properties: { amount: { type: 'string' }, currency: { type: 'string' } },
  required: ['amount', 'currency'],
} as const;

/** A page of `items` with the cursor of the next one (null at the end). */
export function pageSchema<T extends object>(item: T) {
  return {
    type: 'object',
    properties: { items: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } },
    required: ['items', 'nextCursor'],
  } as const;
}

/** An item with the caller's price and availability. */
export const itemOfferSchema = {
  type: 'object',
  properties: {
    sku: { type: 'string' },
    description: { type: 'string' },
    customerPartNumber: { type: 'string' },
    gtin: { type: 'string' },
    unit: { type: 'string' },
    units: { type: 'array', items: { type: 'object', properties: { unit: { type: 'string' }, factor: { type: 'string' } }, required: ['unit', 'factor'] } },
    price: moneySchema,
    priceSource: { type: 'string', enum: ['contract', 'list'] },
    tiers: { type: 'array', items: { type: 'object', properties: { minQuantity: { type: 'string' }, price: moneySchema }, required: ['minQuantity', 'price'] } },
    available: { type: 'string' },
    asOf: { type: 'string' },
  },
  required: ['sku', 'description', 'unit', 'units', 'price', 'priceSource', 'tiers', 'available', 'asOf'],
} as const;

/** One entry of an order's (or return's) timeline. */
export const timelineEntrySchema = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    status: { type: 'string' },
    at: { type: 'string' },
    source: { type: 'string' },
    detail: { type: 'string' },
    lineNumber: { type: 'integer' },
    shipmentId: { type: 'string' },
  },
  required: ['seq', 'status', 'at', 'source', 'detail'],
} as const;

const lineQuantitySchema = {
  type: 'object',
  properties: { lineNumber: { type: 'integer' }, quantity: { type: 'string' } },
  required: ['lineNumber', 'quantity'],
} as const;

/** An order with lines, shipments and timeline. */
export const orderViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    customerPoNumber: { type: 'string' },
    orderNumber: { type: 'string' },
    status: { type: 'string' },
    orderedAt: { type: 'string' },
    requestedDeliveryDate: { type: 'string' },
    shipTo: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' } }, required: ['name'] },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          lineNumber: { type: 'integer' },
          sku: { type: 'string' },
          customerPartNumber: { type: 'string' },
          description: { type: 'string' },
          quantity: { type: 'string' },
          unit: { type: 'string' },
          unitPrice: moneySchema,
          status: { type: 'string' },
          quantityAllocated: { type: 'string' },
          quantityBackordered: { type: 'string' },
          quantityShipped: { type: 'string' },
          promisedDate: { type: 'string' },
          priceMismatch: {
            type: 'object',
            properties: { expected: { type: 'string' }, contract: { type: 'string' } },
            required: ['expected', 'contract'],
          },
        },
        required: ['lineNumber', 'sku', 'quantity', 'unit', 'unitPrice', 'status', 'quantityAllocated', 'quantityBackordered', 'quantityShipped'],
      },
    },
    shipments: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          shipmentId: { type: 'string' },
          carrierCode: { type: 'string' },
          trackingNumber: { type: 'string' },
          status: { type: 'string' },
          shippedAt: { type: 'string' },
          deliveredAt: { type: 'string' },
          proofOfDelivery: { type: 'object', properties: { signedBy: { type: 'string' }, at: { type: 'string' } }, required: ['at'] },
          lines: { type: 'array', items: lineQuantitySchema },
        },
        required: ['shipmentId', 'carrierCode', 'trackingNumber', 'status', 'lines'],
      },
    },
    total: moneySchema,
    timeline: { type: 'array', items: timelineEntrySchema },
  },
  required: ['id', 'customerPoNumber', 'status', 'orderedAt', 'shipTo', 'lines', 'shipments', 'total', 'timeline'],
} as const;

/** One row of an order listing. */
export const orderSummarySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    customerPoNumber: { type: 'string' },
    orderNumber: { type: 'string' },
    status: { type: 'string' },
    orderedAt: { type: 'string' },
    total: moneySchema,
    lineCount: { type: 'integer' },
  },
  required: ['id', 'customerPoNumber', 'status', 'orderedAt', 'total', 'lineCount'],
} as const;

/** An invoice or credit memo. */
export const invoiceViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    invoiceNumber: { type: 'string' },
    kind: { type: 'string', enum: ['invoice', 'credit_memo'] },
    status: { type: 'string' },
    orderId: { type: 'string' },
    customerPoNumber: { type: 'string' },
    invoiceDate: { type: 'string' },
    dueDate: { type: 'string' },
    total: moneySchema,
    openAmount: moneySchema,
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          lineNumber: { type: 'integer' },
          sku: { type: 'string' },
          description: { type: 'string' },
          quantity: { type: 'string' },
          unit: { type: 'string' },
          unitPrice: moneySchema,
          amount: moneySchema,
        },
        required: ['lineNumber', 'quantity', 'unit', 'unitPrice', 'amount'],
      },
    },
  },
  required: ['id', 'invoiceNumber', 'kind', 'status', 'invoiceDate', 'dueDate', 'total', 'openAmount', 'lines'],
} as const;

/** Open balance with ageing buckets. */
export const accountBalanceSchema = {
  type: 'object',
  properties: {
    currency: { type: 'string' },
    balance: { type: 'string' },
    aging: {
      type: 'object',
      properties: {
        current: { type: 'string' },
        days1to30: { type: 'string' },
        days31to60: { type: 'string' },
        days61to90: { type: 'string' },
        over90: { type: 'string' },
      },
      required: ['current', 'days1to30', 'days31to60', 'days61to90', 'over90'],
    },
    asOf: { type: 'string' },
  },
  required: ['currency', 'balance', 'aging', 'asOf'],
} as const;

/** A return (RMA). */
export const returnViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    orderId: { type: 'string' },
    rmaNumber: { type: 'string' },
    status: { type: 'string' },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: { lineNumber: { type: 'integer' }, sku: { type: 'string' }, quantity: { type: 'string' }, reasonCode: { type: 'string' } },
        required: ['lineNumber', 'sku', 'quantity', 'reasonCode'],
      },
    },
    creditMemoId: { type: 'string' },
    timeline: { type: 'array', items: timelineEntrySchema },
  },
  required: ['id', 'orderId', 'status', 'lines', 'timeline'],
} as const;

/** A document line number: 1 to 99999. */
export const lineNumberSchema = { type: 'integer', minimum: 1, maximum: 99999 } as const;
/** A canonical unit of measure code. */
export const unitSchema = { type: 'string', enum: unitCodes, description: 'Unit of measure code, e.g. EA, CS, KG' } as const;
/** A SKU: 1-48 characters, letters and digits first, then also `.`, `_`, `/` and `-`. */
export const SKU_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._\\/-]{0,47}$';

/** Body of `POST /orders`: mirrors OrderSubmission; each line names its item by SKU, customer part number or GTIN. */
export const orderSubmissionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['customerPoNumber', 'lines'],
  properties: {
    customerPoNumber: { type: 'string', pattern: DOCUMENT_NUMBER_PATTERN, description: 'Your PO number, 1-40 printable characters' },
    shipTo: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,34}$', description: 'Ship-to code; the default ship-to when absent' },
    requestedDeliveryDate: dateSchema,
    shipComplete: { type: 'boolean' },
    notes: { type: 'string', maxLength: 2000, pattern: TEXT_PATTERN },
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 999,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['quantity', 'unit'],
        anyOf: [{ required: ['sku'] }, { required: ['customerPartNumber'] }, { required: ['gtin'] }],
        properties: {
          sku: { type: 'string', pattern: SKU_PATTERN },
          customerPartNumber: { type: 'string', pattern: '^[\\x21-\\x7E](?:[\\x20-\\x7E]{0,46}[\\x21-\\x7E])?$' },
          gtin: { type: 'string', pattern: '^(?:\\d{8}|\\d{12,14})$' },
          quantity: { type: 'string', pattern: POSITIVE_QUANTITY_PATTERN, description: 'Positive decimal string, e.g. "12" or "2.5"' },
          unit: unitSchema,
          expectedUnitPrice: { type: 'string', pattern: AMOUNT_PATTERN, description: 'Decimal string, e.g. "12.50"' },
          requestedDate: dateSchema,
        },
      },
    },
  },
} as const;

/** Body of `POST /orders/{id}/change`: new quantities per line (0 removes the line). */
export const orderChangeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['lines'],
  properties: {
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 999,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['lineNumber', 'quantity'],
        properties: { lineNumber: lineNumberSchema, quantity: { type: 'string', pattern: QUANTITY_PATTERN, description: 'Decimal string; "0" removes the line' } },
      },
    },
  },
} as const;

/** Body of `POST /orders/{id}/cancel`. */
export const orderCancelSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: { reason: { type: 'string', minLength: 1, maxLength: 500, pattern: TEXT_PATTERN } },
} as const;

/** Body of `POST /returns`: mirrors ReturnRequest. */
export const returnRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['orderId', 'reason', 'lines'],
  properties: {
    orderId: { type: 'string', pattern: `^so_${ULID}$`, description: 'The order the goods came from' },
    reason: { type: 'string', minLength: 1, maxLength: 500, pattern: TEXT_PATTERN },
    notes: { type: 'string', maxLength: 2000, pattern: TEXT_PATTERN },
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 999,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['lineNumber', 'quantity', 'reasonCode'],
        properties: {
          lineNumber: lineNumberSchema,
          quantity: { type: 'string', pattern: POSITIVE_QUANTITY_PATTERN },
          reasonCode: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{0,31}$', description: 'e.g. DAMAGED, WRONG_ITEM' },
        },
      },
    },
  },
} as const;
