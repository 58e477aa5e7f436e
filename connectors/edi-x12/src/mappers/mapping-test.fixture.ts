/**
 * Shared test inputs for the mapper tests: partner profiles and a fixed context.
 */
import { readFileSync } from 'node:fs';
import { type Id, newId } from '@tradelane/canonical';
import { parseX12 } from '../codec/x12.reader.js';
import type { X12TransactionSet } from '../codec/x12.types.js';
import { parsePartnerProfile, type PartnerProfile } from './partner-profile.schema.js';
import type { X12MappingContext } from './x12-set.reader.js';

/** A fixed instant for deterministic documents. */
export const fixedNow = new Date('2025-03-10T15:30:00Z');

/** Party id of the test supplier. */
export const supplierId = newId('pty');
/** Party id of the test customer. */
export const customerId = newId('pty');
/** Party id of the test carrier. */
export const carrierId = newId('pty');

/** ACME Supply: a supplier on 004010 with `*` `>` `~`. */
export const supplierProfile: PartnerProfile = parsePartnerProfile({
  id: 'acme-supply',
  partyId: supplierId,
  role: 'supplier',
  interchange: { ours: { qualifier: 'ZZ', id: 'TLDEMO' }, theirs: { qualifier: 'ZZ', id: 'ACMESUPPLY' } },
  crossReferences: { locations: [{ partnerCode: 'AUS1', locationId: 'AUS1' }] },
  defaults: {
    billTo: {
      name: 'Tradelane Demo Distributing',
      code: 'HQ',
      address: { line1: '200 Congress Ave', city: 'Austin', region: 'TX', postalCode: '78701', country: 'US' },
    },
  },
});

/** Northwind Foods: a customer sending 850s. */
export const customerProfile: PartnerProfile = parsePartnerProfile({
  id: 'northwind',
  partyId: customerId,
  role: 'customer',
  interchange: { ours: { qualifier: 'ZZ', id: 'TLDEMO' }, theirs: { qualifier: 'ZZ', id: 'NORTHWIND' } },
  defaults: {
    orderBillTo: {
      name: 'Northwind Foods Accounts Payable',
      address: { line1: '1 Harbor Plaza', city: 'Galveston', region: 'TX', postalCode: '77550', country: 'US' },
    },
  },
});

/** FedEx Freight: a carrier sending 214s. */
export const carrierProfile: PartnerProfile = parsePartnerProfile({
  id: 'fedex-freight',
  partyId: carrierId,
  role: 'carrier',
  interchange: { ours: { qualifier: 'ZZ', id: 'TLDEMO' }, theirs: { qualifier: '02', id: 'FXFE' } },
});

/** A mapping context with a fixed clock. */
export function contextFor(profile: PartnerProfile): X12MappingContext {
  return { tenantId: 'demo', profile, now: () => fixedNow };
}

/** The first transaction set of a fixture file (or of the given interchange). */
export function fixtureSet(name: string, interchange = 0): X12TransactionSet {
  const doc = parseX12(readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url)));
  const set = doc.interchanges[interchange]?.groups[0]?.sets[0];
  if (!set) throw new Error(`${name} has no set`);
  return set;
}

/** Item ids by SKU, as a catalog would resolve them. */
export const itemIds = new Map<string, Id<'itm'>>(['AC-1001', 'AC-2040', 'AC-0300', 'AC-7781'].map((sku) => [sku, newId('itm')]));
