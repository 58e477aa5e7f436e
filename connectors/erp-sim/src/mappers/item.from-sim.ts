import { itemSchema, type Item } from '@tradelane/canonical';
import { ERP_SIM_SYSTEM } from '../errors.js';
import { julianToIsoDateTime } from '../wire/julian-date.js';
import type { SimItemRow } from '../wire/sim-wire.types.js';
import { itemIdOf, partyIdOf } from './derived-id.js';
import { unitFromSim } from './unit-code.mapper.js';
import { validateDocument } from './validate-document.js';

/**
 * An item master row as a canonical Item: primary unit as base unit, conversions, customer item numbers, supplier item
 * numbers (with the primary supplier flagged) and GTINs as cross-references; the id is derived from the second item
 * number (`LITM`, also the SKU).
 */
export function itemFromSim(row: SimItemRow, context: { tenantId: string }): Item {
  const at = julianToIsoDateTime(row.UPMJ, row.TDAY);
  const base = unitFromSim(row.UOM1);
  const weight = /[1-9]/.test(row.WTLB) ? { value: row.WTLB, unit: 'LB' as const } : undefined;
  return validateDocument(
    itemSchema,
    {
      schemaVersion: 1,
      id: itemIdOf(context.tenantId, row.LITM),
      tenantId: context.tenantId,
      sku: row.LITM,
      description: row.DSC1,
      ...(row.DSC2 ? { longDescription: row.DSC2 } : {}),
      status: row.STKT === 'O' ? 'discontinued' : 'active',
      category: row.SRP1,
      baseUnit: base,
      units: [
        { unit: base, sellable: true, purchasable: true, ...(weight ? { weight } : {}) },
        ...row.UMCV.map((c) => ({ unit: unitFromSim(c.UM), sellable: true, purchasable: true })),
      ],
      conversions: row.UMCV.map((c) => ({ from: unitFromSim(c.UM), to: unitFromSim(c.RUM), factor: c.CONV })),
      crossReferences: row.XREF.map((x) =>
        x.XRT === 'C'
          ? { kind: 'customer_part', customerId: partyIdOf(context.tenantId, x.AN8 ?? 0), partNumber: x.CITM, ...(x.UOM ? { unit: unitFromSim(x.UOM) } : {}) }
          : x.XRT === 'VN'
            ? { kind: 'supplier_part', supplierId: partyIdOf(context.tenantId, x.AN8 ?? 0), partNumber: x.CITM, ...(x.UOM ? { unit: unitFromSim(x.UOM) } : {}), primary: x.PRIM === 'Y' }
            : { kind: 'gtin', gtin: x.CITM, unit: unitFromSim(x.UOM ?? row.UOM1) },
      ),
      stocked: row.STKT === 'S',
      taxCode: row.TAX1 === 'Y' ? 'TAXABLE' : 'EXEMPT',
      externalIds: { [ERP_SIM_SYSTEM]: row.LITM },
      createdAt: at,
      updatedAt: at,
    },
    `item ${row.LITM}`,
  );
}
