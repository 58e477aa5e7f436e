import { z } from 'zod';
import { idSchema } from './ids.js';
import { positiveQuantitySchema } from './quantity.js';

/** Error option: use `message`, except for a missing value, which keeps zod's "expected …, received undefined". */
export function unlessMissing(message: string) {
  return (issue: { readonly input?: unknown }): string | undefined => (issue.input === undefined ? undefined : message);
}

/** Tenant id: one distributor. Lower-case letters, digits and '-', 1 to 63 characters, DNS-label style. */
export const tenantIdSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
    error: 'tenantId must be 1-63 lower-case letters, digits or "-", not starting or ending with "-"',
  });

/** Calendar date, ISO 8601 `YYYY-MM-DD`. */
export const isoDateSchema = z.iso.date({ error: unlessMissing('must be a calendar date YYYY-MM-DD') });

/** Instant, RFC 3339 date-time with `Z` or a numeric offset, e.g. `2025-03-01T14:05:00Z`. */
export const isoDateTimeSchema = z.iso.datetime({
  offset: true,
  error: unlessMissing('must be an RFC 3339 date-time with a Z or numeric offset, e.g. 2025-03-01T14:05:00Z'),
});

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Non-empty text up to `max` characters, storable as Postgres text: no control characters other than tab and line
 * breaks (NUL in particular), no lone UTF-16 surrogates.
 */
