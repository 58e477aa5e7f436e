import { createHash, randomBytes } from 'node:crypto';
import { newUlid } from '@tradelane/canonical';
import { InputError, NotFoundError, isStaffRole, staffScopes, type ApiKeyResolver, type StaffRole, type TenantContext } from '@tradelane/core';
import type { Sql } from '../driver/database.js';
import { createCredentialCache, type CredentialCacheOptions } from '../identity/credential-cache.js';
import { jsonParam } from '../shared/json-param.js';

/** A freshly created API key: `apiKey` is shown once and never stored (only its SHA-256 is). */
export interface CreatedApiKey {
  id: string;
  apiKey: string;
  partnerId: string;
  scopes: string[];
}

/** A freshly created staff key (no partner); `apiKey` is shown once. */
export interface CreatedStaffApiKey {
  id: string;
  apiKey: string;
  staffName: string;
  scopes: string[];
  /** The console role the key was issued for; its scopes are included in `scopes`. */
  role?: StaffRole | undefined;
}

/** A rotated key: the new key (shown once) and until when the old one still works. */
export interface RotatedApiKey {
  id: string;
  apiKey: string;
  /** The key it replaces. */
  previousId: string;
  /** The old key stops resolving at this time (now, with no overlap). */
  previousExpiresAt: Date;
  scopes: string[];
  partnerId?: string | undefined;
  staffName?: string | undefined;
  role?: StaffRole | undefined;
}

/** SHA-256 of an API key, hex. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** API keys of customers: create (seeding, onboarding) and resolve (the auth plugin). */
export interface ApiKeyRepo extends ApiKeyResolver {
  /** Creates a key for a partner of the context's tenant; the key itself is in the result and nowhere else. */
  createApiKey(ctx: TenantContext, input: { partnerId: string; scopes: readonly string[] }): Promise<CreatedApiKey>;
  /**
   * Creates a key for the distributor's own staff (operations, buyers, finance): it speaks for no partner, and its
   * context's actor is the user `staffName`. With a `role`, the role's scopes are granted besides `scopes`.
   */
  createStaffApiKey(ctx: TenantContext, input: { staffName: string; scopes?: readonly string[] | undefined; role?: StaffRole | undefined }): Promise<CreatedStaffApiKey>;
  /**
   * Replaces a live key by a new one with the same owner, scopes and role; the old key keeps resolving for
   * `overlapSeconds` (0: it stops at once), so callers can switch without a gap.
   * @throws NotFoundError `TL_AUTH_KEY_NOT_FOUND` when the key is unknown in the tenant, revoked, expired or rotated already
   */
  rotateApiKey(ctx: TenantContext, keyId: string, options: { overlapSeconds: number }): Promise<RotatedApiKey>;
  /** Revokes a key by id; false when it did not exist or was revoked already. */
  revokeApiKey(ctx: TenantContext, keyId: string): Promise<boolean>;
}

/** Options of {@link createApiKeyRepo}. */
export interface ApiKeyRepoOptions {
  /**
   * Reuse resolved keys for a few seconds instead of reading the table on every request. Revoking or rotating a key
   * through any repository of this process drops it at once; another process's change takes effect within `ttlMs`.
   * @default no cache
   */
  cache?: CredentialCacheOptions | undefined;
}

/** What a resolved key grants, without the request's correlation id. */
type ResolvedKey = Omit<TenantContext, 'correlationId'>;

/**
 * API keys kept as SHA-256 hashes in `tl_o2c_api_keys`.
 * @example const keys = createApiKeyRepo(db, { cache: { ttlMs: 5000 } })
 */
