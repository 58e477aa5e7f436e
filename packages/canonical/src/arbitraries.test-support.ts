/**
 * fast-check arbitraries producing valid, varied canonical documents (test support only; not exported by the package).
 * Every cross-field rule a schema enforces is built in here, so a generated document is valid by construction.
 */
import fc from 'fast-check';
import type { AdvanceShipNotice } from './advance-ship-notice.schema.js';
import type { EventEnvelope } from './event-envelope.schema.js';
import type { Exception } from './exception.schema.js';
import { findUnstorableJson } from './common.schema.js';
import { gs1CheckDigit } from './gs1.js';
import type { IdPrefix } from './ids.js';
import type { InventoryPosition } from './inventory-position.schema.js';
import type { Invoice } from './invoice.schema.js';
import type { Item } from './item.schema.js';
import { sumMoney, type Money } from './money.js';
import type { Party } from './party.schema.js';
import type { Payment } from './payment.schema.js';
import type { Price } from './price.schema.js';
import { purchaseOrderLineStatuses, purchaseOrderStates } from './purchase-order.lifecycle.js';
import type { PurchaseOrderAcknowledgment } from './purchase-order-acknowledgment.schema.js';
import type { PurchaseOrder } from './purchase-order.schema.js';
import { compareDecimal, formatDecimal, parseDecimal } from './decimal.js';
import type { ReturnAuthorization } from './return-authorization.schema.js';
import { salesOrderLineStatuses, salesOrderStates } from './sales-order.lifecycle.js';
import type { SalesOrder } from './sales-order.schema.js';
import type { Shipment } from './shipment.schema.js';
import { totalOf } from './totals.schema.js';
import type { TrackingEvent } from './tracking-event.schema.js';
import { trackingStatuses } from './tracking-event.schema.js';
import { unitCodes } from './units.js';

// ---------- primitives ----------

const CROCKFORD = [...'0123456789ABCDEFGHJKMNPQRSTVWXYZ'];

/** Record with some keys optional (absent, never `undefined`), plain prototype. */
function rec<R extends Record<string, fc.Arbitrary<unknown>>, O extends Record<string, fc.Arbitrary<unknown>>>(
  required: R,
  optional: O,
): fc.Arbitrary<{ [K in keyof R]: R[K] extends fc.Arbitrary<infer T> ? T : never } & { [K in keyof O]?: O[K] extends fc.Arbitrary<infer T> ? T : never }> {
  return fc.record({ ...required, ...optional }, { requiredKeys: Object.keys(required), noNullPrototype: true }) as never;
}

/** Record with every key required, plain prototype. */
function plain<R extends Record<string, fc.Arbitrary<unknown>>>(model: R): fc.Arbitrary<{ [K in keyof R]: R[K] extends fc.Arbitrary<infer T> ? T : never }> {
  return fc.record(model, { noNullPrototype: true }) as never;
}

/** A prefixed ULID. */
export function idArb<P extends IdPrefix>(prefix: P): fc.Arbitrary<`${P}_${string}`> {
  return fc
    .tuple(fc.constantFrom(...'01234567'), fc.string({ unit: fc.constantFrom(...CROCKFORD), minLength: 25, maxLength: 25 }))
    .map(([first, rest]) => `${prefix}_${first}${rest}` as const);
}

/** Tenant ids. */
export const tenantArb = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,14}[a-z0-9])?$/);

const textUnit = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }).filter((c) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(c)) },
  { weight: 1, arbitrary: fc.constantFrom('é', 'ü', 'ß', 'ñ', '中', '文', 'Ω', '😀', '—', ' ') },
);

/** Non-empty text that fits `max` UTF-16 code units. */
export function textArb(max = 200): fc.Arbitrary<string> {
  return fc.string({ unit: textUnit, minLength: 1, maxLength: Math.max(1, Math.min(24, Math.floor(max / 2))) });
}

const documentNumberArb = fc.stringMatching(/^[A-Z0-9][A-Z0-9 \/-]{0,12}[A-Z0-9]$/);
const skuArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._\/-]{0,15}$/);
const partNumberArb = fc.stringMatching(/^[!-~](?:[ -~]{0,12}[!-~])?$/);
const locationArb = fc.stringMatching(/^[A-Z0-9][A-Za-z0-9._-]{0,9}$/);
const carrierCodeArb = fc.stringMatching(/^[A-Z0-9]{2,4}$/);
const countryArb = fc.constantFrom('US', 'CA', 'MX', 'DE', 'FR', 'GB', 'NL', 'JP', 'CN', 'AU');
const emailArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}(?:\.[a-z0-9]{1,5})?@[a-z][a-z0-9-]{0,8}\.(?:com|net|org|de|co\.uk)$/);
const phoneArb = fc.stringMatching(/^\+?[0-9]{3,12}$/);
const externalIdsArb = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/), textArb(100), { maxKeys: 3, noNullPrototype: true });
const unitArb = fc.constantFrom(...unitCodes);

/** Decimal strings matching the quantity schema (non-negative, up to 6 decimals), with varied trailing zeros. */
export const quantityArb = fc.stringMatching(/^(?:0|[1-9]\d{0,8})(?:\.\d{1,6})?$/);
/** Strictly positive quantities. */
export const positiveQuantityArb = quantityArb.filter((q) => parseDecimal(q).units !== 0n);

const currencies = ['USD', 'EUR', 'GBP', 'CAD', 'MXN', 'JPY', 'KWD', 'CHF'] as const;
/** ISO 4217 currency codes with 0, 2 and 3 minor digits. */
export const currencyArb = fc.constantFrom(...currencies);

