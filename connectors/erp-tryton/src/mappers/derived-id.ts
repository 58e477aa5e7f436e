import { createHash } from 'node:crypto';
import type { Id, IdPrefix } from '@tradelane/canonical';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A stable, ULID-shaped id derived from a Tryton key: the same tenant, record kind and key always give the same id.
 * @example trytonDerivedId('pty', 'acme', 'party', '7') // 'pty_…' — always the same
 */
export function trytonDerivedId<P extends IdPrefix>(prefix: P, tenantId: string, kind: string, key: string): Id<P> {
  const digest = createHash('sha256').update(`erp-tryton\u0000${tenantId}\u0000${kind}\u0000${key}`).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 16)) bits = (bits << 8n) | BigInt(byte);
  let body = CROCKFORD[Number(bits >> 125n)]!;
  for (let shift = 120n; shift >= 0n; shift -= 5n) body += CROCKFORD[Number((bits >> shift) & 31n)]!;
  return `${prefix}_${body}` as Id<P>;
}
