import {
  compareDecimal,
  divideHalfEven,
  formatDecimal,
  isDecimalString,
  money,
  multiplyMoney,
  parseDecimal,
  roundMoney,
  salesOrderSchema,
  sumMoney,
  unitCodes,
  type InventoryPosition,
  type Item,
  type Party,
  type Price,
  type SalesOrder,
  type SalesOrderLine,
  type UnitOfMeasure,
} from '@tradelane/canonical';
import { InputError, type CatalogRepo, type NewTimelineEntry, type OrderLineView, type OrderSubmission, type StoredOrder, type TenantContext } from '@tradelane/core';

/** What validation decided: an accepted order (maybe on credit hold) with its priced lines, or the reasons it was rejected. */
export type ValidationOutcome =
  | { ok: true; salesOrder: SalesOrder; lines: OrderLineView[]; onHold: boolean; notes: NewTimelineEntry[] }
  | { ok: false; reasons: string[] };

/** Divides two decimal strings to `scale` decimals, half-even. */
export function divideDecimal(a: string, b: string, scale = 10): string {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const numerator = x.units * 10n ** BigInt(scale + y.scale);
  const denominator = y.units * 10n ** BigInt(x.scale);
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = denominator < 0n;
  return formatDecimal({ units: divideHalfEven(negative ? -numerator : numerator, negative ? -denominator : denominator), scale });
}

/** Multiplies two decimal strings exactly. */
export function multiplyDecimalStrings(a: string, b: string): string {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  return formatDecimal({ units: x.units * y.units, scale: x.scale + y.scale });
}

/** How many base units one `unit` of the item is; undefined when the item has no conversion for it. */
export function factorToBase(item: Item, unit: string): string | undefined {
  if (unit === item.baseUnit) return '1';
  const direct = item.conversions.find((c) => c.from === unit && c.to === item.baseUnit);
  if (direct) return direct.factor;
  const reverse = item.conversions.find((c) => c.from === item.baseUnit && c.to === unit);
  if (reverse) return divideDecimal('1', reverse.factor);
  return undefined;
}

/** Checks the shape of a submission before it is accepted; throws an InputError naming the field. */
export function assertSubmissionShape(submission: OrderSubmission): void {
  const fail = (field: string, message: string) => {
    throw new InputError('TL_O2C_BAD_SUBMISSION', `${field}: ${message}`, { field });
  };
  if (!submission || typeof submission !== 'object') fail('(root)', 'an order submission is required');
  if (typeof submission.customerPoNumber !== 'string' || !/^[\x21-\x7E](?:[\x20-\x7E]{0,38}[\x21-\x7E])?$/.test(submission.customerPoNumber)) {
    fail('customerPoNumber', 'must be 1-40 printable characters');
  }
  if (!Array.isArray(submission.lines) || submission.lines.length === 0) fail('lines', 'at least one line is required');
  if (submission.lines.length > 999) fail('lines', 'at most 999 lines');
  submission.lines.forEach((line, i) => {
    if (!line.sku && !line.customerPartNumber && !line.gtin) fail(`lines.${i}`, 'a line needs a sku, a customerPartNumber or a gtin');
    if (!isDecimalString(line.quantity) || compareDecimal(line.quantity, '0') <= 0) fail(`lines.${i}.quantity`, 'must be a positive decimal string');
    if (typeof line.unit !== 'string' || line.unit.length === 0) fail(`lines.${i}.unit`, 'is required');
    if (line.expectedUnitPrice !== undefined && !isDecimalString(line.expectedUnitPrice)) fail(`lines.${i}.expectedUnitPrice`, 'must be a decimal string');
  });
}

function activeOn(price: Price, day: string): boolean {
  return price.validFrom <= day && (price.validTo === undefined || price.validTo >= day);
}