/** Non-negative money amount strings, up to 4 decimals. */
export const amountArb = fc.stringMatching(/^(?:0|[1-9]\d{0,9})(?:\.\d{1,4})?$/);
/** Signed money amount strings. */
export const signedAmountArb = fc
  .tuple(fc.boolean(), amountArb)
  .map(([neg, a]) => (neg && parseDecimal(a).units !== 0n ? `-${a}` : a));

/** Money in the given currency. */
export function moneyArb(currency: string, signed = false): fc.Arbitrary<Money> {
  return (signed ? signedAmountArb : amountArb).map((amount) => ({ amount, currency }));
}

const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2099, 11, 31);
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** RFC 3339 text for an instant, written in the given offset (minutes), with or without milliseconds. */
export function formatInstant(ms: number, offsetMinutes: number, millis: boolean): string {
  const local = new Date(ms + offsetMinutes * 60_000);
  const base = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  const fraction = millis ? `.${pad(local.getUTCMilliseconds(), 3)}` : '';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone = offsetMinutes === 0 ? 'Z' : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return base + fraction + zone;
}

const instantMsArb = fc.integer({ min: MIN_MS, max: MAX_MS - 400 * 86_400_000 });
const offsetArb = fc.constantFrom(0, 0, 60, 120, -300, -420, 330, 540);

/** RFC 3339 date-times with various offsets and precisions. */
export const dateTimeArb = fc.tuple(instantMsArb, offsetArb, fc.boolean()).map(([ms, off, m]) => formatInstant(ms, off, m));

/** An instant at or after `ms` (within `maxDeltaMs`), formatted in UTC. */
function dateTimeAfter(ms: number, maxDeltaMs = 30 * 86_400_000): fc.Arbitrary<string> {
  return fc.tuple(fc.integer({ min: 0, max: maxDeltaMs }), fc.boolean()).map(([d, m]) => formatInstant(ms + d, 0, m));
}

const dayMs = 86_400_000;
/** YYYY-MM-DD calendar dates. */
export const dateArb = instantMsArb.map((ms) => new Date(ms).toISOString().slice(0, 10));
const dateFrom = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** GS1 key of `length` digits with a correct check digit. */
export function gs1Arb(length: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length - 1, maxLength: length - 1 }).map((d) => d + gs1CheckDigit(d));
}
/** Valid GTINs of every length. */
export const gtinArb = fc.constantFrom(8, 12, 13, 14).chain(gs1Arb);
/** Valid SSCC-18s. */
export const ssccArb = gs1Arb(18);

const addressArb = rec(
  { line1: textArb(120), city: textArb(80), country: countryArb },
  { line2: textArb(120), line3: textArb(120), region: textArb(80), postalCode: fc.stringMatching(/^[A-Z0-9][A-Z0-9 -]{0,8}$/) },
);
const contactArb = rec({ name: textArb(120) }, { role: textArb(60), email: emailArb, phone: phoneArb });
const documentPartyArb = rec({ name: textArb(120), address: addressArb }, { partyId: idArb('pty'), code: textArb(40), contact: contactArb });
const carrierArb = rec({ code: carrierCodeArb }, { name: textArb(80), service: textArb(60) });
const weightArb = rec({ value: positiveQuantityArb, unit: fc.constantFrom('KG' as const, 'LB' as const) }, {});
const paymentTermsArb = rec(
  { code: fc.constantFrom('NET30', 'NET60', '2/10N30', 'COD', 'DUE'), netDays: fc.integer({ min: 0, max: 120 }) },
  {
    discountPercent: fc.stringMatching(/^(?:0|[1-9]\d?)(?:\.\d{1,2})?$/),
    discountDays: fc.integer({ min: 0, max: 30 }),
    description: textArb(120),
  },
);
const auditArb = instantMsArb.chain((ms) => plain({ createdAt: fc.constant(formatInstant(ms, 0, true)), updatedAt: dateTimeAfter(ms) }));
const channelArb = fc.constantFrom('portal' as const, 'api' as const, 'edi' as const, 'csv' as const, 'erp' as const, 'email' as const, 'manual' as const);

/** Totals that add up, in `currency`. */
function totalsArb(currency: string) {
  return rec(
    { subtotal: moneyArb(currency), tax: moneyArb(currency), freight: moneyArb(currency) },
    { discount: moneyArb(currency) },
  ).map((t) => ({ ...t, total: totalOf(t) }));
}

/** 1..max lines, numbered uniquely (not necessarily contiguous), built by `line(lineNumber)`. */
function linesArb<T>(line: (lineNumber: number) => fc.Arbitrary<T>, max = 5): fc.Arbitrary<T[]> {
  return fc
    .uniqueArray(fc.integer({ min: 1, max: 99999 }), { minLength: 1, maxLength: max })
    .chain((numbers) => fc.tuple(...numbers.map(line)));
}

// ---------- documents ----------

const partyBase = () => ({
  schemaVersion: fc.constant(1 as const),
  id: idArb('pty'),
  tenantId: tenantArb,
  code: textArb(40),
  name: textArb(120),
  status: fc.constantFrom('active' as const, 'inactive' as const, 'blocked' as const),
  address: addressArb,
  contacts: fc.array(contactArb, { maxLength: 2 }),
  externalIds: externalIdsArb,
  createdAt: dateTimeArb,
  updatedAt: dateTimeArb,
});
const partyOptional = { legalName: textArb(200), taxId: textArb(40), gln: gs1Arb(13) };
const ediArb = rec({ qualifier: fc.constantFrom('ZZ', '01', '08', '12'), id: fc.stringMatching(/^[A-Z0-9]{1,15}$/) }, {});

