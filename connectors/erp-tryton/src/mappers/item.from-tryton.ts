import { itemSchema, priceSchema, type Item, type Price } from '@tradelane/canonical';
import { decimalOf, isoDateTimeOf } from '../codec/tryton-json.codec.js';
import { ERP_TRYTON_SYSTEM } from '../errors.js';
import type { TrytonProductRecord } from '../wire/tryton-records.js';
import { trytonDerivedId } from './derived-id.js';
import { unitFromTryton } from './unit.mapper.js';
import { validateDocument } from './validate-document.js';

/** Derived canonical id of a Tryton product variant (by its database id). */
export const itemIdOfTryton = (tenantId: string, productId: number) => trytonDerivedId('itm', tenantId, 'item', String(productId));

/** The SKU of a Tryton product: its code (a product without a code cannot be traded through the hub). */
export function skuOfTryton(row: Pick<TrytonProductRecord, 'id' | 'code'>): string {
  return row.code && row.code.length > 0 ? row.code : `TRYTON-${row.id}`;
}

/**
 * A Tryton `product.product` (with its template) as a canonical Item: base unit = `default_uom`, sellable in
 * `sale_uom`, purchasable in `purchase_uom`; goods are stocked, services and assets are not.
 */
export function itemFromTryton(row: TrytonProductRecord, context: { tenantId: string; unitMap?: Readonly<Record<string, string>> }): Item {
  const base = unitFromTryton(row['default_uom.symbol'], context.unitMap);
  const sale = row['sale_uom.symbol'] ? unitFromTryton(row['sale_uom.symbol'], context.unitMap) : base;
  const purchase = row['purchase_uom.symbol'] ? unitFromTryton(row['purchase_uom.symbol'], context.unitMap) : base;
  const units = new Map<string, { unit: string; sellable: boolean; purchasable: boolean }>();
  units.set(base, { unit: base, sellable: sale === base && row.salable !== false, purchasable: purchase === base && row.purchasable === true });
  for (const [unit, key] of [[sale, 'sellable'], [purchase, 'purchasable']] as const) {
    const u = units.get(unit) ?? { unit, sellable: false, purchasable: false };
    u[key] = key === 'sellable' ? row.salable !== false : row.purchasable === true;
    units.set(unit, u);
  }
  const created = isoDateTimeOf(row.create_date, '1970-01-01T00:00:00.000Z');
  return validateDocument(
    itemSchema,
    {
      schemaVersion: 1,
      id: itemIdOfTryton(context.tenantId, row.id),
      tenantId: context.tenantId,
      sku: skuOfTryton(row),
      description: row.name,
      status: row.active ? 'active' : 'inactive',
      baseUnit: base,
      units: [...units.values()],
      conversions: [],
      crossReferences: [],
      stocked: row.type === 'goods',
      externalIds: { [ERP_TRYTON_SYSTEM]: String(row.id) },
      createdAt: created,
      updatedAt: isoDateTimeOf(row.write_date, created),
    },
    `product ${row.id}`,
  );
}

/** The template's `list_price` as a canonical list price per sale unit, valid from the product's creation. */
export function listPriceFromTryton(row: TrytonProductRecord, context: { tenantId: string; currency: string; unitMap?: Readonly<Record<string, string>> }): Price {
  const unit = unitFromTryton(row['sale_uom.symbol'] || row['default_uom.symbol'], context.unitMap);
  const created = isoDateTimeOf(row.create_date, '1970-01-01T00:00:00.000Z');
  return validateDocument(
    priceSchema,
    {
      schemaVersion: 1,
      kind: 'list',
      id: trytonDerivedId('prc', context.tenantId, 'list-price', String(row.id)),
      tenantId: context.tenantId,
      itemId: itemIdOfTryton(context.tenantId, row.id),
      sku: skuOfTryton(row),
      currency: context.currency,
      unit,
      tiers: [{ minQuantity: '0', unitPrice: { amount: moneyOf(decimalOf(row.list_price)), currency: context.currency } }],
      validFrom: created.slice(0, 10),
      externalIds: { [ERP_TRYTON_SYSTEM]: String(row.id) },
      createdAt: created,
      updatedAt: isoDateTimeOf(row.write_date, created),
    },
    `list price of product ${row.id}`,
  );
}

/** A decimal string with at least two decimals (`'12.5'` → `'12.50'`), as money amounts are written. */
export function moneyOf(decimal: string): string {
  const [int, frac = ''] = decimal.split('.');
  return `${int}.${frac.padEnd(2, '0')}`;
}