/** The unit price for `quantity` of `unit`: the customer's contract price when one applies, else the list price. */
export function priceFor(
  item: Item,
  prices: readonly Price[],
  customerId: string,
  quantity: string,
  unit: string,
  day: string,
): { unitPrice: string; currency: string; source: 'contract' | 'list' } | undefined {
  const applicable = prices.filter((p) => activeOn(p, day));
  const price = applicable.find((p) => p.kind === 'contract' && p.customerId === customerId) ?? applicable.find((p) => p.kind === 'list');
  if (!price) return undefined;
  const orderedFactor = factorToBase(item, unit);
  const priceFactor = factorToBase(item, price.unit);
  if (!orderedFactor || !priceFactor) return undefined;
  const ratio = divideDecimal(orderedFactor, priceFactor);
  const quantityInPriceUnit = multiplyDecimalStrings(quantity, ratio);
  let tier = price.tiers[0]!;
  for (const t of price.tiers) if (compareDecimal(t.minQuantity, quantityInPriceUnit) <= 0) tier = t;
  const unitPrice = multiplyMoney(tier.unitPrice, ratio);
  return { unitPrice: unitPrice.amount, currency: price.currency, source: price.kind };
}

/** Stock available to promise across locations, in base units. */
export function availableOf(positions: readonly InventoryPosition[]): string {
  let total = '0';
  for (const p of positions) if (compareDecimal(p.available, '0') > 0) total = formatDecimal(sumUnits(total, p.available));
  return total;
}

function sumUnits(a: string, b: string) {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const scale = Math.max(x.scale, y.scale);
  return { units: x.units * 10n ** BigInt(scale - x.scale) + y.units * 10n ** BigInt(scale - y.scale), scale };
}

/**
 * Validates an order against the catalog read models: account active and its credit standing, ship-to belongs to the
 * account, each item known (SKU, customer part number or GTIN), unit sold for the item, contract else list price,
 * expected price compared (a difference is flagged, not rejected), availability noted.
 */