/** Valid parties of every kind. */
export const partyArb: fc.Arbitrary<Party> = fc.oneof(
  currencyArb.chain((currency) =>
    rec(
      {
        ...partyBase(),
        kind: fc.constant('customer' as const),
        currency: fc.constant(currency),
        credit: rec({ limit: moneyArb(currency), onHold: fc.boolean() }, { holdReason: textArb(200), reviewedAt: dateTimeArb }),
      },
      { ...partyOptional, paymentTerms: paymentTermsArb, edi: ediArb },
    ),
  ),
  rec(
    { ...partyBase(), kind: fc.constant('supplier' as const), currency: currencyArb, leadTimeDays: fc.integer({ min: 0, max: 365 }) },
    { ...partyOptional, paymentTerms: paymentTermsArb, toleranceProfile: textArb(40), remitTo: addressArb, edi: ediArb },
  ),
  rec({ ...partyBase(), kind: fc.constant('ship_to' as const), parentPartyId: idArb('pty') }, { ...partyOptional, deliveryInstructions: textArb(500) }),
  rec({ ...partyBase(), kind: fc.constant('bill_to' as const), parentPartyId: idArb('pty') }, partyOptional),
).filter((p) => !('parentPartyId' in p) || p.parentPartyId !== p.id) as fc.Arbitrary<Party>;

/** Valid items: units, conversions and cross-references consistent with each other. */
export const itemArb: fc.Arbitrary<Item> = fc
  .uniqueArray(unitArb, { minLength: 1, maxLength: 4 })
  .chain((units) => {
    const own = fc.constantFrom(...units);
    const conversionArb = fc
      .tuple(own, own, fc.stringMatching(/^[1-9]\d{0,3}(?:\.\d{1,4})?$/))
      .filter(([from, to]) => from !== to)
      .map(([from, to, factor]) => ({ from, to, factor }));
    const crossReferenceArb = fc.oneof(
      rec({ kind: fc.constant('customer_part' as const), customerId: idArb('pty'), partNumber: partNumberArb }, { unit: own }),
      rec(
        { kind: fc.constant('supplier_part' as const), supplierId: idArb('pty'), partNumber: partNumberArb, primary: fc.boolean() },
        { unit: own, minimumOrderQuantity: positiveQuantityArb },
      ),
      rec({ kind: fc.constant('gtin' as const), gtin: gtinArb, unit: own }, {}),
    );
    return rec(
      {
        schemaVersion: fc.constant(1 as const),
        id: idArb('itm'),
        tenantId: tenantArb,
        sku: skuArb,
        description: textArb(200),
        status: fc.constantFrom('active' as const, 'discontinued' as const, 'inactive' as const),
        baseUnit: own,
        units: fc.tuple(
          ...units.map((unit) => rec({ unit: fc.constant(unit), sellable: fc.boolean(), purchasable: fc.boolean() }, { weight: weightArb })),
        ),
        conversions: units.length > 1 ? fc.array(conversionArb, { maxLength: 3 }) : fc.constant([]),
        crossReferences: fc.uniqueArray(crossReferenceArb, {
          maxLength: 4,
          selector: (r) => (r.kind === 'gtin' ? r.gtin : Symbol()),
        }),
        stocked: fc.boolean(),
        externalIds: externalIdsArb,
        createdAt: dateTimeArb,
        updatedAt: dateTimeArb,
      },
      { longDescription: textArb(4000), category: textArb(80), hazmat: fc.boolean(), taxCode: textArb(20) },
    );
  }) as fc.Arbitrary<Item>;

/** Valid list and contract prices with ascending tiers. */
export const priceArb: fc.Arbitrary<Price> = fc
  .tuple(currencyArb, fc.uniqueArray(quantityArb, { minLength: 1, maxLength: 4, selector: (q) => formatDecimal(parseDecimal(q)) }), instantMsArb)
  .chain(([currency, minQuantities, fromMs]) => {
    const sorted = [...minQuantities].sort(compareDecimal);
    const base = {
      schemaVersion: fc.constant(1 as const),
      id: idArb('prc'),
      tenantId: tenantArb,
      itemId: idArb('itm'),
      sku: skuArb,
      currency: fc.constant(currency),
      unit: unitArb,
      tiers: fc.tuple(...sorted.map((minQuantity) => plain({ minQuantity: fc.constant(minQuantity), unitPrice: moneyArb(currency) }))),
      validFrom: fc.constant(dateFrom(fromMs)),
      externalIds: externalIdsArb,
      createdAt: dateTimeArb,
      updatedAt: dateTimeArb,
    };
    const validTo = fc.integer({ min: 0, max: 400 }).map((d) => dateFrom(fromMs + d * dayMs));
    return fc.oneof(
      rec({ ...base, kind: fc.constant('list' as const) }, { validTo, priceList: textArb(40) }),
      rec({ ...base, kind: fc.constant('contract' as const), customerId: idArb('pty') }, { validTo, contractNumber: textArb(40) }),
    );
  }) as fc.Arbitrary<Price>;

/** Valid inventory positions. */
export const inventoryPositionArb: fc.Arbitrary<InventoryPosition> = rec(
  {
    schemaVersion: fc.constant(1 as const),
    tenantId: tenantArb,
    itemId: idArb('itm'),
    sku: skuArb,
    locationId: locationArb,
    unit: unitArb,
    onHand: quantityArb,
    allocated: quantityArb,
    available: fc.oneof(quantityArb, positiveQuantityArb.map((q) => `-${q}`)),
    inbound: fc.array(
      fc.oneof(
        rec(
          { source: fc.constant('po' as const), purchaseOrderId: idArb('po'), quantity: positiveQuantityArb, expectedDate: dateArb, acknowledged: fc.boolean() },
          { lineNumber: fc.integer({ min: 1, max: 999 }) },
        ),
        rec({ source: fc.constant('asn' as const), asnId: idArb('asn'), quantity: positiveQuantityArb, expectedDate: dateArb }, { purchaseOrderId: idArb('po') }),
      ),
      { maxLength: 3 },
    ),
    asOf: dateTimeArb,
  },
  { onHold: quantityArb },
) as fc.Arbitrary<InventoryPosition>;

