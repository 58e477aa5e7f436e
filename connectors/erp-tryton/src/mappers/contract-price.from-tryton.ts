import { priceSchema, type Price } from '@tradelane/canonical';
import { decimalOf, isoDateTimeOf } from '../codec/tryton-json.codec.js';
import { ERP_TRYTON_SYSTEM } from '../errors.js';
import type { TrytonProductRecord } from '../wire/tryton-records.js';
import { trytonDerivedId } from './derived-id.js';
import { itemIdOfTryton, moneyOf, skuOfTryton } from './item.from-tryton.js';
import { partyIdOfTryton } from './party.from-tryton.js';
import { unitFromTryton } from './unit.mapper.js';
import { validateDocument } from './validate-document.js';

/** A customer's Tryton price list (`product.price_list`, the party's `sale_price_list`) priced for one product. */
export interface TrytonContractPriceRecord {
  priceListId: number;
  /** `product.price_list.name`. */
  priceListName: string;
  /** The customer party. */
  party: number;
  /** From each quantity (the price list lines' `quantity` breaks, in the sale unit) the unit price Tryton computes. */
  breaks: Array<{ quantity: number; unitPrice: unknown }>;
  create_date: unknown;
  write_date: unknown;
}

/**
 * A customer's price list as a canonical contract Price for one product: the customer = the party, contract number
 * = the price list's name, one tier per quantity break of the price list (a break that does not change the price is
 * left out), per sale unit, valid from the price list's creation.
 */
export function contractPriceFromTryton(product: TrytonProductRecord, record: TrytonContractPriceRecord, context: { tenantId: string; currency: string; unitMap?: Readonly<Record<string, string>> }): Price {
  const unit = unitFromTryton(product['sale_uom.symbol'] || product['default_uom.symbol'], context.unitMap);
  const created = isoDateTimeOf(record.create_date, '1970-01-01T00:00:00.000Z');
  const tiers: Price['tiers'] = [];
  for (const b of [...record.breaks].sort((x, y) => x.quantity - y.quantity)) {
    const unitPrice = { amount: moneyOf(decimalOf(b.unitPrice)), currency: context.currency };
    const last = tiers.at(-1);
    if (last && last.unitPrice.amount === unitPrice.amount) continue;
    tiers.push({ minQuantity: decimalOf(Math.max(0, b.quantity)), unitPrice });
  }
  return validateDocument(
    priceSchema,
    {
      schemaVersion: 1,
      kind: 'contract',
      id: trytonDerivedId('prc', context.tenantId, 'contract-price', `${record.priceListId}/${record.party}/${product.id}`),
      tenantId: context.tenantId,
      itemId: itemIdOfTryton(context.tenantId, product.id),
      sku: skuOfTryton(product),
      customerId: partyIdOfTryton(context.tenantId, record.party),
      contractNumber: record.priceListName.slice(0, 40),
      currency: context.currency,
      unit,
      tiers,
      validFrom: created.slice(0, 10),
      externalIds: { [ERP_TRYTON_SYSTEM]: `product.price_list ${record.priceListId}` },
      createdAt: created,
      updatedAt: isoDateTimeOf(record.write_date, created),
    },
    `price list ${record.priceListId} for product ${product.id}`,
  );
}