export function textSchema(max = 200) {
  return z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` })
    .regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/, { error: 'must not contain control characters other than tab and line breaks' })
    .refine((s) => !LONE_SURROGATE.test(s), { error: 'must be well-formed Unicode (no lone surrogates)' });
}

/** Where a JSON value holds a string Postgres jsonb cannot store (NUL or a lone surrogate, in a value or a key). */
export function findUnstorableJson(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; message: string } | undefined {
  const check = (s: string, where: (string | number)[]) =>
    s.includes('\u0000')
      ? { path: where, message: 'JSON strings must not contain U+0000' }
      : LONE_SURROGATE.test(s)
        ? { path: where, message: 'JSON strings must be well-formed Unicode (no lone surrogates)' }
        : undefined;
  if (typeof value === 'string') {
    return check(value, path);
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = findUnstorableJson(value[i], [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = check(key, [...path, key]) ?? findUnstorableJson(inner, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/** Refinement adding an issue when a JSON value cannot be stored in Postgres jsonb. */
export function refineStorableJson(value: unknown, ctx: z.RefinementCtx): void {
  const found = findUnstorableJson(value);
  if (found) {
    ctx.addIssue({ code: 'custom', path: found.path, message: found.message });
  }
}

/** Business document number as printed on paper (order number, invoice number): 1-40 visible characters. */
export const documentNumberSchema = z
  .string()
  .regex(/^[\x21-\x7E](?:[\x20-\x7E]{0,38}[\x21-\x7E])?$/, {
    error: 'must be 1-40 printable ASCII characters without leading or trailing spaces',
  });

/** ISO 3166-1 alpha-2 country code. */
export const countryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, { error: 'country must be an ISO 3166-1 alpha-2 code, e.g. "US"' });

/** Postal address. */
export const addressSchema = z.object({
  line1: textSchema(120),
  line2: textSchema(120).optional(),
  line3: textSchema(120).optional(),
  city: textSchema(80),
  region: textSchema(80).optional(),
  postalCode: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 -]{0,14}$/, { error: 'postalCode must be 1-15 letters, digits, spaces or "-"' }).optional(),
  country: countryCodeSchema,
});

/** A postal address. */
export type Address = z.infer<typeof addressSchema>;

/** A person to talk to. */
export const contactSchema = z.object({
  name: textSchema(120),
  role: textSchema(60).optional(),
  email: z.email({ error: unlessMissing('email must be an e-mail address') }).optional(),
  phone: z.string().regex(/^\+?[0-9 ()./-]{3,30}$/, { error: 'phone must be digits with optional +, spaces, ( ) . / -' }).optional(),
});

/** A contact person. */
export type Contact = z.infer<typeof contactSchema>;

/** Ids of the same record in other systems, keyed by system id (e.g. `{ "erp-sim": "C-10023", "tryton": "42" }`). */
export const externalIdsSchema = z.record(
  z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, { error: 'external system keys are lower-case identifiers' }),
  textSchema(100),
);

/** External ids of a record, keyed by system. */
export type ExternalIds = z.infer<typeof externalIdsSchema>;

/** Any JSON value that Postgres jsonb can store (evidence, raw payload excerpts). */
export const jsonValueSchema = z.json().superRefine(refineStorableJson);

/** Where a document entered or leaves Tradelane. */
export const channelSchema = z.enum(['portal', 'api', 'edi', 'csv', 'erp', 'email', 'manual']);

/** Entry or exit channel of a document. */
export type Channel = z.infer<typeof channelSchema>;

/** Warehouse or store location reference (`locationId` is the distributor's location code). */
export const locationCodeSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, { error: 'locationId must be 1-32 letters, digits, ".", "_" or "-"' });

/** Stock keeping unit code as used by the distributor. */
export const skuSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\/-]{0,47}$/, { error: 'sku must be 1-48 letters, digits, ".", "_", "/" or "-"' });

/** Partner's own part number (customer or supplier): 1-48 printable characters. */
export const partNumberSchema = z
  .string()
  .regex(/^[\x21-\x7E](?:[\x20-\x7E]{0,46}[\x21-\x7E])?$/, { error: 'part number must be 1-48 printable ASCII characters' });

/** A party with its address as printed on a document (ship-to, bill-to, ship-from). */
export const documentPartySchema = z.object({
  partyId: idSchema('pty').optional(),
  code: textSchema(40).optional(),
  name: textSchema(120),
  address: addressSchema,
  contact: contactSchema.optional(),
});

/** A party as printed on a document. */
export type DocumentParty = z.infer<typeof documentPartySchema>;

/** Carrier: SCAC code where known, plus name and service level. */
export const carrierSchema = z.object({
  code: z.string().regex(/^[A-Z0-9]{2,4}$/, { error: 'carrier code must be a 2-4 character SCAC, e.g. "UPSN"' }),
  name: textSchema(80).optional(),
  service: textSchema(60).optional(),
});

/** A carrier and service. */
export type Carrier = z.infer<typeof carrierSchema>;

/** Weight with its unit. */
export const weightSchema = z.object({ value: positiveQuantitySchema, unit: z.enum(['KG', 'LB']) });

/** Payment terms, e.g. 2% 10 net 30. */
export const paymentTermsSchema = z.object({
  code: textSchema(20),
  netDays: z.int().min(0).max(365),
  discountPercent: z
    .string()
    .regex(/^(?:0|[1-9]\d?)(?:\.\d{1,2})?$/, { error: 'discountPercent must be a decimal string below 100' })
    .optional(),
  discountDays: z.int().min(0).max(365).optional(),
  description: textSchema(120).optional(),
});

/** Payment terms. */
export type PaymentTerms = z.infer<typeof paymentTermsSchema>;

/** Timestamps carried by every mutable document. */
export const auditFields = {
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
};

/** Positive 1-based line number, unique within its document. */
export const lineNumberSchema = z.int().min(1).max(99999);

/** Adds an issue for every repeated line number in `lines`. */
export function refineUniqueLineNumbers(lines: readonly { lineNumber: number }[], ctx: z.RefinementCtx, path: (string | number)[] = ['lines']): void {
  const seen = new Set<number>();
  lines.forEach((line, index) => {
    if (seen.has(line.lineNumber)) {
      ctx.addIssue({ code: 'custom', path: [...path, index, 'lineNumber'], message: `line number ${line.lineNumber} is repeated` });
    }
    seen.add(line.lineNumber);
  });
}

/** Refinement option: run cross-field checks only once every field is valid on its own. */
export const afterFieldChecks = {
  when: (payload: { readonly issues: readonly unknown[] }): boolean => payload.issues.length === 0,
};