const salesOrderLineArb = (currency: string) => (lineNumber: number) =>
  rec(
    {
      lineNumber: fc.constant(lineNumber),
      sku: skuArb,
      quantity: positiveQuantityArb,
      unit: unitArb,
      unitPrice: moneyArb(currency),
      status: fc.constantFrom(...salesOrderLineStatuses),
    },
    {
      itemId: idArb('itm'),
      customerPartNumber: partNumberArb,
      description: textArb(200),
      requestedDate: dateArb,
      promisedDate: dateArb,
      quantityAllocated: quantityArb,
      quantityShipped: quantityArb,
      quantityCancelled: quantityArb,
    },
  ).map((line) => {
    // A line needs at least one way to identify the item; drop the sku sometimes when another one is there.
    if (line.lineNumber % 3 === 0 && (line.itemId !== undefined || line.customerPartNumber !== undefined)) {
      const { sku: _sku, ...rest } = line;
      return rest;
    }
    return line;
  });

const holdArb = rec(
  {
    code: fc.constantFrom('credit_hold' as const, 'price_review' as const, 'fraud_review' as const, 'compliance' as const, 'manual' as const),
    reason: textArb(200),
    placedAt: dateTimeArb,
  },
  { releasedAt: dateTimeArb, releasedBy: textArb(120) },
);

/** Valid sales orders with consistent currency and totals. */
export const salesOrderArb: fc.Arbitrary<SalesOrder> = currencyArb.chain((currency) =>
  rec(
    {
      schemaVersion: fc.constant(1 as const),
      id: idArb('so'),
      tenantId: tenantArb,
      customerId: idArb('pty'),
      customerPoNumber: documentNumberArb,
      channel: channelArb,
      status: fc.constantFrom(...salesOrderStates),
      orderedAt: dateTimeArb,
      shipTo: documentPartyArb,
      billTo: documentPartyArb,
      currency: fc.constant(currency),
      shipComplete: fc.boolean(),
      lines: linesArb(salesOrderLineArb(currency)),
      totals: totalsArb(currency),
      holds: fc.array(holdArb, { maxLength: 2 }),
      shipments: fc.array(
        rec({ shipmentId: idArb('shp') }, { carrierCode: carrierCodeArb, trackingNumber: textArb(40), shippedAt: dateTimeArb }),
        { maxLength: 2 },
      ),
      externalIds: externalIdsArb,
      createdAt: dateTimeArb,
      updatedAt: dateTimeArb,
    },
    {
      orderNumber: documentNumberArb,
      requestedDeliveryDate: dateArb,
      paymentTerms: paymentTermsArb,
      requestedCarrier: carrierArb,
      notes: textArb(2000),
    },
  ),
) as fc.Arbitrary<SalesOrder>;

/** Valid purchase orders. */
export const purchaseOrderArb: fc.Arbitrary<PurchaseOrder> = currencyArb.chain((currency) =>
  rec(
    {
      schemaVersion: fc.constant(1 as const),
      id: idArb('po'),
      tenantId: tenantArb,
      poNumber: documentNumberArb,
      revision: fc.integer({ min: 0, max: 999 }),
      supplierId: idArb('pty'),
      status: fc.constantFrom(...purchaseOrderStates),
      orderedAt: dateTimeArb,
      channel: channelArb,
      currency: fc.constant(currency),
      shipToLocationId: locationArb,
      shipTo: documentPartyArb,
      lines: linesArb((lineNumber) =>
        rec(
          {
            lineNumber: fc.constant(lineNumber),
            itemId: idArb('itm'),
            sku: skuArb,
            quantity: positiveQuantityArb,
            unit: unitArb,
            unitPrice: moneyArb(currency),
            requestedDate: dateArb,
            status: fc.constantFrom(...purchaseOrderLineStatuses),
          },
          {
            supplierPartNumber: partNumberArb,
            description: textArb(200),
            promisedDate: dateArb,
            quantityAcknowledged: quantityArb,
            quantityShipped: quantityArb,
            quantityReceived: quantityArb,
            quantityInvoiced: quantityArb,
            forSalesOrders: fc.array(plain({ salesOrderId: idArb('so'), lineNumber: fc.integer({ min: 1, max: 999 }) }), { maxLength: 2 }),
          },
        ),
      ),
      totals: totalsArb(currency),
      externalIds: externalIdsArb,
      createdAt: dateTimeArb,
      updatedAt: dateTimeArb,
    },
    {
      buyer: contactArb,
      paymentTerms: paymentTermsArb,
      incoterms: fc.constantFrom('EXW' as const, 'FCA' as const, 'DAP' as const, 'DDP' as const, 'FOB' as const),
      billTo: documentPartyArb,
      requestedCarrier: carrierArb,
      dropShipSalesOrderId: idArb('so'),
      notes: textArb(2000),
    },
  ),
) as fc.Arbitrary<PurchaseOrder>;

