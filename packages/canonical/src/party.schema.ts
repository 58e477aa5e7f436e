import { z } from 'zod';
import {
  addressSchema,
  auditFields,
  contactSchema,
  externalIdsSchema,
  paymentTermsSchema,
  tenantIdSchema,
  textSchema,
  isoDateTimeSchema,
  afterFieldChecks,
} from './common.schema.js';
import { glnSchema } from './gs1.js';
import { idSchema } from './ids.js';
import { currencyCodeSchema, nonNegativeMoneySchema } from './money.js';

/** Kinds of party. */
export const partyKinds = ['customer', 'supplier', 'ship_to', 'bill_to'] as const;

/** Party kind. */
export type PartyKind = (typeof partyKinds)[number];

/** EDI interchange identity of a trading partner (ISA05/ISA06, ISA07/ISA08). */
export const ediIdentitySchema = z.object({
  qualifier: z.string().regex(/^[A-Z0-9]{2}$/, { error: 'EDI qualifier must be 2 characters, e.g. "ZZ" or "01"' }),
  id: z.string().regex(/^[A-Za-z0-9 ]{1,15}$/, { error: 'EDI id must be 1-15 letters, digits or spaces' }),
});

const partyBase = {
  schemaVersion: z.literal(1),
  id: idSchema('pty'),
  tenantId: tenantIdSchema,
  /** The distributor's own account or vendor number. */
  code: textSchema(40),
  name: textSchema(120),
  legalName: textSchema(200).optional(),
  taxId: textSchema(40).optional(),
  gln: glnSchema.optional(),
  status: z.enum(['active', 'inactive', 'blocked']),
  address: addressSchema,
  contacts: z.array(contactSchema).max(20),
  externalIds: externalIdsSchema,
  ...auditFields,
};

/** Credit standing of a customer account. */
export const creditSchema = z.object({
  limit: nonNegativeMoneySchema,
  /** True when new orders must go on hold (over limit, overdue invoices, manual). */
  onHold: z.boolean(),
  holdReason: textSchema(200).optional(),
  reviewedAt: isoDateTimeSchema.optional(),
});

/** A customer account (sold-to). */
export const customerPartySchema = z.object({
  ...partyBase,
  kind: z.literal('customer'),
  currency: currencyCodeSchema,
  paymentTerms: paymentTermsSchema.optional(),
  credit: creditSchema,
  edi: ediIdentitySchema.optional(),
});

/** A supplier (vendor). */
export const supplierPartySchema = z.object({
  ...partyBase,
  kind: z.literal('supplier'),
  currency: currencyCodeSchema,
  paymentTerms: paymentTermsSchema.optional(),
  /** Usual days from purchase order to receipt. */
  leadTimeDays: z.int().min(0).max(365),
  /** Tolerance profile used to judge this supplier's acknowledgments and invoices. */
  toleranceProfile: textSchema(40).optional(),
  remitTo: addressSchema.optional(),
  edi: ediIdentitySchema.optional(),
});

/** A ship-to location belonging to a customer. */
export const shipToPartySchema = z.object({
  ...partyBase,
  kind: z.literal('ship_to'),
  /** The customer this ship-to belongs to. */
  parentPartyId: idSchema('pty'),
  deliveryInstructions: textSchema(500).optional(),
});

/** A bill-to account belonging to a customer. */
export const billToPartySchema = z.object({
  ...partyBase,
  kind: z.literal('bill_to'),
  /** The customer this bill-to belongs to. */
  parentPartyId: idSchema('pty'),
});

/** Party: customer, supplier, ship-to or bill-to (discriminated on `kind`). */
export const partySchema = z
  .discriminatedUnion('kind', [customerPartySchema, supplierPartySchema, shipToPartySchema, billToPartySchema])
  .superRefine((party, ctx) => {
    if ((party.kind === 'ship_to' || party.kind === 'bill_to') && party.parentPartyId === party.id) {
      ctx.addIssue({ code: 'custom', path: ['parentPartyId'], message: 'a party cannot be its own parent' });
    }
    if (party.kind === 'customer' && party.credit.limit.currency !== party.currency) {
      ctx.addIssue({ code: 'custom', path: ['credit', 'limit', 'currency'], message: `credit limit must be in the account currency ${party.currency}` });
    }
  }, afterFieldChecks);

/** A party (customer, supplier, ship-to, bill-to). */
export type Party = z.infer<typeof partySchema>;
