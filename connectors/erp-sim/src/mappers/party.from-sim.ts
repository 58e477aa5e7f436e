import { partySchema, type Party, type PaymentTerms } from '@tradelane/canonical';
import { ERP_SIM_SYSTEM } from '../errors.js';
import { julianToIsoDateTime } from '../wire/julian-date.js';
import type { SimAddressRow, SimPaymentTerms } from '../wire/sim-wire.types.js';
import { partyIdOf } from './derived-id.js';
import { validateDocument } from './validate-document.js';

/** Canonical payment terms from the simulator's terms record. */
export function paymentTermsFromSim(terms: SimPaymentTerms): PaymentTerms {
  const discount = terms.DSPT !== '0' && terms.DSDY > 0;
  return {
    code: terms.PTC,
    netDays: terms.NDTP,
    ...(discount ? { discountPercent: terms.DSPT, discountDays: terms.DSDY } : {}),
    description: terms.PTDS,
  };
}

/**
 * A customer (`AT1` = `C`, with credit and terms), ship-to (`AT1` = `ST`, child of its customer) or supplier
 * (`AT1` = `V`, with payables terms, lead time and EDI identity) as a canonical Party; the id is derived from the
 * address number, which is kept in `externalIds['erp-sim']` and as `code`.
 */
export function partyFromSim(row: SimAddressRow, context: { tenantId: string; terms: ReadonlyMap<string, SimPaymentTerms> }): Party {
  const at = julianToIsoDateTime(row.UPMJ, row.TDAY);
  const base = {
    schemaVersion: 1 as const,
    id: partyIdOf(context.tenantId, row.AN8),
    tenantId: context.tenantId,
    code: String(row.AN8),
    name: row.ALPH,
    ...(row.TAX ? { taxId: row.TAX } : {}),
    status: 'active' as const,
    address: {
      line1: row.ADD1,
      ...(row.ADD2 ? { line2: row.ADD2 } : {}),
      city: row.CTY1,
      region: row.ADDS,
      postalCode: row.ADDZ,
      country: row.CTR,
    },
    contacts: row.WHO ? [{ name: row.WHO, ...(row.PH1 ? { phone: row.PH1 } : {}), ...(row.EMAL ? { email: row.EMAL } : {}) }] : [],
    externalIds: { [ERP_SIM_SYSTEM]: String(row.AN8) },
    createdAt: at,
    updatedAt: at,
  };
  if (row.AT1 === 'ST') {
    return validateDocument(
      partySchema,
      {
        ...base,
        kind: 'ship_to',
        parentPartyId: partyIdOf(context.tenantId, row.PA8 ?? row.AN8),
        ...(row.DEL1 ? { deliveryInstructions: row.DEL1 } : {}),
      },
      `ship-to ${row.AN8}`,
    );
  }
  if (row.AT1 === 'V') {
    const payables = row.TRAP ? context.terms.get(row.TRAP) : undefined;
    return validateDocument(
      partySchema,
      {
        ...base,
        kind: 'supplier',
        currency: row.CRCD ?? 'USD',
        ...(payables ? { paymentTerms: paymentTermsFromSim(payables) } : {}),
        leadTimeDays: row.LTDT ?? 0,
        remitTo: base.address,
        ...(row.EDIQ && row.EDID ? { edi: { qualifier: row.EDIQ, id: row.EDID } } : {}),
      },
      `supplier ${row.AN8}`,
    );
  }
  const currency = row.CRCD ?? 'USD';
  const terms = row.TRAR ? context.terms.get(row.TRAR) : undefined;
  return validateDocument(
    partySchema,
    {
      ...base,
      kind: 'customer',
      currency,
      ...(terms ? { paymentTerms: paymentTermsFromSim(terms) } : {}),
      credit: { limit: { amount: row.ACL ?? '0.00', currency }, onHold: Boolean(row.HOLD), ...(row.HOLD && row.HOLDDS ? { holdReason: row.HOLDDS } : {}) },
    },
    `customer ${row.AN8}`,
  );
}
