/**
 * Per-partner EDI settings, as configuration rather than code: interchange ids and qualifiers, separators and
 * version, acknowledgment policy, element mapping overrides, code lists and cross-references.
 */
import {
  currencyCodeSchema,
  documentPartySchema,
  locationCodeSchema,
  paymentTermsSchema,
  skuSchema,
  trackingExceptionCodes,
  trackingStatuses,
  unitOfMeasureSchema,
} from '@tradelane/canonical';
import { z } from 'zod';
import type { X12EnvelopeSettings } from '../codec/writer/envelope.builder.js';
import type { X12ValidationOptions } from '../codec/validate/envelope.validator.js';
import type { X12AcknowledgmentOptions } from '../codec/validate/acknowledgment.builder.js';
import type { ControlNumberSequence } from '../codec/writer/control-number.sequence.js';
import { csvMappingSchema } from '../csv/csv-mapping.schema.js';

const separatorSchema = z.string().length(1, { error: 'a separator is exactly one character' });
const qualifierSchema = z.string().regex(/^[A-Z0-9]{2,3}$/, { error: 'a product id qualifier is 2-3 letters or digits, e.g. "BP"' });

/** An interchange address: ISA05/ISA07 qualifier and ISA06/ISA08 id. */
export const interchangeIdSchema = z.object({
  qualifier: z.string().regex(/^[A-Z0-9]{2}$/, { error: 'qualifier must be 2 characters, e.g. "ZZ" or "01"' }),
  id: z.string().regex(/^[\x21-\x7E](?:[\x20-\x7E]{0,14})$/, { error: 'interchange id must be 1-15 printable characters' }),
});

/** Element mapping overrides: where a partner puts what. */
export const elementMappingSchema = z.object({
  /** Product id qualifiers that carry our SKU, in order of preference. @default ['BP'] for suppliers, ['VP', 'SK'] for customers */
  skuQualifiers: z.array(qualifierSchema).min(1).max(10).optional(),
  /** Qualifiers that carry the partner's own part number. @default ['VP'] for suppliers, ['BP', 'CB', 'IN'] for customers */
  partnerPartQualifiers: z.array(qualifierSchema).min(1).max(10).optional(),
  /** Qualifiers that carry a GTIN. @default ['UP', 'UK', 'EN', 'EO', 'UA'] */
  gtinQualifiers: z.array(qualifierSchema).max(10).default(['UP', 'UK', 'EN', 'EO', 'UA']),
  /** 856 item loop: where the purchase order line number is. @default 'LIN01' */
  asnLineNumber: z.enum(['LIN01', 'SN101']).default('LIN01'),
  /** 855 ACK04 date/time qualifiers read as the scheduled date, in order of preference. @default ['068', '067', '017', '002'] */
  scheduledDateQualifiers: z.array(z.string().regex(/^\d{3}$/)).min(1).default(['068', '067', '017', '002']),
  /** 214: `B1001`, `B1002`, or an L11 qualifier such as `L11:2I` holding the tracking number. @default 'B1001' */
  trackingNumber: z.string().regex(/^(?:B100[12]|L11:[A-Z0-9]{2,3})$/).default('B1001'),
  /** 856 REF qualifier of the carrier tracking number. @default '2I' */
  trackingReference: qualifierSchema.default('2I'),
  /** 214 time code used when AT707 is absent, as a UTC offset (`Z`, `-06:00`). @default 'Z' */
  defaultUtcOffset: z.string().regex(/^(?:Z|[+-]\d{2}:\d{2})$/).default('Z'),
});

/** Partner-specific code translations, merged over the built-in tables. */
export const codeMappingSchema = z.object({
  /** X12 unit of measure (355) → canonical unit, e.g. `{ "CA": "CS" }`. */
  units: z.record(z.string().regex(/^[A-Z0-9]{2}$/), unitOfMeasureSchema).default({}),
  /** 855 ACK01 → how we read it. */
  acknowledgment: z.record(z.string().regex(/^[A-Z0-9]{2}$/), z.enum(['accept', 'change', 'reject', 'backorder'])).default({}),
  /** 214 AT701 → normalised tracking status. */
  tracking: z.record(z.string().regex(/^[A-Z0-9]{2}$/), z.enum(trackingStatuses)).default({}),
  /** 214 AT701 or AT702 → exception code, for events that are exceptions. */
  trackingExceptions: z.record(z.string().regex(/^[A-Z0-9]{2}$/), z.enum(trackingExceptionCodes)).default({}),
});