export async function validateOrder(ctx: TenantContext, catalog: CatalogRepo, order: StoredOrder, now: Date): Promise<ValidationOutcome> {
  const reasons: string[] = [];
  const notes: NewTimelineEntry[] = [];
  const at = now.toISOString();
  const day = at.slice(0, 10);
  const submission = order.submission;
  const customer = await catalog.getParty(ctx, order.partnerId);
  if (!customer || customer.kind !== 'customer') return { ok: false, reasons: [`account ${order.partnerId} is not a known customer account`] };
  if (customer.status !== 'active') return { ok: false, reasons: [`account ${customer.code} is ${customer.status}`] };

  const shipTos = await catalog.listShipTos(ctx, customer.id);
  let shipTo: Party | undefined;
  if (submission.shipTo) {
    shipTo = shipTos.find((s) => s.code === submission.shipTo || s.id === submission.shipTo);
    if (!shipTo) reasons.push(`ship-to ${submission.shipTo} does not belong to account ${customer.code}`);
  } else {
    shipTo = shipTos[0];
    if (!shipTo) reasons.push(`account ${customer.code} has no ship-to address`);
  }

  const currency = customer.currency;
  const lines: OrderLineView[] = [];
  const soLines: SalesOrderLine[] = [];
  for (const [i, line] of submission.lines.entries()) {
    const lineNumber = i + 1;
    const ref = line.sku ?? line.customerPartNumber ?? line.gtin ?? '';
    const item = await catalog.findItem(ctx, { sku: line.sku, customerPartNumber: line.sku ? undefined : line.customerPartNumber, gtin: line.sku || line.customerPartNumber ? undefined : line.gtin, customerId: customer.id });
    if (!item) {
      reasons.push(`line ${lineNumber}: item ${ref} is unknown`);
      continue;
    }
    if (item.status !== 'active') {
      reasons.push(`line ${lineNumber}: item ${item.sku} is ${item.status}`);
      continue;
    }
    const unitKnown = (unitCodes as readonly string[]).includes(line.unit);
    const itemUnit = item.units.find((u) => u.unit === line.unit);
    if (!unitKnown || !itemUnit || !itemUnit.sellable || !factorToBase(item, line.unit)) {
      reasons.push(`line ${lineNumber}: unit ${line.unit} is not sold for item ${item.sku} (units: ${item.units.filter((u) => u.sellable).map((u) => u.unit).join(', ')})`);
      continue;
    }
    const priced = priceFor(item, await catalog.pricesOf(ctx, item.id, customer.id), customer.id, line.quantity, line.unit, day);
    if (!priced || priced.currency !== currency) {
      reasons.push(`line ${lineNumber}: item ${item.sku} has no price in ${currency}`);
      continue;
    }
    const contract = roundMoney(money(priced.unitPrice, currency), 4).amount;
    let priceMismatch: OrderLineView['priceMismatch'];
    if (line.expectedUnitPrice !== undefined && compareDecimal(line.expectedUnitPrice, priced.unitPrice) !== 0) {
      priceMismatch = { expected: line.expectedUnitPrice, contract };
      notes.push({
        key: `hub:price-mismatch:${lineNumber}`,
        status: 'PriceMismatch',
        at,
        source: 'hub',
        detail: `line ${lineNumber}: expected unit price ${line.expectedUnitPrice}, ${priced.source} price is ${contract} ${currency}`,
        lineNumber,
      });
    }
    const needed = multiplyDecimalStrings(line.quantity, factorToBase(item, line.unit)!);
    const available = availableOf(await catalog.inventoryOf(ctx, item.id));
    if (compareDecimal(available, needed) < 0) {
      notes.push({
        key: `hub:backorder-expected:${lineNumber}`,
        status: 'BackorderExpected',
        at,
        source: 'hub',
        detail: `line ${lineNumber}: ${available} ${item.baseUnit} available of ${needed} ${item.baseUnit} needed; a backorder is expected`,
        lineNumber,
      });
    }
    const customerPart = item.crossReferences.find((r) => r.kind === 'customer_part' && r.customerId === customer.id);
    lines.push({
      lineNumber,
      sku: item.sku,
      ...(customerPart && customerPart.kind === 'customer_part' ? { customerPartNumber: customerPart.partNumber } : {}),
      description: item.description,
      quantity: line.quantity,
      unit: line.unit,
      unitPrice: { amount: contract, currency },
      status: 'Open',
      quantityAllocated: '0',
      quantityBackordered: '0',
      quantityShipped: '0',
      ...(priceMismatch ? { priceMismatch } : {}),
    });
    soLines.push({
      lineNumber,
      itemId: item.id,
      sku: item.sku,
      ...(customerPart && customerPart.kind === 'customer_part' ? { customerPartNumber: customerPart.partNumber } : {}),
      description: item.description,
      quantity: line.quantity,
      unit: line.unit as UnitOfMeasure,
      unitPrice: { amount: contract, currency },
      ...(line.requestedDate ? { requestedDate: line.requestedDate } : {}),
      status: 'Open',
    });
  }
  if (reasons.length > 0 || !shipTo) return { ok: false, reasons };

  const onHold = customer.kind === 'customer' && customer.credit.onHold;
  const subtotal = roundMoney(sumMoney(soLines.map((l) => multiplyMoney(l.unitPrice, l.quantity)), currency));
  const zero = money('0', currency);
  const candidate = {
    schemaVersion: 1,
    id: order.id,
    tenantId: ctx.tenantId,
    customerId: customer.id,
    customerPoNumber: submission.customerPoNumber,
    channel: ctx.actor.kind === 'user' ? 'portal' : 'api',
    status: onHold ? 'OnHold' : 'Accepted',
    orderedAt: order.view.orderedAt,
    ...(submission.requestedDeliveryDate ? { requestedDeliveryDate: submission.requestedDeliveryDate } : {}),
    shipTo: { partyId: shipTo.id, code: shipTo.code, name: shipTo.name, address: shipTo.address },
    billTo: { partyId: customer.id, code: customer.code, name: customer.name, address: customer.address },
    currency,
    ...(customer.paymentTerms ? { paymentTerms: customer.paymentTerms } : {}),
    shipComplete: submission.shipComplete ?? false,
    lines: soLines,
    totals: { subtotal, tax: zero, freight: zero, total: subtotal },
    holds: onHold ? [{ code: 'credit_hold', reason: customer.credit.holdReason ?? 'account on credit hold', placedAt: at }] : [],
    shipments: [],
    ...(submission.notes ? { notes: submission.notes } : {}),
    externalIds: {},
    createdAt: order.view.orderedAt,
    updatedAt: at,
  };
  const parsed = salesOrderSchema.safeParse(candidate);
  if (!parsed.success) {
    return { ok: false, reasons: parsed.error.issues.map((i) => `${i.path.join('.') || '(order)'}: ${i.message}`) };
  }
  return { ok: true, salesOrder: parsed.data, lines, onHold, notes };
}