export function createApiKeyRepo(db: Sql, options: ApiKeyRepoOptions = {}): ApiKeyRepo {
  const cache = createCredentialCache<ResolvedKey>(options.cache);
  const lookup = async (keyHash: string) => {
    const { rows } = await db.query<{ id: string; tenant_id: string; partner_id: string | null; staff_name: string | null; scopes: string[]; expires_at: Date | null }>(
      'SELECT id, tenant_id, partner_id, staff_name, scopes, expires_at FROM tl_o2c_api_keys WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())',
      [keyHash],
    );
    const row = rows[0];
    if (!row) return null;
    const value: ResolvedKey =
      row.partner_id === null
        ? { tenantId: row.tenant_id, actor: { kind: 'user', id: row.staff_name ?? row.id }, scopes: row.scopes }
        : { tenantId: row.tenant_id, partnerId: row.partner_id, actor: { kind: 'client', id: row.id }, scopes: row.scopes };
    return { id: row.id, value, expiresAt: row.expires_at === null ? null : new Date(row.expires_at).getTime() };
  };
  return {
    async createApiKey(ctx, input) {
      if (!input.partnerId) throw new InputError('TL_AUTH_BAD_PARTNER', 'an API key needs a partner id');
      const id = `key_${newUlid()}`;
      const apiKey = `tlk_${randomBytes(24).toString('base64url')}`;
      await db.query('INSERT INTO tl_o2c_api_keys (key_hash, id, tenant_id, partner_id, scopes) VALUES ($1, $2, $3, $4, $5)', [
        hashApiKey(apiKey),
        id,
        ctx.tenantId,
        input.partnerId,
        jsonParam([...input.scopes]),
      ]);
      return { id, apiKey, partnerId: input.partnerId, scopes: [...input.scopes] };
    },
    async createStaffApiKey(ctx, input) {
      const staffName = typeof input.staffName === 'string' ? input.staffName.trim() : '';
      if (!/^[A-Za-z0-9._@-]{1,100}$/.test(staffName)) throw new InputError('TL_AUTH_BAD_STAFF_NAME', 'a staff key needs a user name of letters, digits and . _ @ - (at most 100)');
      if (input.role !== undefined && !isStaffRole(input.role)) throw new InputError('TL_AUTH_BAD_ROLE', 'role must be buyer, customer_service, finance or integration_admin', { field: 'role' });
      const scopes = staffScopes(input.role, input.scopes ?? []);
      const id = `key_${newUlid()}`;
      const apiKey = `tlk_${randomBytes(24).toString('base64url')}`;
      await db.query('INSERT INTO tl_o2c_api_keys (key_hash, id, tenant_id, partner_id, staff_name, scopes, role) VALUES ($1, $2, $3, NULL, $4, $5, $6)', [
        hashApiKey(apiKey),
        id,
        ctx.tenantId,
        staffName,
        jsonParam(scopes),
        input.role ?? null,
      ]);
      return { id, apiKey, staffName, scopes, ...(input.role ? { role: input.role } : {}) };
    },
    async rotateApiKey(ctx, keyId, options) {
      const overlap = options.overlapSeconds;
      if (!Number.isInteger(overlap) || overlap < 0 || overlap > 30 * 86_400) {
        throw new InputError('TL_AUTH_BAD_OVERLAP', 'overlapSeconds must be a whole number of seconds from 0 to 2592000 (30 days)', { field: 'overlapSeconds' });
      }
      const id = `key_${newUlid()}`;
      const apiKey = `tlk_${randomBytes(24).toString('base64url')}`;
      // one statement: the old key gets its end and the new key is inserted together, or neither happens
      const { rows } = await db.query<{ partner_id: string | null; staff_name: string | null; scopes: string[]; role: StaffRole | null; old_expires_at: Date }>(
        `WITH old AS (
           UPDATE tl_o2c_api_keys SET expires_at = now() + make_interval(secs => $3), rotated_to = $4
            WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL AND rotated_to IS NULL AND (expires_at IS NULL OR expires_at > now())
            RETURNING partner_id, staff_name, scopes, role, expires_at)
         INSERT INTO tl_o2c_api_keys (key_hash, id, tenant_id, partner_id, staff_name, scopes, role)
         SELECT $5, $4, $1, partner_id, staff_name, scopes, role FROM old
         RETURNING partner_id, staff_name, scopes, role, (SELECT expires_at FROM old) AS old_expires_at`,
        [ctx.tenantId, keyId, overlap, id, hashApiKey(apiKey)],
      );
      const old = rows[0];
      if (!old) throw new NotFoundError('TL_AUTH_KEY_NOT_FOUND', `no live API key ${keyId}`, { keyId });
      // the old key's new end (the overlap) applies in this process at once
      cache.invalidate(keyId);
      return {
        id,
        apiKey,
        previousId: keyId,
        previousExpiresAt: new Date(old.old_expires_at),
        scopes: old.scopes,
        ...(old.partner_id !== null ? { partnerId: old.partner_id } : {}),
        ...(old.staff_name !== null ? { staffName: old.staff_name } : {}),
        ...(old.role !== null ? { role: old.role } : {}),
      };
    },
    async revokeApiKey(ctx, keyId) {
      const res = await db.query('UPDATE tl_o2c_api_keys SET revoked_at = now() WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL', [ctx.tenantId, keyId]);
      if (res.rowCount > 0) cache.invalidate(keyId);
      return res.rowCount > 0;
    },
    async resolve(apiKey, correlationId) {
      if (typeof apiKey !== 'string' || apiKey.length < 8 || apiKey.length > 200) return null;
      const keyHash = hashApiKey(apiKey);
      const resolved = await cache.get(keyHash, () => lookup(keyHash));
      return resolved ? { ...resolved, scopes: [...resolved.scopes], correlationId } : null;
    },
  };
}