const ackLineArb = (currency: string, action: PurchaseOrderAcknowledgment['lines'][number]['action']) => (lineNumber: number) => {
  const common = { lineNumber: fc.constant(lineNumber), action: fc.constant(action) };
  const optional = { sku: skuArb, supplierPartNumber: partNumberArb, note: textArb(500) };
  switch (action) {
    case 'accept':
      return rec({ ...common, quantity: positiveQuantityArb, unit: unitArb }, { ...optional, scheduledDate: dateArb });
    case 'change_quantity':
      return rec({ ...common, quantity: positiveQuantityArb, unit: unitArb }, { ...optional, originalQuantity: positiveQuantityArb, scheduledDate: dateArb });
    case 'change_date':
      return rec({ ...common, scheduledDate: dateArb }, { ...optional, originalDate: dateArb });
    case 'change_price':
      return rec({ ...common, unitPrice: moneyArb(currency) }, { ...optional, originalUnitPrice: moneyArb(currency) });
    case 'reject':
      return rec(
        { ...common, reasonCode: fc.constantFrom('discontinued' as const, 'unknown_item' as const, 'price' as const, 'no_capacity' as const, 'duplicate' as const, 'other' as const) },
        { ...optional, reason: textArb(200) },
      );
    case 'backorder':
      return rec({ ...common, quantity: positiveQuantityArb, unit: unitArb }, { ...optional, scheduledDate: dateArb });
  }
};

const ackActions = ['accept', 'change_quantity', 'change_date', 'change_price', 'reject', 'backorder'] as const;

/** Valid purchase order acknowledgments (header verdict consistent with line actions). */
export const purchaseOrderAcknowledgmentArb: fc.Arbitrary<PurchaseOrderAcknowledgment> = fc
  .tuple(currencyArb, fc.constantFrom('accepted' as const, 'accepted_with_changes' as const, 'rejected' as const))
  .chain(([currency, ackType]) => {
    const actionArb =
      ackType === 'accepted' ? fc.constant('accept' as const) : ackType === 'rejected' ? fc.constant('reject' as const) : fc.constantFrom(...ackActions);
    const linesArbitrary = fc
      .uniqueArray(fc.tuple(fc.integer({ min: 1, max: 50 }), actionArb), { minLength: 1, maxLength: 5, selector: ([n, a]) => `${n}:${a}` })
      .chain((pairs) => fc.tuple(...pairs.map(([n, a]) => ackLineArb(currency, a)(n))));
    return rec(
      {
        schemaVersion: fc.constant(1 as const),
        id: idArb('poa'),
        tenantId: tenantArb,
        purchaseOrderId: idArb('po'),
        poNumber: documentNumberArb,
        poRevision: fc.integer({ min: 0, max: 999 }),
        supplierId: idArb('pty'),
        ackType: fc.constant(ackType),
        acknowledgedAt: dateTimeArb,
        receivedVia: channelArb,
        currency: fc.constant(currency),
        lines: linesArbitrary,
        externalIds: externalIdsArb,
        receivedAt: dateTimeArb,
      },
      { ackNumber: documentNumberArb, note: textArb(2000) },
    );
  }) as fc.Arbitrary<PurchaseOrderAcknowledgment>;

const asnItemArb = rec(
  { lineNumber: fc.integer({ min: 1, max: 999 }), quantity: positiveQuantityArb, unit: unitArb },
  {
    sku: skuArb,
    supplierPartNumber: partNumberArb,
    gtin: gtinArb,
    lot: textArb(40),
    serialNumbers: fc.array(textArb(60), { maxLength: 3 }),
    expiryDate: dateArb,
  },
);

/** Valid ship notices: unique SSCCs, parents that exist, delivery on or after the ship date. */
export const advanceShipNoticeArb: fc.Arbitrary<AdvanceShipNotice> = fc
  .tuple(fc.uniqueArray(ssccArb, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 3 }), instantMsArb)
  .chain(([ssccs, orderCount, shippedMs]) => {
    // Deal SSCCs out to orders round-robin; each order gets at least one pack.
    const buckets: string[][] = Array.from({ length: Math.min(orderCount, ssccs.length) }, () => []);
    ssccs.forEach((s, i) => buckets[i % buckets.length]!.push(s));
    // A pack may sit on a pack listed before it (any order), which keeps the hierarchy acyclic.
    const packArb = (sscc: string) => {
      const earlier = ssccs.slice(0, ssccs.indexOf(sscc));
      return rec(
        {
          sscc: fc.constant(sscc),
          packaging: fc.constantFrom('pallet' as const, 'carton' as const, 'case' as const, 'tote' as const, 'bundle' as const, 'other' as const),
          items: fc.array(asnItemArb, { maxLength: 3 }),
        },
        { ...(earlier.length > 0 ? { parentSscc: fc.constantFrom(...earlier) } : {}), weight: weightArb },
      );
    };
    const ordersArb = fc.tuple(
      ...buckets.map((bucket) =>
        rec({ poNumber: documentNumberArb, packs: fc.tuple(...bucket.map(packArb)) }, { purchaseOrderId: idArb('po') }),
      ),
    );
    const shippedAt = formatInstant(shippedMs, 0, false);
    return rec(
      {
        schemaVersion: fc.constant(1 as const),
        id: idArb('asn'),
        tenantId: tenantArb,
        asnNumber: documentNumberArb,
        supplierId: idArb('pty'),
        purpose: fc.constantFrom('original' as const, 'replace' as const, 'cancel' as const),
        shipFrom: documentPartyArb,
        shipToLocationId: locationArb,
        carrier: carrierArb,
        shippedAt: fc.constant(shippedAt),
        orders: ordersArb,
        receivedVia: channelArb,
        receivedAt: dateTimeArb,
        externalIds: externalIdsArb,
      },
      {
        trackingNumber: textArb(40),
        billOfLading: textArb(40),
        proNumber: textArb(40),
        expectedDeliveryDate: fc.integer({ min: 0, max: 60 }).map((d) => dateFrom(shippedMs + d * dayMs)),
        grossWeight: weightArb,
      },
    );
  }) as fc.Arbitrary<AdvanceShipNotice>;

