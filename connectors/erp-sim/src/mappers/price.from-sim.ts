import { priceSchema, type Price } from '@tradelane/canonical';
import { ERP_SIM_SYSTEM } from '../errors.js';
import { julianToIsoDate, julianToIsoDateTime } from '../wire/julian-date.js';
import type { SimPriceRow } from '../wire/sim-wire.types.js';
import { derivedId, itemIdOf, partyIdOf } from './derived-id.js';
import { unitFromSim } from './unit-code.mapper.js';
import { validateDocument } from './validate-document.js';

/** A price book row as a canonical Price: the `LIST` book as a list price, a customer book as a contract price. */
export function priceFromSim(row: SimPriceRow, context: { tenantId: string }): Price {
  const at = julianToIsoDateTime(row.UPMJ, row.TDAY);
  const key = `${row.PRBK}/${row.LITM}/${row.UOM}`;
  const common = {
    schemaVersion: 1,
    id: derivedId('prc', context.tenantId, 'price', key),
    tenantId: context.tenantId,
    itemId: itemIdOf(context.tenantId, row.LITM),
    sku: row.LITM,
    currency: row.CRCD,
    unit: unitFromSim(row.UOM),
    tiers: row.BRKS.map((b) => ({ minQuantity: String(b.MNQ), unitPrice: { amount: b.UPRC, currency: row.CRCD } })),
    validFrom: julianToIsoDate(row.EFTJ),
    ...(row.EXDJ ? { validTo: julianToIsoDate(row.EXDJ) } : {}),
    externalIds: { [ERP_SIM_SYSTEM]: key },
    createdAt: at,
    updatedAt: at,
  };
  const price =
    row.AN8 !== undefined
      ? { ...common, kind: 'contract', customerId: partyIdOf(context.tenantId, row.AN8), ...(row.KNO ? { contractNumber: row.KNO } : {}) }
      : { ...common, kind: 'list', priceList: row.PRBK };
  return validateDocument(priceSchema, price, `price ${key}`);
}
