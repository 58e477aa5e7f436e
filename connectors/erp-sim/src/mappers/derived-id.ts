import { createHash } from 'node:crypto';
import type { Id, IdPrefix } from '@tradelane/canonical';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A stable, ULID-shaped id derived from an ERP key: the same tenant, record kind and key always give the same id
 * (so re-reading master data never creates new documents), different ones practically never collide. 128 bits of a
 * SHA-256 digest are written as 26 Crockford base32 characters, the first one below 8 as a ULID requires.
 * @example derivedId('pty', 'acme', 'party', '4242') // 'pty_…' — always the same
 */
export function derivedId<P extends IdPrefix>(prefix: P, tenantId: string, kind: string, key: string): Id<P> {
  const digest = createHash('sha256').update(`erp-sim\u0000${tenantId}\u0000${kind}\u0000${key}`).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 16)) bits = (bits << 8n) | BigInt(byte);
  let body = CROCKFORD[Number(bits >> 125n)]!; // top 3 bits: 0-7
  for (let shift = 120n; shift >= 0n; shift -= 5n) body += CROCKFORD[Number((bits >> shift) & 31n)]!;
  return `${prefix}_${body}` as Id<P>;
}

/** Derived id of a customer or ship-to (address number). */
export const partyIdOf = (tenantId: string, an8: number | string) => derivedId('pty', tenantId, 'party', String(an8));

/** Derived id of an item (second item number). */
export const itemIdOf = (tenantId: string, litm: string) => derivedId('itm', tenantId, 'item', litm);

/** Derived id of an invoice or credit memo (document type and number). */
export const invoiceIdOf = (tenantId: string, dct: string, doc: number) => derivedId('inv', tenantId, 'invoice', `${dct}${doc}`);

/** Derived id of a purchase order (its ERP number). */
export const purchaseOrderIdOf = (tenantId: string, doco: number) => derivedId('po', tenantId, 'purchase-order', String(doco));

/** Derived id of a supplier ship notice the hub did not name (supplier and the supplier's ship notice number). */
export const asnIdOf = (tenantId: string, an8: number, vasn: string) => derivedId('asn', tenantId, 'asn', `${an8}/${vasn}`);