const proofOfDeliveryArb = rec({ signedBy: textArb(120), deliveredAt: dateTimeArb }, { imageRef: textArb(500) });

/** Valid shipments (Delivered ones carry proof of delivery; lines reference the right order kind). */
export const shipmentArb: fc.Arbitrary<Shipment> = fc
  .tuple(fc.constantFrom('outbound' as const, 'inbound' as const), fc.constantFrom(...trackingStatuses))
  .chain(([direction, status]) =>
    rec(
      {
        schemaVersion: fc.constant(1 as const),
        id: idArb('shp'),
        tenantId: tenantArb,
        direction: fc.constant(direction),
        carrier: carrierArb,
        trackingNumber: textArb(40),
        status: fc.constant(status),
        shipFrom: documentPartyArb,
        shipTo: documentPartyArb,
        packages: fc.array(rec({}, { sscc: ssccArb, trackingNumber: textArb(40), weight: weightArb }), { minLength: 1, maxLength: 3 }),
        lines: fc.array(
          rec(
            {
              ...(direction === 'outbound' ? { salesOrderId: idArb('so') } : { purchaseOrderId: idArb('po') }),
              lineNumber: fc.integer({ min: 1, max: 999 }),
              sku: skuArb,
              quantity: positiveQuantityArb,
              unit: unitArb,
            },
            {},
          ),
          { minLength: 1, maxLength: 4 },
        ),
        externalIds: externalIdsArb,
        createdAt: dateTimeArb,
        updatedAt: dateTimeArb,
        ...(status === 'Delivered' ? { proofOfDelivery: proofOfDeliveryArb } : {}),
      },
      {
        asnId: idArb('asn'),
        shippedAt: dateTimeArb,
        estimatedDeliveryAt: dateTimeArb,
        lastEventAt: dateTimeArb,
        ...(status === 'Delivered' ? {} : { proofOfDelivery: proofOfDeliveryArb }),
      },
    ),
  ) as fc.Arbitrary<Shipment>;

/** Valid tracking events of every status. */
export const trackingEventArb: fc.Arbitrary<TrackingEvent> = fc
  .tuple(fc.constantFrom(...trackingStatuses), instantMsArb, offsetArb)
  .chain(([status, ms, offset]) => {
    const base = {
      schemaVersion: fc.constant(1 as const),
      id: idArb('trk'),
      tenantId: tenantArb,
      carrierCode: carrierCodeArb,
      trackingNumber: textArb(40),
      occurredAt: fc.constant(formatInstant(ms, offset, false)),
      recordedAt: dateTimeAfter(ms, 3 * dayMs),
      carrierStatusCode: textArb(40),
      source: fc.constantFrom('carrier_api' as const, 'carrier_webhook' as const, 'edi_214' as const, 'wms' as const, 'manual' as const),
      status: fc.constant(status),
    };
    const optional = {
      shipmentId: idArb('shp'),
      location: rec({}, { city: textArb(80), region: textArb(80), postalCode: textArb(15), country: countryArb }),
      description: textArb(500),
      estimatedDeliveryAt: dateTimeArb,
    };
    switch (status) {
      case 'Delivered':
        return rec({ ...base, proofOfDelivery: proofOfDeliveryArb }, optional);
      case 'Exception':
        return rec(
          { ...base, exceptionCode: fc.constantFrom('address_issue' as const, 'damaged' as const, 'delayed' as const, 'weather' as const, 'lost' as const, 'other' as const) },
          { ...optional, reason: textArb(500) },
        );
      case 'ReturnedToSender':
        return rec(base, { ...optional, reason: textArb(500) });
      default:
        return rec(base, optional);
    }
  }) as fc.Arbitrary<TrackingEvent>;

/** Valid invoices: subtotal = Σ line amounts, tax = Σ taxes, total adds up, due date after invoice date. */
export const invoiceArb: fc.Arbitrary<Invoice> = fc
  .tuple(currencyArb, instantMsArb)
  .chain(([currency, invoiceMs]) => {
    const lines = linesArb(
      (lineNumber) =>
        rec(
          { lineNumber: fc.constant(lineNumber), quantity: positiveQuantityArb, unit: unitArb, unitPrice: moneyArb(currency), lineAmount: moneyArb(currency) },
          { orderLineNumber: fc.integer({ min: 1, max: 999 }), sku: skuArb, partNumber: textArb(48), description: textArb(200), taxCode: textArb(20) },
        ),
      6,
    );
    const taxes = fc.array(
      rec(
        { type: fc.constantFrom('sales' as const, 'vat' as const, 'gst' as const, 'excise' as const, 'other' as const), amount: moneyArb(currency) },
        { jurisdiction: textArb(60), rate: fc.stringMatching(/^(?:0|[1-9]\d?)(?:\.\d{1,4})?$/) },
      ),
      { maxLength: 3 },
    );
    return fc
      .tuple(lines, taxes, moneyArb(currency), moneyArb(currency), fc.option(moneyArb(currency), { nil: undefined }))
      .chain(([invoiceLines, invoiceTaxes, freight, fallbackTax, discount]) => {
        const subtotal = sumMoney(invoiceLines.map((l) => l.lineAmount), currency);
        const tax = invoiceTaxes.length > 0 ? sumMoney(invoiceTaxes.map((t) => t.amount), currency) : fallbackTax;
        const partial = { subtotal, tax, freight, ...(discount ? { discount } : {}) };
        const totals = { ...partial, total: totalOf(partial) };
        return rec(
          {
            schemaVersion: fc.constant(1 as const),
            id: idArb('inv'),
            tenantId: tenantArb,
            direction: fc.constantFrom('receivable' as const, 'payable' as const),
            invoiceNumber: documentNumberArb,
            kind: fc.constantFrom('invoice' as const, 'credit_memo' as const, 'debit_memo' as const),
            status: fc.constantFrom('Draft' as const, 'Issued' as const, 'Received' as const, 'Matched' as const, 'Disputed' as const, 'Approved' as const, 'PartiallyPaid' as const, 'Paid' as const, 'Cancelled' as const),
            partyId: idArb('pty'),
            billTo: documentPartyArb,
            orderRefs: fc.array(
              fc.oneof(
                rec({ kind: fc.constant('sales_order' as const), salesOrderId: idArb('so') }, { customerPoNumber: documentNumberArb }),
                rec({ kind: fc.constant('purchase_order' as const), poNumber: documentNumberArb }, { purchaseOrderId: idArb('po') }),
              ),
              { maxLength: 2 },
            ),
            shipmentIds: fc.array(idArb('shp'), { maxLength: 2 }),
            invoiceDate: fc.constant(dateFrom(invoiceMs)),
            dueDate: fc.integer({ min: 0, max: 120 }).map((d) => dateFrom(invoiceMs + d * dayMs)),
            terms: paymentTermsArb,
            currency: fc.constant(currency),
            lines: fc.constant(invoiceLines),
            taxes: fc.constant(invoiceTaxes),
            totals: fc.constant(totals),
            amountDue: fc.oneof(fc.constant(totals.total), moneyArb(currency)),
            externalIds: externalIdsArb,
            createdAt: dateTimeArb,
            updatedAt: dateTimeArb,
          },
          { remitTo: documentPartyArb, receivedVia: channelArb },
        );
      });
  }) as fc.Arbitrary<Invoice>;

