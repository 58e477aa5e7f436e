import { partySchema, type Party } from '@tradelane/canonical';
import { isoDateTimeOf } from '../codec/tryton-json.codec.js';
import { ERP_TRYTON_SYSTEM } from '../errors.js';
import type { TrytonPartyRecord } from '../wire/tryton-records.js';
import { trytonDerivedId } from './derived-id.js';
import { validateDocument } from './validate-document.js';

/** Derived canonical id of a Tryton party (by its database id). */
export const partyIdOfTryton = (tenantId: string, partyId: number) => trytonDerivedId('pty', tenantId, 'party', String(partyId));

/**
 * A Tryton `party.party` as a canonical customer: `code` is the party code, the address is its first
 * `party.address`, credit limit comes from configuration (Tryton 6.0 keeps none without `account_credit_limit`)
 * and inactive parties are `inactive`.
 */
export function customerFromTryton(row: TrytonPartyRecord, context: { tenantId: string; currency: string; creditLimit: string }): Party {
  const created = isoDateTimeOf(row.create_date, '1970-01-01T00:00:00.000Z');
  const a = row.address;
  const street = (a?.street ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
  return validateDocument(
    partySchema,
    {
      schemaVersion: 1,
      kind: 'customer',
      id: partyIdOfTryton(context.tenantId, row.id),
      tenantId: context.tenantId,
      code: row.code ?? String(row.id),
      name: row.name,
      status: row.active ? 'active' : 'inactive',
      address: {
        line1: street[0] ?? row.name,
        ...(street[1] ? { line2: street[1] } : {}),
        ...(street[2] ? { line3: street[2] } : {}),
        city: a?.city || '-',
        ...(a?.subdivision_code ? { region: a.subdivision_code.replace(/^[A-Z]{2}-/, '') } : {}),
        ...(a?.postal_code ? { postalCode: a.postal_code } : {}),
        country: a?.country_code ?? 'US',
      },
      contacts: row.email || row.phone ? [{ name: row.name, ...(row.email ? { email: row.email } : {}), ...(row.phone ? { phone: row.phone } : {}) }] : [],
      externalIds: { [ERP_TRYTON_SYSTEM]: String(row.id) },
      currency: context.currency,
      ...(row['customer_payment_term.name'] ? { paymentTerms: paymentTermsFromName(row['customer_payment_term.name']) } : {}),
      credit: { limit: { amount: context.creditLimit, currency: context.currency }, onHold: false },
      createdAt: created,
      updatedAt: isoDateTimeOf(row.write_date, created),
    },
    `party ${row.id}`,
  );
}

/** Canonical payment terms from a Tryton payment term name: "Net 30" → 30 net days, else 0 with the name kept. */
export function paymentTermsFromName(name: string) {
  const days = /(\d{1,3})/.exec(name);
  return { code: name.slice(0, 20).replace(/\s+/g, '_').toUpperCase(), netDays: days ? Number(days[1]) : 0, description: name };
}

/** Derived canonical id of a Tryton address as a ship-to (by its database id). */
export const shipToIdOfTryton = (tenantId: string, addressId: number) => trytonDerivedId('pty', tenantId, 'address', String(addressId));

/**
 * A customer's `party.address` as a canonical ship-to of that customer: code `<customer code>-<address id>`, name
 * the address name or the customer's.
 */
export function shipToFromTryton(customer: Party, address: { id: number; name?: string | null; street: string | null; city: string | null; postal_code: string | null; country_code: string | null; subdivision_code?: string | null }, tenantId: string): Party {
  const street = (address.street ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
  return validateDocument(
    partySchema,
    {
      schemaVersion: 1,
      kind: 'ship_to',
      id: shipToIdOfTryton(tenantId, address.id),
      tenantId,
      parentPartyId: customer.id,
      code: `${customer.code}-${address.id}`.slice(0, 40),
      name: address.name || customer.name,
      status: customer.status,
      address: {
        line1: street[0] ?? customer.name,
        ...(street[1] ? { line2: street[1] } : {}),
        ...(street[2] ? { line3: street[2] } : {}),
        city: address.city || '-',
        ...(address.subdivision_code ? { region: address.subdivision_code.replace(/^[A-Z]{2}-/, '') } : {}),
        ...(address.postal_code ? { postalCode: address.postal_code } : {}),
        country: address.country_code ?? 'US',
      },
      contacts: [],
      externalIds: { [ERP_TRYTON_SYSTEM]: `party.address ${address.id}` },
      createdAt: customer.createdAt,
      updatedAt: customer.updatedAt,
    },
    `address ${address.id}`,
  );
}

/**
 * A Tryton `party.party` as a canonical supplier: `code` is the party code, the address its first `party.address`,
 * payment terms from `supplier_payment_term`, lead time the shortest `lead_time` of its product supplier records.
 */
export function supplierFromTryton(row: TrytonPartyRecord & { 'supplier_payment_term.name'?: string | null; leadTimeDays?: number | undefined }, context: { tenantId: string; currency: string }): Party {
  const customer = customerFromTryton(row, { ...context, creditLimit: '0' });
  if (customer.kind !== 'customer') return customer;
  const { credit: _credit, kind: _kind, paymentTerms: _terms, ...base } = customer;
  return validateDocument(
    partySchema,
    {
      ...base,
      kind: 'supplier',
      ...(row['supplier_payment_term.name'] ? { paymentTerms: paymentTermsFromName(row['supplier_payment_term.name']) } : {}),
      leadTimeDays: Math.min(365, Math.max(0, row.leadTimeDays ?? 0)),
      remitTo: base.address,
    },
    `supplier ${row.id}`,
  );
}