/** Cross-references between the partner's identifiers and ours. */
export const crossReferenceSchema = z.object({
  items: z
    .array(
      z.object({
        /** The partner's part number as it appears in the documents. */
        partnerPart: z.string().min(1).max(48),
        sku: skuSchema,
        itemId: z.string().regex(/^itm_[0-9A-HJKMNP-TV-Z]{26}$/).optional(),
        unit: unitOfMeasureSchema.optional(),
      }),
    )
    .max(100_000)
    .default([]),
  locations: z
    .array(z.object({ partnerCode: z.string().min(1).max(80), locationId: locationCodeSchema }))
    .max(10_000)
    .default([]),
});

/** Values used when a document leaves something out. */
export const partnerDefaultsSchema = z.object({
  currency: currencyCodeSchema.default('USD'),
  /** Country of addresses whose N404 is empty (ISO 3166-1 alpha-2). */
  country: z.string().regex(/^[A-Z]{2}$/).default('US'),
  /** SCAC used when an 856 has no TD5 carrier. */
  carrierCode: z.string().regex(/^[A-Z0-9]{2,4}$/).optional(),
  paymentTerms: paymentTermsSchema.optional(),
  /** Our bill-to as printed on inbound invoices when the 810 carries no N3/N4 for it. */
  billTo: documentPartySchema.optional(),
  /** Customers' 850s without a bill-to are billed to this party. */
  orderBillTo: documentPartySchema.optional(),
});

/** One trading partner's EDI profile. */
export const partnerProfileSchema = z.object({
  /** Stable key of this profile, e.g. `acme-supply`. */
  id: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, { error: 'profile id is a lower-case key, e.g. "acme-supply"' }),
  /** The partner's party id (`pty_…`), when known. */
  partyId: z.string().regex(/^pty_[0-9A-HJKMNP-TV-Z]{26}$/).optional(),
  role: z.enum(['supplier', 'customer', 'carrier']),
  interchange: z.object({
    ours: interchangeIdSchema,
    theirs: interchangeIdSchema,
    /** GS02 we send. @default ours.id */
    applicationSender: z.string().min(2).max(15).optional(),
    /** GS03 we send. @default theirs.id */
    applicationReceiver: z.string().min(2).max(15).optional(),
  }),
  /** ISA12 of what we send. */
  version: z.string().regex(/^\d{5}$/).default('00401'),
  /** GS08 of what we send. */
  groupVersion: z.string().min(1).max(12).default('004010'),
  separators: z
    .object({
      element: separatorSchema.default('*'),
      component: separatorSchema.default('>'),
      repetition: separatorSchema.optional(),
      segment: separatorSchema.default('~'),
    })
    .default({ element: '*', component: '>', segment: '~' }),
  lineEnding: z.enum(['', '\n', '\r\n']).default(''),
  usage: z.enum(['P', 'T']).default('P'),
  /** Ask for a TA1 on what we send (ISA14). */
  acknowledgmentRequested: z.boolean().default(false),
  /** Functional acknowledgment we send back for their groups. */
  functionalAck: z.enum(['997', '999', 'auto', 'none']).default('auto'),
  /** When we send them a TA1. */
  ta1: z.enum(['requested', 'requested-or-error', 'always', 'never']).default('requested-or-error'),
  /** Sets with only segment errors are accepted with errors (AK501 E) instead of rejected. */
  acceptSetsWithSegmentErrors: z.boolean().default(false),
  /** Code lists for validation by reference designator, e.g. `{ "BEG02": ["SA", "NE"] }`. */
  codeLists: z.record(z.string().regex(/^[A-Z][A-Z0-9]{1,2}\d{2}$/), z.array(z.string().min(1)).min(1)).default({}),
  elements: elementMappingSchema.default(elementMappingSchema.parse({})),
  codes: codeMappingSchema.default(codeMappingSchema.parse({})),
  crossReferences: crossReferenceSchema.default(crossReferenceSchema.parse({})),
  defaults: partnerDefaultsSchema.default(partnerDefaultsSchema.parse({})),
  /** Version of the X12 mapping settings above, recorded with every X12 file read with this profile; bump it when they change. @default '1' */
  mappingVersion: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/, { error: 'mappingVersion is 1-40 letters, digits, ".", "_" or "-"' }).default('1'),
  /** CSV files this partner sends (acknowledgments, ship notices, inventory), each with its column mapping; the first whose file name patterns match reads a file. @default [] */
  csv: z
    .array(csvMappingSchema)
    .max(50)
    .refine((list) => new Set(list.map((m) => m.id)).size === list.length, { error: 'CSV mapping ids must be unique within a profile' })
    .default([]),
});