/** Valid payments: positive amount, allocations that do not exceed it. */
export const paymentArb: fc.Arbitrary<Payment> = currencyArb.chain((currency) =>
  fc
    .array(rec({ invoiceId: idArb('inv'), amount: moneyArb(currency) }, { invoiceNumber: documentNumberArb, discountTaken: moneyArb(currency) }), {
      maxLength: 4,
    })
    .chain((allocations) => {
      const applied = sumMoney(allocations.map((a) => a.amount), currency);
      // amount = applied + a positive remainder (unapplied cash).
      const amountArbitrary = amountArb
        .filter((a) => parseDecimal(a).units !== 0n)
        .map((extra) => sumMoney([applied, { amount: extra, currency }], currency));
      return rec(
        {
          schemaVersion: fc.constant(1 as const),
          id: idArb('pay'),
          tenantId: tenantArb,
          direction: fc.constantFrom('incoming' as const, 'outgoing' as const),
          partyId: idArb('pty'),
          method: fc.constantFrom('ach' as const, 'wire' as const, 'check' as const, 'card' as const, 'virtual_card' as const, 'sepa' as const, 'other' as const),
          reference: textArb(60),
          amount: fc.oneof(amountArbitrary, ...(parseDecimal(applied.amount).units > 0n ? [fc.constant(applied)] : [])),
          status: fc.constantFrom('Pending' as const, 'Completed' as const, 'Failed' as const, 'Reversed' as const),
          paidAt: dateTimeArb,
          allocations: fc.constant(allocations),
          externalIds: externalIdsArb,
          createdAt: dateTimeArb,
          updatedAt: dateTimeArb,
        },
        { valueDate: dateArb, note: textArb(500) },
      );
    }),
) as fc.Arbitrary<Payment>;

const returnStatuses = ['Requested', 'Approved', 'Rejected', 'Received', 'Inspected', 'Credited', 'Closed', 'Cancelled'] as const;

/** Valid return authorizations. */
export const returnAuthorizationArb: fc.Arbitrary<ReturnAuthorization> = fc
  .tuple(currencyArb, fc.constantFrom(...returnStatuses))
  .chain(([currency, status]) =>
    rec(
      {
        schemaVersion: fc.constant(1 as const),
        id: idArb('rma'),
        tenantId: tenantArb,
        rmaNumber: documentNumberArb,
        customerId: idArb('pty'),
        status: fc.constant(status),
        requestedAt: dateTimeArb,
        returnToLocationId: locationArb,
        currency: fc.constant(currency),
        lines: linesArb((lineNumber) =>
          positiveQuantityArb.chain((quantity) =>
            rec(
              {
                lineNumber: fc.constant(lineNumber),
                sku: skuArb,
                quantity: fc.constant(quantity),
                unit: unitArb,
                reasonCode: fc.constantFrom('damaged_in_transit' as const, 'defective' as const, 'wrong_item' as const, 'not_ordered' as const, 'over_shipped' as const, 'expired' as const, 'no_longer_needed' as const, 'recall' as const, 'other' as const),
              },
              {
                salesOrderId: idArb('so'),
                salesOrderLineNumber: fc.integer({ min: 1, max: 999 }),
                reason: textArb(500),
                quantityReceived: quantityArb.filter((r) => compareDecimal(r, quantity) <= 0),
                condition: fc.constantFrom('new' as const, 'opened' as const, 'damaged' as const, 'defective' as const),
                disposition: fc.constantFrom('restock' as const, 'scrap' as const, 'return_to_supplier' as const, 'repair' as const),
                creditAmount: moneyArb(currency),
              },
            ),
          ),
        ),
        externalIds: externalIdsArb,
        createdAt: dateTimeArb,
        updatedAt: dateTimeArb,
        ...(status === 'Credited' ? { creditMemoId: idArb('inv') } : {}),
      },
      {
        invoiceId: idArb('inv'),
        decidedAt: dateTimeArb,
        restockingFeePercent: fc.oneof(fc.stringMatching(/^(?:0|[1-9]\d?)(?:\.\d{1,2})?$/), fc.constant('100')),
        carrier: carrierArb,
        trackingNumber: textArb(40),
        ...(status === 'Credited' ? {} : { creditMemoId: idArb('inv') }),
      },
    ),
  ) as fc.Arbitrary<ReturnAuthorization>;