/** A partner profile as stored in configuration (defaults may be omitted). */
export type PartnerProfileInput = z.input<typeof partnerProfileSchema>;

/** A partner profile with every default applied. */
export type PartnerProfile = z.output<typeof partnerProfileSchema>;

/** Allowed ACK01 readings. */
export type AckCodeReading = 'accept' | 'change' | 'reject' | 'backorder';

/**
 * Parses and completes a partner profile; throws a ZodError listing every problem.
 * @example
 * const profile = parsePartnerProfile({ id: 'acme', role: 'supplier', interchange: { ours: { qualifier: 'ZZ', id: 'TLDEMO' }, theirs: { qualifier: 'ZZ', id: 'ACME' } } });
 */
export function parsePartnerProfile(input: PartnerProfileInput): PartnerProfile {
  return partnerProfileSchema.parse(input);
}

/**
 * Envelope settings for what we send to this partner; `asPartner` swaps the ids, for simulators that send what the
 * partner would send us.
 */
export function envelopeSettingsFor(profile: PartnerProfile, options: { asPartner?: boolean } = {}): X12EnvelopeSettings {
  const { ours, theirs, applicationSender, applicationReceiver } = profile.interchange;
  const swap = options.asPartner === true;
  return {
    sender: swap ? theirs : ours,
    receiver: swap ? ours : theirs,
    applicationSender: swap ? applicationReceiver : applicationSender,
    applicationReceiver: swap ? applicationSender : applicationReceiver,
    version: profile.version,
    groupVersion: profile.groupVersion,
    separators: profile.separators,
    usage: profile.usage,
    acknowledgmentRequested: profile.acknowledgmentRequested,
  };
}

/** Validation options for what this partner sends us. */
export function validationOptionsFor(profile: PartnerProfile): X12ValidationOptions {
  return {
    knownReceivers: [profile.interchange.ours],
    codeLists: profile.codeLists,
    acceptSetsWithSegmentErrors: profile.acceptSetsWithSegmentErrors,
  };
}

/** Acknowledgment settings for what this partner sends us (TA1 policy, 997/999/none); acks mirror their envelope. */
export function acknowledgmentOptionsFor(profile: PartnerProfile, sequence: ControlNumberSequence): X12AcknowledgmentOptions {
  return { sequence, functionalAck: profile.functionalAck, ta1: profile.ta1 };
}

/** Product id qualifiers for our SKU and for the partner's part number, with role-based defaults. */
export function productQualifiers(profile: PartnerProfile): { sku: readonly string[]; partnerPart: readonly string[]; gtin: readonly string[] } {
  const customer = profile.role === 'customer';
  return {
    sku: profile.elements.skuQualifiers ?? (customer ? ['VP', 'SK'] : ['BP']),
    partnerPart: profile.elements.partnerPartQualifiers ?? (customer ? ['BP', 'CB', 'IN'] : ['VP']),
    gtin: profile.elements.gtinQualifiers,
  };
}