function hasProtoKey(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.some(hasProtoKey);
  }
  if (value !== null && typeof value === 'object') {
    return Object.keys(value).some((k) => k === '__proto__' || hasProtoKey((value as Record<string, unknown>)[k]));
  }
  return false;
}

/**
 * JSON values as they come out of JSON.parse (no -0, plain objects). Objects with a `__proto__` key are left out:
 * zod drops that key when parsing (a guard against prototype pollution), so they cannot round-trip.
 */
export const jsonArb = fc
  .jsonValue({ maxDepth: 3 })
  .map((v) => JSON.parse(JSON.stringify(v)) as unknown)
  .filter((v) => !hasProtoKey(v) && findUnstorableJson(v) === undefined);
const jsonKeyArb = fc.string({ minLength: 1, maxLength: 20 }).filter((k) => k !== '__proto__' && !k.includes('\u0000'));

const exceptionActionsList = ['accept', 'reject', 'override', 'retry', 'counter'] as const;

/** Valid exceptions in every status. */
export const exceptionArb: fc.Arbitrary<Exception> = fc
  .tuple(fc.shuffledSubarray([...exceptionActionsList], { minLength: 1 }), fc.constantFrom('Open' as const, 'Claimed' as const, 'Resolved' as const))
  .chain(([allowedActions, status]) => {
    const base = {
      schemaVersion: fc.constant(1 as const),
      id: idArb('exc'),
      tenantId: tenantArb,
      type: fc.constantFrom('price_mismatch' as const, 'unknown_item' as const, 'over_tolerance_ack' as const, 'unmatched_invoice' as const, 'credit_hold' as const, 'missed_promise' as const),
      ownerRole: fc.constantFrom('buyer' as const, 'customer_service' as const, 'finance' as const, 'integration_admin' as const),
      severity: fc.constantFrom('low' as const, 'medium' as const, 'high' as const, 'critical' as const),
      title: textArb(200),
      subject: rec(
        { type: fc.constantFrom('sales_order' as const, 'purchase_order' as const, 'invoice' as const, 'message' as const), id: textArb(80) },
        { number: textArb(40) },
      ),
      openedAt: dateTimeArb,
      sla: rec({ dueAt: dateTimeArb }, { policy: textArb(40) }),
      allowedActions: fc.constant(allowedActions),
      evidence: fc.dictionary(jsonKeyArb, jsonArb, { maxKeys: 4, noNullPrototype: true }),
      status: fc.constant(status),
    };
    const optional = { detail: textArb(4000), partyId: idArb('pty'), correlationId: textArb(100), flowRunId: idArb('flow') };
    if (status === 'Open') {
      return rec(base, optional);
    }
    if (status === 'Claimed') {
      return rec({ ...base, claimedBy: textArb(120), claimedAt: dateTimeArb }, optional);
    }
    return fc.constantFrom(...allowedActions).chain((action) =>
      rec(
        {
          ...base,
          resolution: rec(
            {
              action: fc.constant(action),
              by: textArb(120),
              at: dateTimeArb,
              ...(action === 'counter' ? { counter: fc.dictionary(jsonKeyArb, jsonArb, { maxKeys: 3, noNullPrototype: true }) } : {}),
            },
            { note: textArb(2000) },
          ),
        },
        { ...optional, claimedBy: textArb(120), claimedAt: dateTimeArb },
      ),
    );
  }) as fc.Arbitrary<Exception>;

/** Valid CloudEvents envelopes carrying arbitrary JSON data. */
export const eventEnvelopeArb: fc.Arbitrary<EventEnvelope> = rec(
  {
    specversion: fc.constant('1.0' as const),
    id: fc.oneof(idArb('evt'), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,30}$/)),
    source: fc.stringMatching(/^\/tradelane\/[a-z-]{1,20}(?:\/[a-z0-9-]{1,20}){0,2}$/),
    type: fc.stringMatching(/^[a-z][a-z0-9_]{0,15}\.[a-z][a-z0-9_]{0,15}$/),
    time: dateTimeArb,
    datacontenttype: fc.constant('application/json' as const),
    data: jsonArb,
    tenantid: tenantArb,
    dataversion: fc.integer({ min: 1, max: 20 }),
  },
  {
    subject: textArb(256),
    dataschema: fc.stringMatching(/^https:\/\/tradelane\.dev\/schemas\/events\/[a-z_]{1,20}\.v[1-9]\.json$/),
    correlationid: fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/),
    traceparent: fc.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/).filter((t) => !/^00-0{32}-|-0{16}-/.test(t)),
  },
) as fc.Arbitrary<EventEnvelope>;

/** One arbitrary per published document (same keys as `documentSchemas`). */
export const documentArbitraries = {
  party: partyArb,
  item: itemArb,
  price: priceArb,
  'inventory-position': inventoryPositionArb,
  'sales-order': salesOrderArb,
  'purchase-order': purchaseOrderArb,
  'purchase-order-acknowledgment': purchaseOrderAcknowledgmentArb,
  'advance-ship-notice': advanceShipNoticeArb,
  shipment: shipmentArb,
  'tracking-event': trackingEventArb,
  invoice: invoiceArb,
  payment: paymentArb,
  'return-authorization': returnAuthorizationArb,
  exception: exceptionArb,
  'event-envelope': eventEnvelopeArb,
} as const;
